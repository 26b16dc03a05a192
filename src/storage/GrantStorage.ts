import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import type { WrappedKey } from '../keys/keyWrap';

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

export class GrantStorage {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  /**
   * Stores a grant, replacing the recipient's earlier one for that object. Remove-then-create rather than an
   * upsert: some Rocket.Chat versions fail on updateByAssociations of an existing record.
   */
  public async put(grant: Grant): Promise<void> {
    await this.remove(grant.cid, grant.recipientId);
    await this.persistence.createWithAssociations(grant, [KIND, ofCid(grant.cid), toUser(grant.recipientId)]);
  }

  public async find(cid: string, recipientId: string): Promise<Grant | undefined> {
    const [grant] = (await this.reader.readByAssociations([KIND, ofCid(cid), toUser(recipientId)])) as Grant[];
    return grant;
  }

  /** Every grant on one object: the owner's and the shares. */
  public async ofObject(cid: string): Promise<Grant[]> {
    return (await this.reader.readByAssociations([KIND, ofCid(cid)])) as Grant[];
  }

  /** Shares other users made to this user, newest first. */
  public async receivedBy(userId: string): Promise<Grant[]> {
    const grants = (await this.reader.readByAssociations([KIND, toUser(userId)])) as Grant[];
    return grants.filter((grant) => grant.kind === GrantKind.Share).sort((a, b) => b.createdAt - a.createdAt);
  }

  public async remove(cid: string, recipientId: string): Promise<void> {
    await this.persistence.removeByAssociations([KIND, ofCid(cid), toUser(recipientId)]);
  }

  public async removeAll(cid: string): Promise<void> {
    await this.persistence.removeByAssociations([KIND, ofCid(cid)]);
  }
}
