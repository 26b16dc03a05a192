/**
 * An in-memory IPersistence + IPersistenceRead for unit tests, following what Rocket.Chat's persistence bridge
 * does: `update(id)` is not implemented; `updateByAssociations` matches the exact,
 * order-sensitive association list and inserts when `upsert` is set; reads and removes match records holding ALL
 * the given associations. Data is stored as JSON (as in MongoDB), so a Uint8Array would not survive, and a field
 * set to `undefined` comes back as `null`, as it does through the engine's msgpack bridge. Every call
 * yields to the event loop first, so concurrent callers interleave as they would against a database.
 *
 * Rocket.Chat versions differ in two ways the app must survive, chosen per instance:
 * - `removes: 'one'`: `removeByAssociations` deletes one match per call (`deleteOne`), as some releases do;
 *   the default `'all'` deletes every match (`remove`/`deleteMany`).
 * - `updateOfExistingThrows`: `updateByAssociations` writes an existing record, then throws, as a bridge that
 *   returns `result.upsertedId.toString()` does when nothing was inserted.
 */
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

interface StoredRecord {
  id: string;
  associations: { model: string; id: string }[];
  json: string;
}

type Association = RocketChatAssociationRecord;

const plain = (a: Association) => ({ model: a.getModel() as string, id: a.getID() });
const same = (a: { model: string; id: string }, b: { model: string; id: string }) =>
  a.model === b.model && a.id === b.id;

/** How this persistence behaves where Rocket.Chat releases differ. */
export interface PersistenceBehaviour {
  readonly removes?: 'all' | 'one';
  readonly updateOfExistingThrows?: boolean;
}

export class MemoryPersistence implements IPersistence, IPersistenceRead {
  private readonly records: StoredRecord[] = [];
  private nextId = 1;
  /** Number of write calls, for tests that count them. */
  public writes = 0;
  /** Reads so far, to prove a view's reads do not grow with the data. */
  public reads = 0;

  constructor(private readonly behaviour: PersistenceBehaviour = {}) {}

  /** Everything stored, as the JSON a database dump would show. */
  public dump(): string {
    return JSON.stringify(
      this.records.map((r) => ({ associations: r.associations, data: JSON.parse(r.json) as unknown })),
    );
  }

  /** The stored records themselves, for tests that tamper with storage. */
  public all(): StoredRecord[] {
    return this.records;
  }

  public async create(data: object): Promise<string> {
    return this.createWithAssociations(data, []);
  }

  public async createWithAssociation(data: object, association: Association): Promise<string> {
    return this.createWithAssociations(data, [association]);
  }

  public async createWithAssociations(data: object, associations: Association[]): Promise<string> {
    await tick();
    this.writes++;
    const id = `rec${this.nextId++}`;
    this.records.push({ id, associations: associations.map(plain), json: toStored(data) });
    return id;
  }

  public async update(): Promise<string> {
    await tick();
    throw new Error('update(id) is not implemented by Rocket.Chat; use updateByAssociations');
  }

  public async updateByAssociation(association: Association, data: object, upsert?: boolean): Promise<string> {
    return this.updateByAssociations([association], data, upsert);
  }

  public async updateByAssociations(associations: Association[], data: object, upsert?: boolean): Promise<string> {
    await tick();
    this.writes++;
    const wanted = associations.map(plain);
    const existing = this.records.find(
      (r) => r.associations.length === wanted.length && r.associations.every((a, i) => same(a, wanted[i])),
    );
    if (existing) {
      existing.json = toStored(data);
      if (this.behaviour.updateOfExistingThrows) {
        throw new TypeError("Cannot read properties of null (reading 'toString')");
      }
      return existing.id;
    }
    if (!upsert) return '';
    const id = `rec${this.nextId++}`;
    this.records.push({ id, associations: wanted, json: toStored(data) });
    return id;
  }

  public async remove(id: string): Promise<object> {
    await tick();
    const at = this.records.findIndex((r) => r.id === id);
    return at < 0 ? (undefined as unknown as object) : (JSON.parse(this.records.splice(at, 1)[0].json) as object);
  }

  public async removeByAssociation(association: Association): Promise<object[]> {
    return this.removeByAssociations([association]);
  }

  public async removeByAssociations(associations: Association[]): Promise<object[]> {
    await tick();
    const removed: object[] = [];
    for (let i = this.records.length - 1; i >= 0; i--) {
      if (holdsAll(this.records[i], associations)) {
        removed.unshift(JSON.parse(this.records.splice(i, 1)[0].json) as object);
        if (this.behaviour.removes === 'one') break;
      }
    }
    return removed;
  }

  public async read(id: string): Promise<object> {
    await tick();
    const record = this.records.find((r) => r.id === id);
    return (record ? JSON.parse(record.json) : undefined) as object;
  }

  public async readByAssociation(association: Association): Promise<object[]> {
    return this.readByAssociations([association]);
  }

  public async readByAssociations(associations: Association[]): Promise<object[]> {
    this.reads += 1;
    await tick();
    return this.records.filter((r) => holdsAll(r, associations)).map((r) => JSON.parse(r.json) as object);
  }
}

function holdsAll(record: StoredRecord, associations: Association[]): boolean {
  return associations.map(plain).every((a) => record.associations.some((b) => same(a, b)));
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** JSON as the record reaches the database through the engine: an `undefined` field arrives as `null`. */
function toStored(data: object): string {
  return JSON.stringify(data, (_key, value: unknown) => (value === undefined ? null : value));
}
