import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { ProgressMessage, percent } from '../chat/ProgressMessage';
import { describeError } from '../ui/describeError';
import { InFlightJobs, JobKind } from './inFlight';
import { DEFAULT_KDF, HEADER_PROBE_BYTES, parseHeader, unlockWithFileKey } from '../crypto';
import { downloadAndDecrypt, encryptAndUpload } from './transfer';
import type { Accessors } from '../edge/Accessors';
import type { Translate } from '../i18n/translate';
import { cidToBytes, parseCid } from '../ipfs/cid';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import type { AppConfig } from '../settings/config';
import { FileAccess } from '../sharing/access';
import { FileNotFoundError } from '../sharing/errors';
import { endShares, removeVersions } from '../sharing/lifecycle';
import { ownerKey } from '../sharing/shares';
import type { DirectoryEntry } from '../storage/DirectoryStorage';
import { GrantKind } from '../storage/GrantStorage';
import { ProviderTraitsStorage } from '../storage/ProviderTraitsStorage';
import { markdownLiteral } from '../ui/format';

/** Revocation of a file's newest version; the new password lives only here, for the length of the job. */
export interface RevokeJob {
  readonly user: IUser;
  readonly room: IRoom;
  readonly name: string;
  readonly newPassword: string;
  readonly config: AppConfig;
  readonly t: Translate;
}

/**
 * What expiry cannot do: re-encrypts the newest version under a new file key and password as the next
 * version, ends every share of every version, and unpins the old version. Whoever downloaded the old object
 * or knows its password can still open that copy; nobody can open the new one without the new password.
 */
export async function runRevokeJob(accessors: Accessors, job: RevokeJob): Promise<void> {
  const { read, modify, persistence } = accessors;
  const { user, room, t } = job;
  const chat = new Chat(read, modify);
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const versions = await access.directory.versionsOf(user.id, job.name);
  const current = versions[0];
  if (!current) {
    throw new FileNotFoundError(job.name);
  }
  const facts = { name: markdownLiteral(current.name), version: current.version };
  await chat.tell(user, room, t('revoke_progress', facts));
  const progress = await ProgressMessage.start(
    chat,
    await chat.directRoomWith(user),
    t('progress_revoke_downloading', { ...facts, percent: 0 }),
  );
  try {
    const inFlight = new InFlightJobs(persistence, read.getPersistenceReader());
    await inFlight.track(progress, user.id, JobKind.Revoke, () => revoke(accessors, job, versions, progress));
  } catch (error) {
    await progress.finish(t('revoke_failed', { name: markdownLiteral(current.name), reason: describeError(t, error) }));
    throw error;
  }
}

async function revoke(
  accessors: Accessors,
  job: RevokeJob,
  versions: DirectoryEntry[],
  progress: ProgressMessage,
): Promise<void> {
  const { read, modify, http, persistence } = accessors;
  const { user, room, config, t } = job;
  const [current] = versions;
  const facts = { name: markdownLiteral(current.name), version: current.version };
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const ipfs = new KuboRpcClient(http, config.provider);
  const fileKey = await ownerKey(access, user, { cid: current.cid, name: current.name, entry: current });
  const probe = await ipfs.cat(current.cid, { offset: 0, length: HEADER_PROBE_BYTES });
  const unlocked = unlockWithFileKey(parseHeader(probe), fileKey);
  const plaintext = await downloadAndDecrypt(ipfs, current.cid, unlocked, (done) =>
    progress.update(t('progress_revoke_downloading', { ...facts, percent: percent(done, 1) })),
  );
  await progress.stage(t('progress_revoke_uploading', { ...facts, percent: 0 }));
  const metadata = { ...unlocked.metadata, previousCid: cidToBytes(parseCid(current.cid)) };
  const { cid, fileKey: newKey } = await encryptAndUpload(
    ipfs,
    new ProviderTraitsStorage(persistence, read.getPersistenceReader()),
    { plaintext, metadata, password: job.newPassword, kdf: { ...DEFAULT_KDF, logN: config.kdfLogN } },
    (done) => progress.update(t('progress_revoke_uploading', { ...facts, percent: percent(done, 1) })),
  );

  await progress.stage(t('progress_revoke_ending', facts));
  const storedAt = Date.now();
  const version = current.version + 1;
  await access.directory.add({ ...current, version, cid, previousCid: current.cid, storedAt, size: plaintext.length });
  await access.grants.put({
    cid,
    name: current.name,
    ownerId: user.id,
    recipientId: user.id,
    kind: GrantKind.Owner,
    createdAt: storedAt,
    wrapped: await access.keys.wrapFor(user.id, newKey, cidToBytes(parseCid(cid))),
  });
  let ended = 0;
  for (const older of versions) {
    ended += await endShares(access, modify, older.cid);
  }
  await removeVersions(access, modify, ipfs, [current]);
  const done = t('revoke_done', { name: markdownLiteral(current.name), version, cid, shares: ended });
  await progress.finish(done);
  await new Chat(read, modify).tell(user, room, done);
}
