import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { LayoutBlock } from '@rocket.chat/ui-kit';
import type { Translate } from '../i18n/translate';
import { contextNote, markdownSection, plain, staticSelect, textInput } from './blocks';
import { markdownLiteral } from './format';
import { ActionId, BlockId } from './ids';

/** Durations the share modal offers; the command takes any "30m", "12h", "3d", "2w". */
export const SHARE_DURATIONS = ['1h', '24h', '7d', '30d'] as const;

interface ModalBase {
  readonly appId: string;
  readonly viewId: string;
}

function modal(
  t: Translate,
  base: ModalBase,
  title: string,
  submit: string,
  blocks: LayoutBlock[],
): IUIKitSurfaceViewParam {
  const { appId } = base;
  return {
    id: base.viewId,
    type: UIKitSurfaceType.MODAL,
    title: plain(title),
    notifyOnClose: true,
    blocks,
    submit: { type: 'button', text: plain(submit), actionId: 'submit', blockId: 'submit', appId },
    close: { type: 'button', text: plain(t('cancel')), actionId: 'cancel', blockId: 'cancel', appId },
  };
}

/** Share one file with one person for a while. */
export function shareModal(t: Translate, base: ModalBase & { name: string }): IUIKitSurfaceViewParam {
  return modal(t, base, t('share_modal_title', { name: base.name }), t('share_modal_submit'), [
    textInput({
      appId: base.appId,
      blockId: BlockId.ShareUser,
      actionId: ActionId.ShareUser,
      label: t('share_user_label'),
      placeholder: '@username',
    }),
    staticSelect({
      appId: base.appId,
      blockId: BlockId.ShareDuration,
      actionId: ActionId.ShareDuration,
      label: t('share_duration_label'),
      placeholder: t('share_duration_label'),
      options: SHARE_DURATIONS.map((value) => ({ value, label: durationLabels(t)[value] })),
      initialValue: '24h',
    }),
    contextNote(BlockId.Notice, t('share_modal_notice')),
  ]);
}

/** Confirms removing versions: they are unpinned at the provider and leave the directory. */
export function removeModal(t: Translate, base: ModalBase & { description: string }): IUIKitSurfaceViewParam {
  return modal(t, base, t('remove_modal_title'), t('remove_modal_submit'), [
    markdownSection(base.description),
    contextNote(BlockId.Notice, t('remove_modal_notice')),
  ]);
}

/** Revocation asks for the new version's password, twice. */
export function revokeModal(t: Translate, base: ModalBase & { name: string }): IUIKitSurfaceViewParam {
  return modal(t, base, t('revoke_modal_title', { name: base.name }), t('revoke_modal_submit'), [
    markdownSection(t('revoke_modal_text', { name: markdownLiteral(base.name) })),
    textInput({
      appId: base.appId,
      blockId: BlockId.Password,
      actionId: ActionId.Password,
      label: t('password_new_label'),
      placeholder: t('password_placeholder'),
    }),
    textInput({
      appId: base.appId,
      blockId: BlockId.PasswordConfirm,
      actionId: ActionId.PasswordConfirm,
      label: t('password_confirm_label'),
    }),
    contextNote(BlockId.Notice, t('put_modal_notice')),
  ]);
}

function durationLabels(t: Translate): Record<(typeof SHARE_DURATIONS)[number], string> {
  return {
    '1h': t('share_duration_1h'),
    '24h': t('share_duration_24h'),
    '7d': t('share_duration_7d'),
    '30d': t('share_duration_30d'),
  };
}
