import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { putOne, removeEveryMatch } from '../engine/persistence';

export enum EntryStatus {
  Pending = 'pending',
  Archived = 'archived',
  Failed = 'failed',
  Skipped = 'skipped',
}

/**
 * One upload of an archiving room, written when the hook sees it and kept up to date until its object is on IPFS
 * (or it failed, with the i18n key of the reason). Holds no secret: the object opens with the room's password.
 */
export interface ArchiveEntry {
  readonly entryId: string;
  readonly roomId: string;
  readonly uploaderId: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly receivedAt: number;
  readonly status: EntryStatus;
  readonly reason?: string;
  readonly cid?: string;
  /** The file message and its upload, once IPostMessageSent linked them. */
  readonly messageId?: string;
  readonly fileId?: string;
  /** The process working on it and when it last said so (a stale pending entry was cut off by a restart). */
  readonly processId: string;
  readonly aliveAt: number;
}

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-archive-entry');

function associations(entry: Pick<ArchiveEntry, 'roomId' | 'entryId'>): RocketChatAssociationRecord[] {
  return [
    KIND,
    new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, entry.roomId),
    new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `archive-entry:${entry.entryId}`),
  ];
}

/** Every room's archive entries (cluster-safe: all state is here, none in a process). */
export class ArchiveEntries {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  async put(entry: ArchiveEntry): Promise<void> {
    await putOne(this.persistence, this.reader, associations(entry), entry);
  }

  /** Writes `changes` over the stored entry (or `entry` when it is gone). */
  async update(entry: ArchiveEntry, changes: Partial<ArchiveEntry>): Promise<ArchiveEntry> {
    const [stored] = (await this.reader.readByAssociations(associations(entry))) as ArchiveEntry[];
    const next = { ...(stored ?? entry), ...changes };
    await this.put(next);
    return next;
  }

  async ofRoom(roomId: string): Promise<ArchiveEntry[]> {
    const records = (await this.reader.readByAssociations([
      KIND,
      new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId),
    ])) as ArchiveEntry[];
    return records.sort((a, b) => a.receivedAt - b.receivedAt);
  }

  async all(): Promise<ArchiveEntry[]> {
    return (await this.reader.readByAssociation(KIND)) as ArchiveEntry[];
  }

  async byCid(cid: string): Promise<ArchiveEntry | undefined> {
    return (await this.all()).find((entry) => entry.cid === cid && entry.status === EntryStatus.Archived);
  }

  async remove(entry: ArchiveEntry): Promise<void> {
    await removeEveryMatch(this.persistence, this.reader, associations(entry));
  }
}
