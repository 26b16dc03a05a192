import type { IHttp, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { Invocation } from '../commands/invocation';
import { fileKeyWithPassword, HEADER_PROBE_BYTES, parseHeader, unlockHeaderAsync } from '../crypto';
import { RoomAccessDeniedError, canReadRoom } from '../gate/roomAccess';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { runInBackground } from '../jobs/background';
import { runRetrieveJob } from '../jobs/retrieveJob';
import { offerPage } from '../page/offer';
import { readConfig } from '../settings/config';
import { describeError } from '../ui/describeError';
import { formatBytes, markdownLiteral } from '../ui/format';
import { ArchiveEntries, type ArchiveEntry } from './entries';
import { RoomArchives, type RoomArchiveRecord } from './roomArchive';

/** What a user may do with a CID as a room archive's file, decided at the moment they ask. */
export type ArchiveRight =
  /** Not an archived file, or its room stopped archiving (the password is gone: only its holders open it). */
  | { readonly kind: 'none' }
  /** An archived file of a room the user may not read (any more). */
  | { readonly kind: 'denied' }
  /** A member now: the app may open the file for them with the room's sealed password. */
  | {
      readonly kind: 'member';
      readonly entry: ArchiveEntry;
      readonly room: IRoom;
      readonly archive: RoomArchiveRecord;
    };

/**
 * The one rule for archived files: a user who may read the file's room now (not when it was archived), while the
 * room still archives, opens them without the password. Chat delivery and the browser page's key both ask this.
 */
export async function archiveRightOf(
  read: IRead,
  persistence: IPersistence,
  user: IUser,
  cid: string,
): Promise<ArchiveRight> {
  const entry = await new ArchiveEntries(persistence, read.getPersistenceReader()).byCid(cid);
  if (!entry) return { kind: 'none' };
  const room = await read.getRoomReader().getById(entry.roomId);
  if (!room || !(await canReadRoom(read, user, room))) return { kind: 'denied' };
  const rooms = new RoomArchives(persistence, read.getPersistenceReader());
  // the password that sealed it (older entries name none: the room's current one did)
  const archive = entry.sealedWith ? await rooms.sealing(room.id, entry.sealedWith) : await rooms.of(room.id);
  return archive ? { kind: 'member', entry, room, archive } : { kind: 'none' };
}

/**
 * The file key of a member's archived file, for the browser page: the header's wrapped key opened with the room's
 * password (one scrypt, here). The caller hands it on and zeroes it.
 * @throws KeyUnwrapError | WrongPasswordError when the sealed password does not open the object.
 */
export async function archivedFileKey(
  read: IRead,
  http: IHttp,
  persistence: IPersistence,
  right: Extract<ArchiveRight, { kind: 'member' }>,
): Promise<Uint8Array> {
  const config = await readConfig(read);
  const client = new KuboRpcClient(http, config.provider);
  const header = parseHeader(await client.cat(right.entry.cid ?? '', { offset: 0, length: HEADER_PROBE_BYTES }));
  const password = await new RoomArchives(persistence, read.getPersistenceReader()).passwordOf(right.archive);
  return fileKeyWithPassword(header, password);
}

/**
 * `/ipfs get <CID>` of a room's archived file: a member of that room (checked now, not when it was archived) gets
 * it without the password, which the app opens for this one retrieval; delivered as any retrieval, or, above what
 * chat delivery takes, through the browser page with the file key (see docs/SECURITY.md).
 * @returns false when the CID is no archived file (the caller goes on as usual).
 * @throws RoomAccessDeniedError when the user is not a member of the file's room (any more).
 */
export async function startArchiveRetrieval(invocation: Invocation, cid: string): Promise<boolean> {
  const { accessors, user, t, chat } = invocation;
  const { read, http, persistence } = accessors;
  const right = await archiveRightOf(read, persistence, user, cid);
  if (right.kind === 'denied') throw new RoomAccessDeniedError();
  if (right.kind === 'none') return false;
  const { entry, room, archive } = right;
  const config = await readConfig(read);
  if (entry.size > config.maxFileBytes) {
    await offerPage(accessors, user, invocation.room, cid, t, 'too_big', { max: formatBytes(config.maxFileBytes) });
    return true;
  }
  await chat.tell(user, invocation.room, t('archive_get_started', { name: markdownLiteral(entry.name), cid }));
  const rooms = new RoomArchives(persistence, read.getPersistenceReader());
  runInBackground(
    async () => {
      const client = new KuboRpcClient(http, config.provider);
      const header = parseHeader(await client.cat(cid, { offset: 0, length: HEADER_PROBE_BYTES }));
      const unlocked = await unlockHeaderAsync(header, await rooms.passwordOf(archive));
      await runRetrieveJob(accessors, { user, room, cid, unlocked, config, t });
    },
    (error) =>
      chat.tell(
        user,
        invocation.room,
        t('get_failed', { name: markdownLiteral(entry.name), reason: describeError(t, error) }),
      ),
  );
  return true;
}
