import type { RoomCall } from '../edge/Call';
import { UserFacingError } from '../errors';
import { translatorForUser } from '../i18n/translate';
import { shareFile, unshareFile, type ShareRequest } from '../sharing/shares';
import { ViewKind } from '../storage/ViewContextStorage';
import { describeError } from '../ui/describeError';
import { formatDate, markdownLiteral } from '../ui/format';
import { ActionId, BlockId } from '../ui/ids';
import { shareModal } from '../ui/sharingModals';
import { inputValue } from '../ui/viewState';
import { openView, type FormFlow, type Trigger } from './FormFlow';

/** Shares one of the caller's files and tells both people: the owner here, the recipient in a DM from the app. */
export async function shareAndTell(call: RoomCall, request: Omit<ShareRequest, 'owner'>): Promise<void> {
  const { accessors, user, room, t, chat, files } = call;
  const shared = await shareFile(files, accessors.read, accessors.modify, { ...request, owner: user });
  const date = formatDate(shared.expiresAt);
  const name = markdownLiteral(shared.file.name);
  await chat.tell(user, room, t('share_done', { name, user: shared.recipient.username, date }));
  const theirs = await translatorForUser(shared.recipient, accessors.read);
  const text = theirs('share_received', { owner: user.username, name, date, cid: shared.file.cid });
  await chat.post(await chat.directRoomWith(shared.recipient), text);
}

/** Ends a share of one of the caller's files early, and says whether there was one. */
export async function unshareAndTell(call: RoomCall, request: Omit<ShareRequest, 'owner' | 'duration'>): Promise<void> {
  const { accessors, user, room, t, chat, files } = call;
  const { file, recipient, existed } = await unshareFile(files, accessors.read, accessors.modify, {
    ...request,
    owner: user,
  });
  const key = existed ? 'unshare_done' : 'unshare_none';
  await chat.tell(user, room, t(key, { name: markdownLiteral(file.name), user: recipient.username }));
}

/** Share… from the directory panel: asks with whom and for how long. */
export async function openShareForm(
  call: RoomCall,
  trigger: Trigger & { readonly file: string; readonly name: string },
): Promise<void> {
  await openView(call, trigger, { kind: ViewKind.Share, file: trigger.file }, (viewId) =>
    shareModal(call.t, { appId: call.accessors.appId, viewId, name: trigger.name }),
  );
}

/** The share form's answer: shared at once; errors about the duration or the person go back into the form. */
export const shareForm: FormFlow<ViewKind.Share> = {
  kind: ViewKind.Share,
  async decide(call, context, state) {
    const recipientUsername = inputValue(state, BlockId.ShareUser, ActionId.ShareUser).trim();
    const duration = inputValue(state, BlockId.ShareDuration, ActionId.ShareDuration) || '24h';
    try {
      await shareAndTell(call, { file: context.file, recipientUsername, duration });
    } catch (error) {
      const field =
        error instanceof UserFacingError && error.i18nKey === 'error_invalid_duration'
          ? ActionId.ShareDuration
          : ActionId.ShareUser;
      return { errors: { [field]: describeError(call.t, error) } };
    }
    return { done: true };
  },
};
