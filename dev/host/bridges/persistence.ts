/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { PersistenceBridge } from '@rocket.chat/apps-engine/server/bridges/PersistenceBridge';
import type { PersistenceRecord, Workspace } from '../workspace';
import { clone, newId } from '../workspace';
import { base } from './loud';

type Assoc = { model: string; id: string };
const plain = (a: RocketChatAssociationRecord[]): Assoc[] =>
  a.map((r) => ({
    model: r.getModel?.() ?? (r as unknown as Assoc).model,
    id: r.getID?.() ?? (r as unknown as Assoc).id,
  }));
const same = (a: Assoc, b: Assoc) => a.model === b.model && a.id === b.id;
/** MongoDB `associations: { $all: [...] }`: the record has every given association, in any order. */
const hasAll = (rec: PersistenceRecord, wanted: Assoc[]) =>
  wanted.every((w) => rec.associations?.some((a) => same(a, w)));
/** MongoDB `associations: [...]` equality: same associations in the same order, nothing more. */
const equal = (rec: PersistenceRecord, wanted: Assoc[]) =>
  rec.associations?.length === wanted.length && wanted.every((w, i) => same(rec.associations![i], w));

/**
 * The app's persistence collection with Rocket.Chat's semantics: reads and removes match ALL given associations,
 * updates match the exact association list (order matters), `update(id)` is not implemented there.
 * `removeByAssociations` removes every match or only one (HostRules.persistenceRemoval), as server versions differ.
 */
export class HostPersistenceBridge extends base(PersistenceBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  private records(appId: string): PersistenceRecord[] {
    return [...this.ws.persistence.values()].filter((r) => r.appId === appId);
  }
  private check(data: unknown): void {
    if (typeof data !== 'object') throw new Error('Attempted to store an invalid data type, it must be an object.');
  }
  protected async purge(appId: string): Promise<void> {
    for (const r of this.records(appId)) this.ws.persistence.delete(r.id);
  }
  protected async create(data: object, appId: string): Promise<string> {
    this.check(data);
    const id = newId();
    this.ws.persistence.set(id, { id, appId, data: clone(data) });
    return id;
  }
  protected async createWithAssociations(
    data: object,
    associations: RocketChatAssociationRecord[],
    appId: string,
  ): Promise<string> {
    this.check(data);
    const id = newId();
    this.ws.persistence.set(id, { id, appId, associations: plain(associations), data: clone(data) });
    return id;
  }
  protected async readById(id: string): Promise<object> {
    return clone(this.ws.persistence.get(id)?.data ?? {});
  }
  protected async readByAssociations(associations: RocketChatAssociationRecord[], appId: string): Promise<object[]> {
    const wanted = plain(associations);
    return this.records(appId)
      .filter((r) => hasAll(r, wanted))
      .map((r) => clone(r.data));
  }
  protected async remove(id: string, appId: string): Promise<object | undefined> {
    const rec = this.ws.persistence.get(id);
    if (!rec || rec.appId !== appId) return undefined;
    this.ws.persistence.delete(id);
    return rec.data;
  }
  protected async removeByAssociations(
    associations: RocketChatAssociationRecord[],
    appId: string,
  ): Promise<object[] | undefined> {
    const wanted = plain(associations);
    const hits = this.records(appId).filter((r) => hasAll(r, wanted));
    // `all`: deleteMany; `one`: Rocket.Chat's newest bridge does deleteOne (the first match) yet returns every match
    const removed = this.ws.rules.persistenceRemoval === 'one' ? hits.slice(0, 1) : hits;
    for (const r of removed) this.ws.persistence.delete(r.id);
    return hits.map((r) => r.data);
  }
  protected async update(_id: string, data: object): Promise<string> {
    this.check(data);
    throw new Error('Not implemented.');
  }
  protected async updateByAssociations(
    associations: RocketChatAssociationRecord[],
    data: object,
    upsert: boolean,
    appId: string,
  ): Promise<string> {
    this.check(data);
    const wanted = plain(associations);
    const hit = this.records(appId).find((r) => equal(r, wanted));
    if (hit) {
      hit.data = clone(data);
      return hit.id;
    }
    if (!upsert) return '';
    const id = newId();
    this.ws.persistence.set(id, { id, appId, associations: wanted, data: clone(data) });
    return id;
  }
}
