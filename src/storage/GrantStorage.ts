import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import type { WrappedKey } from '../keys/keyWrap';
import { putOne, removeEveryMatch, uniqueBy } from '../engine/persistence';

export enum GrantKind {
  /** The owner's own copy of the file key, so they can get and share without retyping the password. */
  Owner = 'owner',
  /** A time-limited share with another user. */
  Share = 'share',
}

/**
 * Who may open which stored object without its password: the file key wrapped to that user's public key.
 * An expired share keeps a record without the key, so the recipient can be told it expired.
 */
export interface Grant {
  readonly cid: string;
  readonly name: string;
  /** The owner's version number of this object, shown to recipients (absent on grants from older releases). */
  readonly version?: number;
  readonly ownerId: string;
  readonly recipientId: string;
  readonly kind: GrantKind;
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly wrapped?: WrappedKey;
  /** The scheduler job that ends a share, so unsharing can cancel it. */
  readonly expiryJobId?: string;
}

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-grant');
const ofCid = (cid: string): RocketChatAssociationRecord =>
  new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `cid:${cid}`);
const toUser = (userId: string): RocketChatAssociationRecord =>
  new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId);

/** Newest first, so the first of duplicates is the latest write. */
const newestFirst = (a: Grant, b: Grant): number => b.createdAt - a.createdAt;

/**
 * One grant per (object, recipient): its associations are that key, always in this order. Writes replace,
 * removals remove every match, reads keep the newest if a duplicate from an older version is still stored.
 */
export class GrantStorage {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  /** Stores a grant, replacing the recipient's earlier one for that object. */
  public async put(grant: Grant): Promise<void> {
    await putOne(this.persistence, this.reader, [KIND, ofCid(grant.cid), toUser(grant.recipientId)], grant);
  }

  public async find(cid: string, recipientId: string): Promise<Grant | undefined> {
    return (await this.allOf(cid, recipientId))[0];
  }

  /** Every stored record of one recipient's grant, newest first: more than one only if duplicates slipped in. */
  public async allOf(cid: string, recipientId: string): Promise<Grant[]> {
    const grants = (await this.reader.readByAssociations([KIND, ofCid(cid), toUser(recipientId)])) as Grant[];
    return grants.sort(newestFirst);
  }

  /** Every grant on one object, one per recipient: the owner's and the shares. */
  public async ofObject(cid: string): Promise<Grant[]> {
    const grants = (await this.reader.readByAssociations([KIND, ofCid(cid)])) as Grant[];
    return uniqueBy(grants.sort(newestFirst), (grant) => grant.recipientId);
  }

  /** Shares other users made to this user, one per object, newest first. */
  public async receivedBy(userId: string): Promise<Grant[]> {
    const grants = (await this.reader.readByAssociations([KIND, toUser(userId)])) as Grant[];
    const shares = grants.filter((grant) => grant.kind === GrantKind.Share).sort(newestFirst);
    return uniqueBy(shares, (grant) => grant.cid);
  }

  /** Removes the recipient's grant on the object, every stored copy of it. */
  public async remove(cid: string, recipientId: string): Promise<void> {
    await removeEveryMatch(this.persistence, this.reader, [KIND, ofCid(cid), toUser(recipientId)]);
  }

  /** Removes every grant on the object. */
  public async removeAll(cid: string): Promise<void> {
    await removeEveryMatch(this.persistence, this.reader, [KIND, ofCid(cid)]);
  }
}
