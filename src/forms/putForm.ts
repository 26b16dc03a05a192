import { describeFile, recentRoomFiles, type RoomFile } from '../chat/roomFiles';
import type { RoomCall } from '../edge/Call';
import { runStoreJob } from '../jobs/storeJob';
import { UnreadableUploadError } from '../policy/errors';
import { readConfig } from '../settings/config';
import { FileTooLargeError } from '../settings/errors';
import { checkedFileName } from '../sharing/names';
import { ViewKind } from '../storage/ViewContextStorage';
import { describeError } from '../ui/describeError';
import { markdownLiteral } from '../ui/format';
import { ActionId, BlockId, MIN_PASSWORD_LENGTH } from '../ui/ids';
import { putModal } from '../ui/putModal';
import { inputValue, type ViewErrors } from '../ui/viewState';
import { openView, type FormFlow, type Trigger } from './FormFlow';

/** How many of the user's names the form offers for "store as a new version of". */
const NAMES_OFFERED = 100;

/**
 * `/ipfs put` and _Store on IPFS_: opens the form listing the room's recent files the app can read (federated and
 * end-to-end encrypted ones are left out), `chosen` preselected; tells the user instead when there is none, or
 * when the chosen file is one of those.
 */
export async function openPutForm(call: RoomCall, trigger: Trigger & { readonly chosen?: RoomFile }): Promise<void> {
  const { accessors, user, room, t, chat, files: access } = call;
  const { chosen } = trigger;
  if (chosen?.unreadable) {
    await chat.tell(user, room, describeError(t, new UnreadableUploadError(chosen.unreadable)));
    return;
  }
  const { files, unreadable } = await recentRoomFiles(accessors.read, room.id);
  if (chosen && !files.some((file) => file.fileId === chosen.fileId)) {
    files.unshift(chosen);
  }
  if (files.length === 0) {
    await chat.tell(user, room, t(unreadable > 0 ? 'put_no_readable_files' : 'put_no_files'));
    return;
  }
  const selected = chosen ?? fileOfThread(trigger.threadId, files) ?? files[0];
  const existingNames = (await access.directory.filesOf(user.id)).map((file) => file.name).slice(0, NAMES_OFFERED);
  const offeredFiles = files.map(({ fileId, messageId, threadRootId }) => ({ fileId, messageId, threadRootId }));
  await openView(
    call,
    trigger,
    { kind: ViewKind.Put, preselectedFileId: selected.fileId, offeredFiles, offeredNames: existingNames },
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
 * The answer can only pick a file and a "new version of" name the form offered (a client can send any value);
 * a good answer starts the store job, which reports in the user's DM with the app.
 */
export const putForm: FormFlow<ViewKind.Put> = {
  kind: ViewKind.Put,
  async decide({ accessors, user, room, t }, context, state) {
    const errors: ViewErrors = {};
    const fileId = inputValue(state, BlockId.File, ActionId.File) || context.preselectedFileId;
    const password = inputValue(state, BlockId.Password, ActionId.Password);
    const confirmation = inputValue(state, BlockId.PasswordConfirm, ActionId.PasswordConfirm);
    const offered = context.offeredFiles.find((file) => file.fileId === fileId);
    const versionOf = inputValue(state, BlockId.VersionOf, ActionId.VersionOf);
    if (!offered) {
      errors[ActionId.File] = t('error_choose_file');
    }
    if (versionOf && !context.offeredNames.includes(versionOf)) {
      errors[ActionId.VersionOf] = t('error_version_of_not_offered');
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      errors[ActionId.Password] = t('error_password_too_short', { min: MIN_PASSWORD_LENGTH });
    } else if (password !== confirmation) {
      errors[ActionId.PasswordConfirm] = t('error_password_mismatch');
    }
    if (!offered || Object.keys(errors).length > 0) {
      return { errors };
    }

    const { read } = accessors;
    const config = await readConfig(read);
    const file = await describeFile(read, { _id: offered.fileId, name: '', type: '' }, { id: offered.messageId });
    if (!file) {
      return { errors: { [ActionId.File]: t('error_file_gone') } };
    }
    if (file.unreadable) {
      return { errors: { [ActionId.File]: describeError(t, new UnreadableUploadError(file.unreadable)) } };
    }
    const name = checkedFileName(file.name);
    if (file.size > config.maxFileBytes) {
      return { errors: { [ActionId.File]: describeError(t, new FileTooLargeError(file.size, config.maxFileBytes)) } };
    }
    const job = {
      user,
      room,
      file: { ...file, name, threadRootId: offered.threadRootId },
      storeAs: versionOf || name,
      password,
      config,
      t,
    };
    return {
      background: () => runStoreJob(accessors, job),
      failure: (reason) => t('store_failed', { name: markdownLiteral(name), reason }),
    };
  },
};
