import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/**
 * One file a user stored. The name and size are what the workspace already knew from the chat upload;
 * the password and the file key are never here.
 */
export interface StoredFile {
  readonly cid: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly storedAt: number;
  readonly roomId: string;
  readonly ownerId: string;
}

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-stored-file');

function owner(userId: string): RocketChatAssociationRecord {
  return new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId);
}

export class StoredFileStorage {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  /** Upserts by (owner, CID): storing the same bytes twice keeps one entry. */
  public async add(file: StoredFile): Promise<void> {
    const keys = [
      KIND,
      owner(file.ownerId),
      new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `cid:${file.cid}`),
    ];
    await this.persistence.updateByAssociations(keys, file, true);
  }

  /** The user's files, newest first. */
  public async listFor(userId: string): Promise<StoredFile[]> {
    const records = (await this.reader.readByAssociations([KIND, owner(userId)])) as StoredFile[];
    return records.sort((a, b) => b.storedAt - a.storedAt);
  }
}
