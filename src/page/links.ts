import { sha256 } from '@noble/hashes/sha2.js';
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { randomBytes } from '../crypto/random';
import { putOne, removeEveryMatch } from '../engine/persistence';

/** How long a link opens its file: long enough to download a big file on a slow line, short enough to leak little. */
export const PAGE_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** Random bytes in a capability (256 bits: unguessable, and its hash is what persistence keeps). */
const CAPABILITY_BYTES = 32;

/** What persistence keeps of one link: never the capability itself, only its SHA-256. */
interface PageLinkRecord {
  readonly kind: 'page-link';
  readonly userId: string;
  readonly cid: string;
  readonly expiresAt: number;
}

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

  /** Issues a capability for `userId` to read the blocks of `cid` until `now + PAGE_LINK_TTL_MS`. */
  async issue(userId: string, cid: string, now: number): Promise<string> {
    const capability = encodeCapability(randomBytes(CAPABILITY_BYTES));
    const record: PageLinkRecord = { kind: 'page-link', userId, cid, expiresAt: now + PAGE_LINK_TTL_MS };
    await putOne(this.persistence, this.reader, associationOf(capability), record);
    return capability;
  }

  /**
   * The link a capability names, when it is valid for `cid` at `now`; an expired link is removed as it is met.
   * @returns undefined for an unknown, expired or malformed capability, or one issued for another CID.
   */
  async check(capability: unknown, cid: string, now: number): Promise<{ userId: string } | undefined> {
    if (typeof capability !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(capability)) return undefined;
    const records = (await this.reader.readByAssociations(associationOf(capability))) as Partial<PageLinkRecord>[];
    const link = records.find((r) => r.kind === 'page-link');
    if (!link || typeof link.userId !== 'string' || typeof link.expiresAt !== 'number') return undefined;
    if (link.expiresAt <= now) {
      await removeEveryMatch(this.persistence, this.reader, associationOf(capability));
      return undefined;
    }
    return link.cid === cid ? { userId: link.userId } : undefined;
  }
}
