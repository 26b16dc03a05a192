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
 * One upload of an archiving room as readers see it: composed from the facts its writers recorded (see
 * {@link ArchiveEntries}). Holds no secret: the object opens with the room's password.
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
  /** The i18n key of why it failed or was skipped. */
  readonly reason?: string;
  readonly cid?: string;
  /** Once archived: the nonce of the password record that sealed it (see RoomArchives.sealing). */
  readonly sealedWith?: string;
  /** The file message and its upload, once IPostMessageSent linked them. */
  readonly messageId?: string;
  readonly fileId?: string;
  /** The process working on it and when it last said so (a stale pending entry was cut off by a restart). */
  readonly processId: string;
  readonly aliveAt: number;
  /** Pending, its bytes in no process: it waits until a queue can hold its chat copy (retried by the scheduler). */
  readonly waiting?: boolean;
}

/** What the hook writes, once: the upload as it arrived (pending, or already failed/skipped with a reason). */
export type EntryRecord = Omit<ArchiveEntry, 'cid' | 'sealedWith' | 'messageId' | 'fileId' | 'waiting'>;

/** What IPostMessageSent writes, once: the file message of an entry. */
export interface LinkRecord {
  readonly linkOf: string;
  readonly messageId: string;
  readonly fileId: string;
}

/** How one process's attempt at an entry goes. */
export enum AttemptState {
  Running = 'running',
  Waiting = 'waiting',
  Archived = 'archived',
  Failed = 'failed',
}

/** What one process writes about its own attempt at an entry (its heartbeat, then its outcome). */
export interface AttemptRecord {
  readonly attemptOf: string;
  readonly processId: string;
  readonly aliveAt: number;
  readonly state: AttemptState;
  readonly cid?: string;
  /** The nonce of the password record that sealed the object (see RoomArchives.sealing). */
  readonly sealedWith?: string;
  readonly reason?: string;
}

const ENTRY = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-archive-entry');
const LINK = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-archive-link');
const ATTEMPT = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-archive-attempt');

function room(roomId: string): RocketChatAssociationRecord {
  return new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId);
}

function of(entryId: string): RocketChatAssociationRecord {
  return new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `archive-entry:${entryId}`);
}

type EntryKey = Pick<ArchiveEntry, 'roomId' | 'entryId'>;

/**
 * Every room's archive entries (cluster-safe: all state is here, none in a process). Persistence has no
 * compare-and-swap, so no record is ever read, changed and written back: each fact has its own record with one
 * writer — the hook writes the entry, IPostMessageSent its link, and each process its own attempt record — and
 * readers compose them. Two writers therefore never overwrite each other's fields, on one server or several. Of
 * the attempts, an archived one wins (its object is on IPFS whatever others said); otherwise the latest one tells.
 */
export class ArchiveEntries {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  /** The hook's record of an upload; awaited before the hook returns, so an upload is never missing. */
  async create(entry: EntryRecord): Promise<void> {
    await putOne(this.persistence, this.reader, [ENTRY, room(entry.roomId), of(entry.entryId)], entry);
  }

  /** IPostMessageSent's record: the entry's file message. */
  async link(entry: EntryKey, messageId: string, fileId: string): Promise<void> {
    const record: LinkRecord = { linkOf: entry.entryId, messageId, fileId };
    await putOne(this.persistence, this.reader, [LINK, room(entry.roomId), of(entry.entryId)], record);
  }

  /** The writing process's own attempt record (only `processId` itself ever writes it). */
  async attempt(entry: EntryKey, attempt: Omit<AttemptRecord, 'attemptOf'>): Promise<void> {
    const process = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `process:${attempt.processId}`);
    const record: AttemptRecord = { attemptOf: entry.entryId, ...attempt };
    await putOne(this.persistence, this.reader, [ATTEMPT, room(entry.roomId), of(entry.entryId), process], record);
  }

  /** One entry as it stands now. */
  async get(entry: EntryKey): Promise<ArchiveEntry | undefined> {
    const [composed] = await this.composed([room(entry.roomId), of(entry.entryId)]);
    return composed;
  }

  async ofRoom(roomId: string): Promise<ArchiveEntry[]> {
    return this.composed([room(roomId)]);
  }

  async all(): Promise<ArchiveEntry[]> {
    return this.composed([]);
  }

  async byCid(cid: string): Promise<ArchiveEntry | undefined> {
    return (await this.all()).find((entry) => entry.cid === cid && entry.status === EntryStatus.Archived);
  }

  /** Removes the entry with its link and every attempt. */
  async remove(entry: EntryKey): Promise<void> {
    for (const kind of [ENTRY, LINK, ATTEMPT]) {
      await removeEveryMatch(this.persistence, this.reader, [kind, room(entry.roomId), of(entry.entryId)]);
    }
  }

  private async composed(scope: RocketChatAssociationRecord[]): Promise<ArchiveEntry[]> {
    const [records, links, attempts] = await Promise.all([
      this.reader.readByAssociations([ENTRY, ...scope]) as Promise<EntryRecord[]>,
      this.reader.readByAssociations([LINK, ...scope]) as Promise<LinkRecord[]>,
      this.reader.readByAssociations([ATTEMPT, ...scope]) as Promise<AttemptRecord[]>,
    ]);
    const seen = new Set<string>();
    return records
      .filter((record) => !seen.has(record.entryId) && seen.add(record.entryId))
      .map((record) =>
        compose(
          record,
          links.find((link) => link.linkOf === record.entryId),
          attempts.filter((attempt) => attempt.attemptOf === record.entryId),
        ),
      )
      .sort((a, b) => a.receivedAt - b.receivedAt);
  }
}

/** An entry as its facts say: the hook's verdict if it gave one, else an archived attempt, else the latest. */
export function compose(record: EntryRecord, link: LinkRecord | undefined, attempts: AttemptRecord[]): ArchiveEntry {
  const linked = link ? { messageId: link.messageId, fileId: link.fileId } : {};
  const entry: ArchiveEntry = { ...record, ...linked };
  if (record.status !== EntryStatus.Pending) return entry;
  const done = attempts.find((attempt) => attempt.state === AttemptState.Archived);
  if (done) {
    return {
      ...entry,
      status: EntryStatus.Archived,
      cid: done.cid,
      sealedWith: done.sealedWith,
      aliveAt: done.aliveAt,
    };
  }
  const latest = [...attempts].sort((a, b) => a.aliveAt - b.aliveAt).at(-1);
  if (!latest) return entry;
  const { processId, aliveAt } = latest;
  if (latest.state === AttemptState.Failed) {
    return { ...entry, status: EntryStatus.Failed, reason: latest.reason, processId, aliveAt };
  }
  return { ...entry, processId, aliveAt, waiting: latest.state === AttemptState.Waiting };
}
