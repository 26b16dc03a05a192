import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { Translate } from '../i18n/translate';
import { contextNote, plain, staticSelect, textInput } from './blocks';
import { formatBytes } from './format';
import { ActionId, BlockId } from './ids';

/** A file of the room the user may choose to store. */
export interface FileChoice {
  readonly fileId: string;
  readonly name: string;
  readonly size: number;
  readonly senderUsername: string;
}

export interface PutModalState {
  readonly appId: string;
  readonly viewId: string;
  readonly files: readonly FileChoice[];
  readonly selectedFileId?: string;
  /** Names the user already stored, offered as "new version of …". */
  readonly existingNames?: readonly string[];
}

/** The "store a file" modal: which file, a password twice, and the warning that it cannot be recovered. */
export function putModal(t: Translate, state: PutModalState): IUIKitSurfaceViewParam {
  const { appId } = state;
  return {
    id: state.viewId,
    type: UIKitSurfaceType.MODAL,
    title: plain(t('put_modal_title')),
    notifyOnClose: true,
    blocks: [
      staticSelect({
        appId,
        blockId: BlockId.File,
        actionId: ActionId.File,
        label: t('put_modal_file_label'),
        placeholder: t('put_modal_file_placeholder'),
        options: state.files.map((file) => ({
          value: file.fileId,
          label: t('put_modal_file_option', {
            name: file.name,
            size: formatBytes(file.size),
            sender: file.senderUsername,
          }),
        })),
        initialValue: state.selectedFileId,
      }),
      ...(state.existingNames?.length
        ? [
            staticSelect({
              appId,
              blockId: BlockId.VersionOf,
              actionId: ActionId.VersionOf,
              label: t('put_modal_version_label'),
              placeholder: t('put_modal_version_placeholder'),
              options: state.existingNames.map((name) => ({ value: name, label: name })),
              optional: true,
            }),
          ]
        : []),
      textInput({
        appId,
        blockId: BlockId.Password,
        actionId: ActionId.Password,
        label: t('password_label'),
        placeholder: t('password_placeholder'),
      }),
      textInput({
        appId,
        blockId: BlockId.PasswordConfirm,
        actionId: ActionId.PasswordConfirm,
        label: t('password_confirm_label'),
      }),
      contextNote(BlockId.Notice, t('put_modal_notice')),
    ],
    submit: { type: 'button', text: plain(t('put_modal_submit')), actionId: 'submit', blockId: 'submit', appId },
    close: { type: 'button', text: plain(t('cancel')), actionId: 'cancel', blockId: 'cancel', appId },
  };
}
