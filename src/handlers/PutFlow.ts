import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { describeFile, recentRoomFiles, type RoomFile } from '../chat/roomFiles';
import { Chat } from '../chat/Chat';
import { translatorForUser } from '../i18n/translate';
import { readConfig } from '../settings/config';
import type { ViewContext } from '../storage/ViewContextStorage';
import { ViewContextStorage, ViewKind } from '../storage/ViewContextStorage';
import { DirectoryStorage } from '../storage/DirectoryStorage';
import { markdownLiteral } from '../ui/format';
import { ActionId, BlockId, MIN_PASSWORD_LENGTH } from '../ui/ids';
import { putModal } from '../ui/putModal';
import { inputValue, type ViewErrors, type ViewState } from '../ui/viewState';
import type { Accessors } from '../edge/Accessors';
import { openViewWithContext } from './openView';
import { describeError } from '../ui/describeError';
import { logFailure } from '../errors';
import { runStoreJob } from '../jobs/storeJob';
import { FileTooLargeError } from '../settings/errors';
import { runInBackground } from '../jobs/background';
import { UnreadableUploadError } from '../policy/errors';
import { checkedFileName } from '../sharing/names';

export interface PutOpening {
  readonly user: IUser;
  readonly room: IRoom;
  readonly triggerId: string;
  readonly threadId?: string;
  /** The file of the message whose "Store on IPFS" action was clicked. */
  readonly chosen?: RoomFile;
}

/**
 * Opens the put modal listing the room's recent files the app can read (federated and end-to-end encrypted ones
 * are left out); tells the user instead when there is none, or when the chosen file is one of those.
 */
export async function openPutModal(accessors: Accessors, opening: PutOpening): Promise<void> {
  const { read, modify, persistence } = accessors;
  const t = await translatorForUser(opening.user, read);
  const chat = new Chat(read, modify);
  if (opening.chosen?.unreadable) {
    await chat.tell(opening.user, opening.room, describeError(t, new UnreadableUploadError(opening.chosen.unreadable)));
    return;
  }
  const { files, unreadable } = await recentRoomFiles(read, opening.room.id);
  if (opening.chosen && !files.some((file) => file.fileId === opening.chosen?.fileId)) {
    files.unshift(opening.chosen);
  }
  if (files.length === 0) {
    await chat.tell(opening.user, opening.room, t(unreadable > 0 ? 'put_no_readable_files' : 'put_no_files'));
    return;
  }
  const selected = opening.chosen ?? fileOfThread(opening.threadId, files) ?? files[0];
  const directory = new DirectoryStorage(persistence, read.getPersistenceReader());
  const existingNames = (await directory.filesOf(opening.user.id)).map((file) => file.name).slice(0, 100);
  const offeredFiles = files.map(({ fileId, messageId, threadRootId }) => ({ fileId, messageId, threadRootId }));
  await openViewWithContext(
    accessors,
    opening,
    ViewKind.Put,
    { preselectedFileId: selected.fileId, offeredFiles, offeredNames: existingNames },
    (viewId) => putModal(t, { appId: accessors.appId, viewId, files, selectedFileId: selected.fileId, existingNames }),
  );
}

/** In a thread, the thread's own file: its root message's, else the newest file posted in it. */
function fileOfThread(threadId: string | undefined, files: RoomFile[]): RoomFile | undefined {
  if (!threadId) {
    return undefined;
  }
  return files.find((file) => file.messageId === threadId) ?? files.find((file) => file.threadRootId === threadId);
}

/**
 * Checks the put modal's answer and, when it is good, starts the store job and returns at once: the
 * client closes a modal that has not answered in 5 s. Returns the errors to show in the modal, if any.
 */
export async function submitPut(
  accessors: Accessors,
  user: IUser,
  viewId: string,
  context: ViewContext,
  state: ViewState,
): Promise<ViewErrors> {
  const { read, modify } = accessors;
  const t = await translatorForUser(user, read);
  const errors: ViewErrors = {};
  const fileId = inputValue(state, BlockId.File, ActionId.File) || context.preselectedFileId;
  const password = inputValue(state, BlockId.Password, ActionId.Password);
  const confirmation = inputValue(state, BlockId.PasswordConfirm, ActionId.PasswordConfirm);
  const offered = context.offeredFiles?.find((file) => file.fileId === fileId);
  // a client can send any value for the select: only a name the form offered is taken
  const versionOf = inputValue(state, BlockId.VersionOf, ActionId.VersionOf);

  if (!offered) {
    errors[ActionId.File] = t('error_choose_file');
  }
  if (versionOf && !context.offeredNames?.includes(versionOf)) {
    errors[ActionId.VersionOf] = t('error_version_of_not_offered');
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    errors[ActionId.Password] = t('error_password_too_short', { min: MIN_PASSWORD_LENGTH });
  } else if (password !== confirmation) {
    errors[ActionId.PasswordConfirm] = t('error_password_mismatch');
  }
  if (!offered || Object.keys(errors).length > 0) {
    return errors;
  }

  try {
    const config = await readConfig(read);
    const room = await read.getRoomReader().getById(context.roomId);
    const file = room
      ? await describeFile(read, { _id: offered.fileId, name: '', type: '' }, { id: offered.messageId })
      : undefined;
    if (!room || !file) {
      return { [ActionId.File]: t('error_file_gone') };
    }
    if (file.unreadable) {
      return { [ActionId.File]: describeError(t, new UnreadableUploadError(file.unreadable)) };
    }
    const fileName = checkedFileName(file.name);
    if (file.size > config.maxFileBytes) {
      return { [ActionId.File]: describeError(t, new FileTooLargeError(file.size, config.maxFileBytes)) };
    }
    await new ViewContextStorage(accessors.persistence, read.getPersistenceReader()).remove(viewId);
    const storeAs = versionOf || fileName;
    const job = {
      user,
      room,
      file: { ...file, name: fileName, threadRootId: offered.threadRootId },
      storeAs,
      password,
      config,
      t,
    };
    runInBackground(
      () => runStoreJob(accessors, job),
      (error) =>
        new Chat(read, modify).tell(
          user,
          room,
          t('store_failed', { name: markdownLiteral(file.name), reason: describeError(t, error) }),
        ),
    );
    return {};
  } catch (error) {
    logFailure(accessors.logger, 'put submit failed', error);
    return { [ActionId.File]: describeError(t, error) };
  }
}
