import type { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IJobContext } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { cidToBytes, parseCid } from '../ipfs/cid';
import { GrantKind, type Grant } from '../storage/GrantStorage';
import type { FileAccess, ResolvedFile } from './access';
import { DEFAULT_SHARE_DURATION, parseDuration } from './duration';
import { NotOwnerError, ShareWithSelfError, UnknownUserError } from './errors';
import { resolveOwnFile } from './resolve';

/** The scheduler job that ends a share at its time. */
export const EXPIRE_SHARE_JOB = 'ipfs-expire-share';

export interface ShareRequest {
  readonly owner: IUser;
  /** What the owner typed for the file: name, name@n or CID. */
  readonly file: string;
  readonly recipientUsername: string;
  readonly duration?: string;
}

export interface ShareResult {
  readonly file: ResolvedFile;
  readonly recipient: IUser;
  readonly expiresAt: number;
}

/**
 * Wraps the file key to the recipient's public key until `duration` has passed, and schedules the end.
 * Only the owner can share; the recipient must be another existing user.
 */
export async function shareFile(
  access: FileAccess,
  read: IRead,
  modify: IModify,
  request: ShareRequest,
): Promise<ShareResult> {
  const durationMs = parseDuration(request.duration ?? DEFAULT_SHARE_DURATION);
  const file = await ownedFile(access, request.owner, request.file);
  const recipient = await recipientNamed(read, request.recipientUsername);
  if (recipient.id === request.owner.id) {
    throw new ShareWithSelfError();
  }
  const cidBytes = cidToBytes(parseCid(file.cid));
  const fileKey = await ownerKey(access, request.owner, file);
  const now = Date.now();
  const expiresAt = now + durationMs;
  await cancelExpiries(modify, await access.grants.allOf(file.cid, recipient.id));
  const jobId = await modify.getScheduler().scheduleOnce({
    id: EXPIRE_SHARE_JOB,
    when: new Date(expiresAt),
    data: { cid: file.cid, recipientId: recipient.id, expiresAt },
  });
  const expiryJobId = typeof jobId === 'string' ? jobId : undefined;
  await access.grants.put({
    cid: file.cid,
    name: file.name,
    version: file.entry.version,
    ownerId: request.owner.id,
    recipientId: recipient.id,
    kind: GrantKind.Share,
    createdAt: now,
    expiresAt,
    wrapped: await access.keys.wrapFor(recipient.id, fileKey, cidBytes),
    expiryJobId,
  });
  // a share made at the same moment may have written last: then this one's job belongs to nothing
  if (expiryJobId && (await access.grants.find(file.cid, recipient.id))?.expiryJobId !== expiryJobId) {
    await modify.getScheduler().cancelJob(expiryJobId);
  }
  return { file, recipient, expiresAt };
}

/** Ends a share before its time. */
export async function unshareFile(
  access: FileAccess,
  read: IRead,
  modify: IModify,
  request: Omit<ShareRequest, 'duration'>,
): Promise<{ file: ResolvedFile; recipient: IUser; existed: boolean }> {
  const file = await ownedFile(access, request.owner, request.file);
  const recipient = await recipientNamed(read, request.recipientUsername);
  const grants = await access.grants.allOf(file.cid, recipient.id);
  const existed = grants.some((grant) => grant.kind === GrantKind.Share);
  if (existed) {
    await cancelExpiries(modify, grants);
    await access.grants.remove(file.cid, recipient.id);
  }
  return { file, recipient, existed };
}

/**
 * The scheduler's end of a share: the wrapped key goes, a record without it stays so the recipient is told
 * the share expired. A job of an earlier share of the same file (re-shared since) changes nothing.
 */
export async function expireShare(access: FileAccess, job: IJobContext): Promise<void> {
  const { cid, recipientId, expiresAt } = job as { cid?: string; recipientId?: string; expiresAt?: number };
  if (!cid || !recipientId) {
    return;
  }
  const grant = await access.grants.find(cid, recipientId);
  if (grant?.kind === GrantKind.Share && grant.expiresAt === expiresAt) {
    // stored as null through the engine's bridge: read as "no key" (isShareLive)
    await access.grants.put({ ...grant, wrapped: undefined, expiryJobId: undefined });
  }
}

/** The user's own version of a file, or NotOwnerError when it is someone else's (or unknown). */
export function ownedFile(
  access: FileAccess,
  user: IUser,
  typed: string,
): Promise<ResolvedFile & { entry: NonNullable<ResolvedFile['entry']> }> {
  return resolveOwnFile(access, user.id, typed);
}

/** The owner's copy of the file key. */
export async function ownerKey(access: FileAccess, owner: IUser, file: ResolvedFile): Promise<Uint8Array> {
  const key = await access.fileKeyFor(owner.id, file.cid, Date.now());
  if (!key) {
    throw new NotOwnerError();
  }
  return key;
}

/** Longer than any username a workspace gives out; longer text is refused without asking the server. */
const USERNAME_MAX_LENGTH = 120;

/** The user a typed `@username` names. @throws UnknownUserError when there is none. */
async function recipientNamed(read: IRead, typed: string): Promise<IUser> {
  const username = typed.trim().replace(/^@/, '');
  const user =
    username && username.length <= USERNAME_MAX_LENGTH ? await read.getUserReader().getByUsername(username) : undefined;
  if (!user) {
    throw new UnknownUserError(`@${username}`);
  }
  return user;
}

/** Cancels the expiry job of every stored copy of a grant. */
export async function cancelExpiries(modify: IModify, grants: readonly Grant[]): Promise<void> {
  for (const grant of grants) {
    if (grant.expiryJobId) {
      await modify.getScheduler().cancelJob(grant.expiryJobId);
    }
  }
}
