import type { Invocation } from '../commands/invocation';
import { HEADER_PROBE_BYTES, parseHeader, unlockHeader } from '../crypto';
import { RoomAccessDeniedError, canReadRoom } from '../gate/roomAccess';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { runInBackground } from '../jobs/background';
import { runRetrieveJob } from '../jobs/retrieveJob';
import { readConfig } from '../settings/config';
import { FileTooLargeError } from '../settings/errors';
import { describeError } from '../ui/describeError';
import { markdownLiteral } from '../ui/format';
import { ArchiveEntries } from './entries';
import { RoomArchives } from './roomArchive';

/**
 * `/ipfs get <CID>` of a room's archived file: a member of that room (checked now, not when it was archived) gets
 * it without the password, which the app opens for this one retrieval; delivered as any retrieval.
 * @returns false when the CID is no archived file (the caller goes on as usual).
 * @throws RoomAccessDeniedError when the user is not a member of the file's room (any more).
 */
export async function startArchiveRetrieval(invocation: Invocation, cid: string): Promise<boolean> {
  const { accessors, user, t, chat } = invocation;
  const { read, http, persistence } = accessors;
  const entry = await new ArchiveEntries(persistence, read.getPersistenceReader()).byCid(cid);
  if (!entry) return false;
  const room = await read.getRoomReader().getById(entry.roomId);
  if (!room || !(await canReadRoom(read, user, room))) throw new RoomAccessDeniedError();
  const rooms = new RoomArchives(persistence, read.getPersistenceReader());
  const archive = await rooms.of(room.id);
  if (!archive) return false; // archiving was turned off: the password is gone, only its holders open it
  const config = await readConfig(read);
  if (entry.size > config.maxFileBytes) throw new FileTooLargeError(entry.size, config.maxFileBytes);
  await chat.tell(user, invocation.room, t('archive_get_started', { name: markdownLiteral(entry.name), cid }));
  runInBackground(
    async () => {
      const client = new KuboRpcClient(http, config.provider);
      const header = parseHeader(await client.cat(cid, { offset: 0, length: HEADER_PROBE_BYTES }));
      const unlocked = unlockHeader(header, await rooms.passwordOf(archive));
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
