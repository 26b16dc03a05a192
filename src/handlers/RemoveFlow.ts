import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { translatorForUser } from '../i18n/translate';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { runInBackground } from '../jobs/background';
import { readConfig } from '../settings/config';
import { FileAccess, splitVersion } from '../sharing/access';
import { removeVersions } from '../sharing/lifecycle';
import { ownedFile } from '../sharing/shares';
import { ViewContextStorage, ViewKind, type ViewContext } from '../storage/ViewContextStorage';
import { markdownLiteral } from '../ui/format';
import { ActionId } from '../ui/ids';
import { removeModal } from '../ui/sharingModals';
import type { ViewErrors } from '../ui/viewState';
import type { Accessors } from '../edge/Accessors';
import { openViewWithContext } from './openView';
import { describeError } from '../ui/describeError';

export interface RemoveOpening {
  readonly user: IUser;
  readonly room: IRoom;
  readonly triggerId: string;
  /** A name (all its versions), name@n or a CID (one version). */
  readonly file: string;
}

/** Asks "remove these versions?"; only the owner gets that far. */
export async function openRemoveModal(accessors: Accessors, opening: RemoveOpening): Promise<void> {
  const { read, persistence } = accessors;
  const t = await translatorForUser(opening.user, read);
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const file = await ownedFile(access, opening.user, opening.file);
  const wholeName = !splitVersion(opening.file.trim()).version && file.cid !== opening.file.trim();
  const entries = wholeName ? await access.directory.versionsOf(opening.user.id, file.name) : [file.entry];
  const versions = entries.map((entry) => `v${entry.version}`).join(', ');
  const description = t('remove_modal_text', { name: markdownLiteral(file.name), versions });
  const cids = entries.map((entry) => entry.cid);
  await openViewWithContext(accessors, opening, ViewKind.Remove, { file: file.name, cids }, (viewId) =>
    removeModal(t, { appId: accessors.appId, viewId, description }),
  );
}

/** Confirmed: unpins and forgets the versions in the background, telling the user how it went. */
export async function submitRemove(
  accessors: Accessors,
  user: IUser,
  viewId: string,
  context: ViewContext,
): Promise<ViewErrors> {
  const { read, modify, persistence, http } = accessors;
  const t = await translatorForUser(user, read);
  const room = await read.getRoomReader().getById(context.roomId);
  if (!room) {
    return { [ActionId.Password]: t('error_room_gone') };
  }
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const owned = await access.directory.entriesOf(user.id);
  const entries = owned.filter((entry) => context.cids?.includes(entry.cid));
  const config = await readConfig(read);
  await new ViewContextStorage(persistence, read.getPersistenceReader()).remove(viewId);
  const chat = new Chat(read, modify);
  runInBackground(
    async () => {
      await removeVersions(access, modify, new KuboRpcClient(http, config.provider), entries);
      await chat.tell(
        user,
        room,
        t('remove_done', { name: markdownLiteral(context.file ?? ''), count: entries.length }),
      );
    },
    (error) =>
      chat.tell(
        user,
        room,
        t('remove_failed', { name: markdownLiteral(context.file ?? ''), reason: describeError(t, error) }),
      ),
  );
  return {};
}
