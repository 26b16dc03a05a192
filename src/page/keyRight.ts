import type { IHttp, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { archivedFileKey, archiveRightOf } from '../archive/archiveRetrieval';
import { FileAccess, isShareLive } from '../sharing/access';
import { GrantKind } from '../storage/GrantStorage';

/**
 * Why a user may open a file without its password: they own it (their directory holds it and the app keeps its
 * key wrapped to them), someone shared it with them and the share is live, or it is a room archive's file and
 * they may read that room now.
 */
export type KeyRight = 'owner' | 'share' | 'archive';

/**
 * The user's right to open `cid` without the password at `now`, if any; nothing is unwrapped. Asked when a link is
 * made, to decide whether it offers the key; the key endpoint asks {@link fileKeyByRight} again when it is used.
 */
export async function keyRightOf(
  read: IRead,
  persistence: IPersistence,
  user: IUser,
  cid: string,
  now: number,
): Promise<KeyRight | undefined> {
  const grant = await new FileAccess(persistence, read.getPersistenceReader()).grants.find(cid, user.id);
  if (grant?.kind === GrantKind.Owner && grant.wrapped) return 'owner';
  if (grant && isShareLive(grant, now)) return 'share';
  return (await archiveRightOf(read, persistence, user, cid)).kind === 'member' ? 'archive' : undefined;
}

/**
 * The file key `user` may have at `now`, by the same rule as {@link keyRightOf}, checked from the records as they
 * are at this moment (a share that ended or a room left since the link was made gives nothing).
 * @returns undefined when the user has no right (any more); the caller zeroes the key it gets.
 * @throws KeyUnwrapError when a kept key or the room's sealed password does not open (another workspace secret).
 */
export async function fileKeyByRight(
  read: IRead,
  http: IHttp,
  persistence: IPersistence,
  user: IUser,
  cid: string,
  now: number,
): Promise<Uint8Array | undefined> {
  const files = new FileAccess(persistence, read.getPersistenceReader());
  const grant = await files.grants.find(cid, user.id);
  if ((grant?.kind === GrantKind.Owner && grant.wrapped) || (grant && isShareLive(grant, now))) {
    return files.fileKeyFor(user.id, cid, now);
  }
  const archived = await archiveRightOf(read, persistence, user, cid);
  return archived.kind === 'member' ? archivedFileKey(read, http, persistence, archived) : undefined;
}
