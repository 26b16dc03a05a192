import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { translatorForUser, type Translate } from '../i18n/translate';
import { FileAccess } from '../sharing/access';
import { shareFile, unshareFile, type ShareRequest } from '../sharing/shares';
import { ViewContextStorage, ViewKind, type ViewContext } from '../storage/ViewContextStorage';
import { formatDate, markdownLiteral } from '../ui/format';
import { ActionId, BlockId } from '../ui/ids';
import { shareModal } from '../ui/sharingModals';
import { inputValue, type ViewErrors, type ViewState } from '../ui/viewState';
import type { Accessors } from '../edge/Accessors';
import { openViewWithContext } from './openView';
import { describeError } from '../ui/describeError';
import { UserFacingError } from '../errors';

/** Shares a file and tells both people: the owner here, the recipient in a direct message from the app. */
export async function shareAndTell(
  accessors: Accessors,
  room: IRoom,
  request: ShareRequest,
  t: Translate,
): Promise<void> {
  const { read, modify, persistence } = accessors;
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const shared = await shareFile(access, read, modify, request);
  const chat = new Chat(read, modify);
  const date = formatDate(shared.expiresAt);
  await chat.tell(
    request.owner,
    room,
    t('share_done', { name: markdownLiteral(shared.file.name), user: shared.recipient.username, date }),
  );
  const theirs = await translatorForUser(shared.recipient, read);
  const text = theirs('share_received', {
    owner: request.owner.username,
    name: markdownLiteral(shared.file.name),
    date,
    cid: shared.file.cid,
  });
  await chat.post(await chat.directRoomWith(shared.recipient), text);
}

export async function unshareAndTell(
  accessors: Accessors,
  room: IRoom,
  request: Omit<ShareRequest, 'duration'>,
  t: Translate,
): Promise<void> {
  const { read, modify, persistence } = accessors;
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const { file, recipient, existed } = await unshareFile(access, read, modify, request);
  const key = existed ? 'unshare_done' : 'unshare_none';
  await new Chat(read, modify).tell(
    request.owner,
    room,
    t(key, { name: markdownLiteral(file.name), user: recipient.username }),
  );
}

export interface ShareOpening {
  readonly user: IUser;
  readonly room: IRoom;
  readonly triggerId: string;
  /** The file as the directory names it (its CID). */
  readonly file: string;
  readonly name: string;
}

export async function openShareModal(accessors: Accessors, opening: ShareOpening): Promise<void> {
  const t = await translatorForUser(opening.user, accessors.read);
  await openViewWithContext(accessors, opening, ViewKind.Share, { file: opening.file }, (viewId) =>
    shareModal(t, { appId: accessors.appId, viewId, name: opening.name }),
  );
}

/** The share modal's answer: errors about the person or duration go back into the modal. */
export async function submitShare(
  accessors: Accessors,
  user: IUser,
  viewId: string,
  context: ViewContext,
  state: ViewState,
): Promise<ViewErrors> {
  const { read, persistence } = accessors;
  const t = await translatorForUser(user, read);
  const room = await read.getRoomReader().getById(context.roomId);
  if (!room || !context.file) {
    return { [ActionId.ShareUser]: t('error_room_gone') };
  }
  const recipientUsername = inputValue(state, BlockId.ShareUser, ActionId.ShareUser).trim();
  const duration = inputValue(state, BlockId.ShareDuration, ActionId.ShareDuration) || '24h';
  try {
    await shareAndTell(accessors, room, { owner: user, file: context.file, recipientUsername, duration }, t);
  } catch (error) {
    if (error instanceof UserFacingError && error.i18nKey === 'error_invalid_duration') {
      return { [ActionId.ShareDuration]: describeError(t, error) };
    }
    return { [ActionId.ShareUser]: describeError(t, error) };
  }
  await new ViewContextStorage(persistence, read.getPersistenceReader()).remove(viewId);
  return {};
}
