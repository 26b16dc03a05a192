import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { cidToBytes, formatCid, parseCid } from '../ipfs/cid';
import { KeyRing } from '../keys/KeyRing';
import { DirectoryStorage, type DirectoryEntry } from '../storage/DirectoryStorage';
import { GrantKind, GrantStorage, type Grant } from '../storage/GrantStorage';
import { formatDate } from '../ui/format';
import { FileNotFoundError, ShareExpiredError } from './errors';

/** A file named by a user: what it is on IPFS, and their own directory entry when they own it. */
export interface ResolvedFile {
  readonly cid: string;
  readonly name: string;
  /** Set when the user owns this version. */
  readonly entry?: DirectoryEntry;
}

/** The stores behind a user's files and shares, on one set of accessors. */
export class FileAccess {
  public readonly directory: DirectoryStorage;
  public readonly grants: GrantStorage;
  public readonly keys: KeyRing;

  constructor(persistence: IPersistence, reader: IPersistenceRead) {
    this.directory = new DirectoryStorage(persistence, reader);
    this.grants = new GrantStorage(persistence, reader);
    this.keys = new KeyRing(persistence, reader);
  }

  /**
   * Reads what a user typed: a CID, a name (its newest version) or `name@n`, among their own files and then
   * the files shared with them.
   * @throws FileNotFoundError when nothing matches.
   */
  public async resolve(userId: string, typed: string): Promise<ResolvedFile> {
    const text = typed.trim();
    const cid = tryCid(text);
    if (cid) {
      const entry = await this.directory.byCid(cid);
      const own = entry?.ownerId === userId ? entry : undefined;
      return { cid, name: own?.name ?? (await this.grants.find(cid, userId))?.name ?? '', entry: own };
    }
    const { name, version } = splitVersion(text);
    const versions = await this.directory.versionsOf(userId, name);
    const entry = version ? versions.find((v) => v.version === version) : versions[0];
    if (entry) {
      return { cid: entry.cid, name: entry.name, entry };
    }
    if (!version) {
      const shared = (await this.grants.receivedBy(userId)).find((g) => g.name.toLowerCase() === name.toLowerCase());
      if (shared) {
        return { cid: shared.cid, name: shared.name };
      }
    }
    throw new FileNotFoundError(text);
  }

  /** The shares of one object that give access at `now`, one per recipient. */
  public async liveSharesOf(cid: string, now: number): Promise<Grant[]> {
    return (await this.grants.ofObject(cid)).filter((grant) => isShareLive(grant, now));
  }

  /**
   * The file key the user may use without a password: their own copy or a live share.
   * @returns undefined when the user holds no grant on this object.
   * @throws ShareExpiredError when their share has ended.
   */
  public async fileKeyFor(userId: string, cid: string, now: number): Promise<Uint8Array | undefined> {
    const grant = await this.grants.find(cid, userId);
    if (!grant) {
      return undefined;
    }
    if (grant.kind === GrantKind.Share && !isShareLive(grant, now)) {
      throw new ShareExpiredError(grant.name, formatDate(grant.expiresAt ?? now));
    }
    return this.keys.open(userId, grant.wrapped as NonNullable<Grant['wrapped']>, cidToBytes(parseCid(cid)));
  }
}

/**
 * The one rule for whether a share gives its recipient access at time `now`: it still holds the wrapped key
 * (the expiry job or an unshare has not ended it) and its end has not come, whether or not the expiry job has
 * run yet. Access checks and every view of shares ask this.
 */
export function isShareLive(grant: Grant, now: number): boolean {
  return (
    grant.kind === GrantKind.Share &&
    grant.wrapped !== undefined &&
    (grant.expiresAt === undefined || now < grant.expiresAt)
  );
}

function tryCid(text: string): string | undefined {
  try {
    return formatCid(parseCid(text));
  } catch {
    return undefined;
  }
}

/** `report.pdf@2` → name and version; a name that merely contains "@" stays whole. */
export function splitVersion(text: string): { name: string; version?: number } {
  const match = /^(.*)@(\d+)$/.exec(text);
  return match && match[1] ? { name: match[1].trim(), version: Number(match[2]) } : { name: text };
}
