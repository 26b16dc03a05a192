import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { cidToBytes, parseCid } from '../ipfs/cid';
import { KeyRing } from '../keys/KeyRing';
import { DirectoryStorage } from '../storage/DirectoryStorage';
import { GrantKind, GrantStorage, type Grant } from '../storage/GrantStorage';
import { ShareExpiredError } from './errors';
import { resolveFile, type ResolvedFile } from './resolve';

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
   * Reads what a user typed: a CID, a name or `name@n`, among their own files and the live shares made to
   * them. See {@link resolveFile} for the rule on names several owners use.
   */
  public resolve(userId: string, typed: string, now = Date.now()): Promise<ResolvedFile> {
    return resolveFile(this, userId, typed, now);
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
      throw new ShareExpiredError(grant.name, grant.expiresAt ?? now);
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
    grant.kind === GrantKind.Share && Boolean(grant.wrapped) && (grant.expiresAt === undefined || now < grant.expiresAt)
  );
}

export { splitVersion, type ResolvedFile } from './resolve';
