import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { DEFAULT_KDF, HEADER_PROBE_BYTES, parseHeader, unlockWithFileKey } from '../crypto';
import { downloadAndDecrypt, encryptAndUpload } from './transfer';
import type { Accessors } from '../handlers/Accessors';
import type { Translate } from '../i18n/translate';
import { cidToBytes, parseCid } from '../ipfs/cid';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import type { AppConfig } from '../settings/config';
import { FileAccess } from '../sharing/access';
import { FileNotFoundError } from '../sharing/errors';
import { endShares, removeVersions } from '../sharing/lifecycle';
import { ownerKey } from '../sharing/shares';
import { GrantKind } from '../storage/GrantStorage';
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
  const { read, modify, http, persistence } = accessors;
  const { user, room, config, t } = job;
  const chat = new Chat(read, modify);
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const versions = await access.directory.versionsOf(user.id, job.name);
  const current = versions[0];
  if (!current) {
    throw new FileNotFoundError(job.name);
  }
  await chat.tell(user, room, t('revoke_progress', { name: markdownLiteral(current.name), version: current.version }));

  const ipfs = new KuboRpcClient(http, config.provider);
  const fileKey = await ownerKey(access, user, { cid: current.cid, name: current.name, entry: current });
  const probe = await ipfs.cat(current.cid, { offset: 0, length: HEADER_PROBE_BYTES });
  const unlocked = unlockWithFileKey(parseHeader(probe), fileKey);
  const plaintext = await downloadAndDecrypt(ipfs, current.cid, unlocked, () => Promise.resolve());
  const metadata = { ...unlocked.metadata, previousCid: cidToBytes(parseCid(current.cid)) };
  const kdf = { ...DEFAULT_KDF, logN: config.kdfLogN };
  const { cid, fileKey: newKey } = await encryptAndUpload(ipfs, plaintext, metadata, job.newPassword, kdf, () =>
    Promise.resolve(),
  );

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
  await chat.tell(user, room, t('revoke_done', { name: markdownLiteral(current.name), version, cid, shares: ended }));
}
