import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { Translate } from '../i18n/translate';
import { contextNote, plain, textInput } from './blocks';
import { ActionId, BlockId } from './ids';

export interface GetModalState {
  readonly appId: string;
  readonly viewId: string;
  readonly cid?: string;
}

/** The "get a file back" modal: the CID (prefilled from the command) and the password. */
export function getModal(t: Translate, state: GetModalState): IUIKitSurfaceViewParam {
  const { appId } = state;
  return {
    id: state.viewId,
    type: UIKitSurfaceType.MODAL,
    title: plain(t('get_modal_title')),
    notifyOnClose: true,
    blocks: [
      textInput({
        appId,
        blockId: BlockId.Cid,
        actionId: ActionId.Cid,
        label: t('cid_label'),
        placeholder: t('cid_placeholder'),
        initialValue: state.cid,
      }),
      textInput({
        appId,
        blockId: BlockId.Password,
        actionId: ActionId.Password,
        label: t('password_label'),
      }),
      contextNote(BlockId.Notice, t('get_modal_notice')),
    ],
    submit: { type: 'button', text: plain(t('get_modal_submit')), actionId: 'submit', blockId: 'submit', appId },
    close: { type: 'button', text: plain(t('cancel')), actionId: 'cancel', blockId: 'cancel', appId },
  };
}
