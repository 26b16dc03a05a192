import { sha256 } from '@noble/hashes/sha2.js';
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { randomBytes } from '../crypto/random';
import { putOne, removeEveryMatch } from '../engine/persistence';

/** How long a link opens its file: long enough to download a big file on a slow line, short enough to leak little. */
export const PAGE_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long after it was made a link may fetch the file key, once: a link is clicked soon after it is asked for,
 * and a key handed out opens the file for good, so a link forgotten in a history or a screenshot should not.
 */
export const PAGE_KEY_TTL_MS = 60 * 60 * 1000;

/** Random bytes in a capability (256 bits: unguessable, and its hash is what persistence keeps). */
const CAPABILITY_BYTES = 32;

/** What persistence keeps of one link: never the capability itself, only its SHA-256. */
interface PageLinkRecord {
  readonly kind: 'page-link';
  readonly userId: string;
  readonly cid: string;
  readonly expiresAt: number;
  /** Set on links that offer the file key: until when the key may be fetched (once). */
  readonly keyUntil?: number;
  /** When the key was fetched: a key-bearing link hands it out once. */
  readonly keyTakenAt?: number;
}

/** A valid link: whose it is, and whether it still offers the file key. */
export interface PageLink {
  readonly userId: string;
  readonly keyOffered: boolean;
}

/** Why the key endpoint refused a link's key (the page says one sentence for all: never which). */
export type KeyRefusal = 'invalid' | 'not_offered' | 'expired' | 'taken';

/** A link's capability as it appears in the URL (base64url, no padding). */
function encodeCapability(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

function hashOf(capability: string): string {
  return Buffer.from(sha256(new TextEncoder().encode(capability))).toString('hex');
}

/** A link's record by its hash (one association, so a read matches exactly one link). */
function associationOf(capability: string): RocketChatAssociationRecord[] {
  return [new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `page-link:${hashOf(capability)}`)];
}

/**
 * Links that open one stored object in the browser page: a random capability bound to the user who asked and
 * the object's CID, expiring. Persistence holds only the capability's hash, so a leaked database opens nothing.
 */
export class PageLinks {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  /**
   * Issues a capability for `userId` to read the blocks of `cid` until `now + PAGE_LINK_TTL_MS`; with `withKey`,
   * also to fetch the file key once within `PAGE_KEY_TTL_MS` (the key endpoint re-checks the user's right then).
   */
  async issue(userId: string, cid: string, now: number, withKey = false): Promise<string> {
    const capability = encodeCapability(randomBytes(CAPABILITY_BYTES));
    const record: PageLinkRecord = {
      kind: 'page-link',
      userId,
      cid,
      expiresAt: now + PAGE_LINK_TTL_MS,
      ...(withKey && { keyUntil: now + PAGE_KEY_TTL_MS }),
    };
    await putOne(this.persistence, this.reader, associationOf(capability), record);
    return capability;
  }

  /**
   * The link a capability names, when it is valid for `cid` at `now`; an expired link is removed as it is met.
   * @returns undefined for an unknown, expired or malformed capability, or one issued for another CID.
   */
  async check(capability: unknown, cid: string, now: number): Promise<PageLink | undefined> {
    const link = await this.recordOf(capability, cid, now);
    return link && { userId: link.userId, keyOffered: keyOffered(link, now) };
  }

  /**
   * Spends the link's one key fetch: the record is marked before the caller unwraps anything, so a second
   * fetch (a reload, or a copy of the link) is refused. Persistence has no compare-and-set: two fetches in the
   * same instant on two server instances could both pass, a window of one round trip.
   * @returns the link's user, or why the key is refused.
   */
  async takeKey(capability: unknown, cid: string, now: number): Promise<{ userId: string } | KeyRefusal> {
    const link = await this.recordOf(capability, cid, now);
    if (!link) return 'invalid';
    if (link.keyUntil === undefined) return 'not_offered';
    if (link.keyTakenAt !== undefined) return 'taken';
    if (link.keyUntil <= now) return 'expired';
    await putOne(this.persistence, this.reader, associationOf(capability as string), { ...link, keyTakenAt: now });
    return { userId: link.userId };
  }

  private async recordOf(capability: unknown, cid: string, now: number): Promise<PageLinkRecord | undefined> {
    if (typeof capability !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(capability)) return undefined;
    const records = (await this.reader.readByAssociations(associationOf(capability))) as Partial<PageLinkRecord>[];
    const link = records.find((r) => r.kind === 'page-link');
    if (!link || typeof link.userId !== 'string' || typeof link.expiresAt !== 'number') return undefined;
    if (link.expiresAt <= now) {
      await removeEveryMatch(this.persistence, this.reader, associationOf(capability));
      return undefined;
    }
    return link.cid === cid ? (link as PageLinkRecord) : undefined;
  }
}

function keyOffered(link: PageLinkRecord, now: number): boolean {
  return link.keyUntil !== undefined && link.keyTakenAt === undefined && now < link.keyUntil;
}
