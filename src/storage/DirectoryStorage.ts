import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { putOne, removeEveryMatch, uniqueBy } from '../engine/persistence';

/**
 * One stored version of one of a user's files. Name, size and type are what the workspace already knew from
 * the chat upload; the password and the file key are never here. One record per version, so concurrent
 * stores never overwrite each other's entries.
 */
export interface DirectoryEntry {
  readonly ownerId: string;
  readonly name: string;
  /** 1 for the first file stored under this name, then 2, 3… */
  readonly version: number;
  readonly cid: string;
  readonly previousCid?: string;
  readonly mediaType: string;
  readonly size: number;
  readonly storedAt: number;
  readonly roomId: string;
}

/** A name with all its versions, newest first. */
export interface DirectoryFile {
  readonly name: string;
  readonly versions: DirectoryEntry[];
}

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-directory-entry');
const misc = (id: string): RocketChatAssociationRecord =>
  new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);
const owner = (userId: string): RocketChatAssociationRecord =>
  new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId);

/** Names compare without case or surrounding space, as people type them. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

export class DirectoryStorage {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  /** Records one version; keyed by owner and CID, so adding the same version again keeps one record. */
  public async add(entry: DirectoryEntry): Promise<void> {
    await putOne(
      this.persistence,
      this.reader,
      [KIND, owner(entry.ownerId), misc(`cid:${entry.cid}`), misc(`name:${entry.ownerId}:${nameKey(entry.name)}`)],
      entry,
    );
  }

  /** Every version the user stored, newest first. */
  public async entriesOf(userId: string): Promise<DirectoryEntry[]> {
    const entries = (await this.reader.readByAssociations([KIND, owner(userId)])) as DirectoryEntry[];
    return uniqueBy(entries, (entry) => entry.cid).sort((a, b) => b.storedAt - a.storedAt || b.version - a.version);
  }

  /** The user's files grouped by name, the most recently stored first. */
  public async filesOf(userId: string): Promise<DirectoryFile[]> {
    const byName = new Map<string, DirectoryEntry[]>();
    for (const entry of await this.entriesOf(userId)) {
      const key = nameKey(entry.name);
      byName.set(key, [...(byName.get(key) ?? []), entry]);
    }
    return [...byName.values()].map((versions) => ({
      name: versions[0].name,
      versions: versions.sort((a, b) => b.version - a.version),
    }));
  }

  /** The versions of one of the user's names, newest first. */
  public async versionsOf(userId: string, name: string): Promise<DirectoryEntry[]> {
    const entries = (await this.reader.readByAssociations([
      KIND,
      misc(`name:${userId}:${nameKey(name)}`),
    ])) as DirectoryEntry[];
    return uniqueBy(entries, (entry) => entry.cid).sort((a, b) => b.version - a.version);
  }

  /** The entry of a CID, whoever stored it. */
  public async byCid(cid: string): Promise<DirectoryEntry | undefined> {
    const [entry] = (await this.reader.readByAssociations([KIND, misc(`cid:${cid}`)])) as DirectoryEntry[];
    return entry;
  }

  /** Forgets one version, every stored copy of it. */
  public async remove(entry: DirectoryEntry): Promise<void> {
    await removeEveryMatch(this.persistence, this.reader, [KIND, owner(entry.ownerId), misc(`cid:${entry.cid}`)]);
  }
}
