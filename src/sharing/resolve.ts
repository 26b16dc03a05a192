import { formatCid, parseCid } from '../ipfs/cid';
import { nameKey, type DirectoryEntry } from '../storage/DirectoryStorage';
import type { Grant } from '../storage/GrantStorage';
import { isShareLive, type FileAccess } from './access';
import { AmbiguousNameError, FileNotFoundError, NotOwnerError, ShareExpiredError } from './errors';
import { TYPED_FILE_MAX_LENGTH } from './names';

/** A file named by a user: what it is on IPFS, whose it is, and their own directory entry when they own it. */
export interface ResolvedFile {
  readonly cid: string;
  readonly name: string;
  /** The owner, when the app knows the object (absent for a CID nobody stored or shared with the user). */
  readonly ownerId?: string;
  readonly version?: number;
  /** Set when the user owns this version. */
  readonly entry?: DirectoryEntry;
}

/**
 * Reads what a user typed where a file is named, among their own files and the live shares made to them:
 * - a CID names exactly one object;
 * - a name (its newest version) or `name@n` may match the user's own file and files other people shared
 *   under the same name. Matches of one owner are that owner's file; matches of more than one owner, the
 *   user included, are refused with the choices listed, so no share can silently stand in for the file the
 *   user meant, and no share silently hides their own. The CID then picks one.
 * Text longer than any name is refused before it is parsed.
 * @throws AmbiguousNameError when the name matches files of more than one owner.
 * @throws ShareExpiredError when only an ended share carries the name.
 * @throws FileNotFoundError when nothing matches.
 */
export async function resolveFile(
  access: FileAccess,
  userId: string,
  typed: string,
  now: number,
): Promise<ResolvedFile> {
  const text = boundedText(typed);
  const cid = tryCid(text);
  if (cid) {
    const entry = await access.directory.byCid(cid);
    if (entry?.ownerId === userId) {
      return ownChoice(entry);
    }
    const grant = await access.grants.find(cid, userId);
    return grant ? sharedChoice(grant) : { cid, name: '' };
  }
  const { name, version } = splitVersion(text);
  const own = pickVersion(await access.directory.versionsOf(userId, name), version);
  const shared = (await access.grants.receivedBy(userId)).filter(
    (grant) => nameKey(grant.name) === nameKey(name) && (!version || grant.version === version),
  );
  const choices = [...(own ? [ownChoice(own)] : []), ...newestPerOwner(shared.filter((g) => isShareLive(g, now)))];
  if (choices.length > 1) {
    throw new AmbiguousNameError(name, choices);
  }
  if (choices.length === 1) {
    return choices[0];
  }
  const ended = shared[0];
  if (ended) {
    throw new ShareExpiredError(ended.name, ended.expiresAt ?? now);
  }
  throw new FileNotFoundError(text);
}

/**
 * The user's own version named by what they typed (a CID, a name or `name@n`), for what only an owner may
 * do (share, unshare, remove, revoke). Other people's files never match.
 * @throws NotOwnerError when the CID or name is someone else's file (shared with the user, or unknown CID).
 * @throws FileNotFoundError when nothing matches.
 */
export async function resolveOwnFile(
  access: FileAccess,
  userId: string,
  typed: string,
): Promise<ResolvedFile & { entry: DirectoryEntry }> {
  const text = boundedText(typed);
  const cid = tryCid(text);
  if (cid) {
    const entry = await access.directory.byCid(cid);
    if (entry?.ownerId !== userId) {
      throw new NotOwnerError();
    }
    return { ...ownChoice(entry), entry };
  }
  const { name, version } = splitVersion(text);
  const own = pickVersion(await access.directory.versionsOf(userId, name), version);
  if (own) {
    return { ...ownChoice(own), entry: own };
  }
  const received = await access.grants.receivedBy(userId);
  if (received.some((grant) => nameKey(grant.name) === nameKey(name))) {
    throw new NotOwnerError();
  }
  throw new FileNotFoundError(text);
}

/** `report.pdf@2` → name and version; a name that merely contains "@" stays whole. */
export function splitVersion(text: string): { name: string; version?: number } {
  const match = /^(.*)@(\d+)$/.exec(text);
  return match && match[1] ? { name: match[1].trim(), version: Number(match[2]) } : { name: text };
}

function boundedText(typed: string): string {
  const text = typed.trim();
  if (text.length > TYPED_FILE_MAX_LENGTH * 2 || Array.from(text).length > TYPED_FILE_MAX_LENGTH) {
    throw new FileNotFoundError(text.slice(0, TYPED_FILE_MAX_LENGTH));
  }
  return text;
}

function tryCid(text: string): string | undefined {
  try {
    return formatCid(parseCid(text));
  } catch {
    return undefined;
  }
}

function pickVersion(versions: DirectoryEntry[], version: number | undefined): DirectoryEntry | undefined {
  return version ? versions.find((v) => v.version === version) : versions[0];
}

function ownChoice(entry: DirectoryEntry): ResolvedFile {
  return { cid: entry.cid, name: entry.name, ownerId: entry.ownerId, version: entry.version, entry };
}

function sharedChoice(grant: Grant): ResolvedFile {
  return { cid: grant.cid, name: grant.name, ownerId: grant.ownerId, version: grant.version };
}

/** One choice per owner: their highest shared version, the newest share among equals. */
function newestPerOwner(grants: readonly Grant[]): ResolvedFile[] {
  const best = new Map<string, Grant>();
  for (const grant of grants) {
    const held = best.get(grant.ownerId);
    const newer = !held || (grant.version ?? 0) > (held.version ?? 0);
    const sameButLater = held && (grant.version ?? 0) === (held.version ?? 0) && grant.createdAt > held.createdAt;
    if (newer || sameButLater) {
      best.set(grant.ownerId, grant);
    }
  }
  return [...best.values()].map(sharedChoice);
}
