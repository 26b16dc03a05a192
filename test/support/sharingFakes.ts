/**
 * Just enough of the engine's accessors for the sharing code in unit tests: users looked up by username, a
 * scheduler that records what is scheduled and cancelled, and files owned by a user (a directory entry with
 * the owner's wrapped key) on a MemoryPersistence.
 */
import type { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IOnetimeSchedule } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { randomBytes } from '../../src/crypto';
import { cidToBytes, cidV1Sha256, CODEC_RAW, formatCid, parseCid } from '../../src/ipfs/cid';
import { FileAccess } from '../../src/sharing/access';
import type { DirectoryEntry } from '../../src/storage/DirectoryStorage';
import { GrantKind } from '../../src/storage/GrantStorage';
import { MemoryPersistence, type PersistenceBehaviour } from './memoryPersistence';

export class FakeScheduler {
  public readonly scheduled: Array<{ jobId: string; job: IOnetimeSchedule }> = [];
  public readonly cancelled: string[] = [];

  public scheduleOnce(job: IOnetimeSchedule): Promise<string> {
    const jobId = `job${this.scheduled.length + 1}`;
    this.scheduled.push({ jobId, job });
    return Promise.resolve(jobId);
  }

  public cancelJob(jobId: string): Promise<void> {
    this.cancelled.push(jobId);
    return Promise.resolve();
  }

  /** Jobs scheduled and never cancelled. */
  public pending(): string[] {
    return this.scheduled.map((s) => s.jobId).filter((id) => !this.cancelled.includes(id));
  }
}

/** A workspace of users (by username) over one persistence with the given server behaviour. */
export class SharingWorld {
  public readonly db: MemoryPersistence;
  public readonly access: FileAccess;
  public readonly scheduler = new FakeScheduler();
  public readonly users: Record<string, IUser> = {};
  public readonly read: IRead;
  public readonly modify: IModify;

  /**
   * A world whose users already have key pairs: the key ring's own first-use race is not what these tests
   * are about (src/keys writes pairs with its own upsert).
   */
  public static async create(usernames: string[], behaviour: PersistenceBehaviour = {}): Promise<SharingWorld> {
    const world = new SharingWorld(usernames, behaviour);
    for (const user of Object.values(world.users)) {
      await world.access.keys.publicKeyOf(user.id);
    }
    return world;
  }

  private constructor(usernames: string[], behaviour: PersistenceBehaviour) {
    this.db = new MemoryPersistence(behaviour);
    this.access = new FileAccess(this.db, this.db);
    for (const username of usernames) {
      this.users[username] = { id: `id-${username}`, username } as IUser;
    }
    const byUsername = (name: string) => Object.values(this.users).find((u) => u.username === name);
    const byId = (id: string) => Object.values(this.users).find((u) => u.id === id);
    this.read = {
      getUserReader: () => ({
        getByUsername: (name: string) => Promise.resolve(byUsername(name)),
        getById: (id: string) => Promise.resolve(byId(id)),
      }),
      getPersistenceReader: () => this.db,
    } as unknown as IRead;
    this.modify = { getScheduler: () => this.scheduler } as unknown as IModify;
  }

  /** Stores a made-up object as the owner's next version of `name`, with their wrapped key, as a store does. */
  public async store(username: string, name: string, storedAt = Date.now()): Promise<DirectoryEntry> {
    const owner = this.users[username];
    const cid = formatCid(cidV1Sha256(CODEC_RAW, randomBytes(32)));
    const [previous] = await this.access.directory.versionsOf(owner.id, name);
    const entry: DirectoryEntry = {
      ownerId: owner.id,
      name: previous?.name ?? name,
      version: (previous?.version ?? 0) + 1,
      cid,
      mediaType: 'text/plain',
      size: 10,
      storedAt,
      roomId: 'general',
    };
    await this.access.directory.add(entry);
    await this.access.grants.put({
      cid,
      name: entry.name,
      ownerId: owner.id,
      recipientId: owner.id,
      kind: GrantKind.Owner,
      createdAt: storedAt,
      wrapped: await this.access.keys.wrapFor(owner.id, randomBytes(32), cidToBytes(parseCid(cid))),
    });
    return entry;
  }

  /** The stored grant records of one person on one object, as a database dump would show them. */
  public grantRecords(cid: string, recipientId?: string): Array<Record<string, unknown>> {
    return this.db
      .all()
      .filter((r) => r.associations.some((a) => a.id === 'ipfs-grant'))
      .filter((r) => r.associations.some((a) => a.id === `cid:${cid}`))
      .filter((r) => !recipientId || r.associations.some((a) => a.model === 'user' && a.id === recipientId))
      .map((r) => JSON.parse(r.json) as Record<string, unknown>);
  }
}

/** Both ways Rocket.Chat releases remove by associations, plus the bridge that throws after updating. */
export const SERVER_BEHAVIOURS: Array<[string, PersistenceBehaviour]> = [
  ['removes every match', { removes: 'all' }],
  ['removes one match per call', { removes: 'one' }],
  ['removes one match and throws after updating', { removes: 'one', updateOfExistingThrows: true }],
];
