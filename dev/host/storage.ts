/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';
import type { IMarketplaceInfo } from '@rocket.chat/apps-engine/server/marketplace';
import { AppLogStorage, AppMetadataStorage, AppSourceStorage } from '@rocket.chat/apps-engine/server/storage';
import type { IAppStorageItem } from '@rocket.chat/apps-engine/server/storage';
import { clone as copy, newId } from './workspace';

/** The `apps` collection, in memory. */
export class MemoryMetadataStorage extends AppMetadataStorage {
  readonly items = new Map<string, IAppStorageItem>();
  constructor() {
    super('memory');
  }
  async create(item: IAppStorageItem): Promise<IAppStorageItem> {
    const stored = { ...copy(item), _id: newId(), createdAt: new Date(), updatedAt: new Date() };
    this.items.set(item.id, stored);
    return copy(stored);
  }
  async retrieveOne(id: string): Promise<IAppStorageItem | null> {
    const item = this.items.get(id);
    return item ? copy(item) : null;
  }
  async retrieveAll(): Promise<Map<string, IAppStorageItem>> {
    return new Map([...this.items].map(([k, v]) => [k, copy(v)]));
  }
  async retrieveAllPrivate(): Promise<Map<string, IAppStorageItem>> {
    return this.retrieveAll();
  }
  async remove(id: string): Promise<{ success: boolean }> {
    return { success: this.items.delete(id) };
  }
  async updatePartialAndReturnDocument(item: Partial<IAppStorageItem>): Promise<IAppStorageItem> {
    const current = item.id ? this.items.get(item.id) : undefined;
    if (!current) throw new Error(`host: no stored app ${String(item.id)}`);
    const next = { ...current, ...copy(item), updatedAt: new Date() };
    this.items.set(current.id, next);
    return copy(next);
  }
  private patch(id: string, change: Partial<IAppStorageItem>): boolean {
    const current = [...this.items.values()].find((i) => i._id === id || i.id === id);
    if (!current) return false;
    Object.assign(current, copy(change), { updatedAt: new Date() });
    return true;
  }
  async updateStatus(id: string, status: AppStatus): Promise<boolean> {
    return this.patch(id, { status });
  }
  async updateSetting(id: string, setting: ISetting): Promise<boolean> {
    const current = [...this.items.values()].find((i) => i._id === id || i.id === id);
    if (!current) return false;
    current.settings = { ...current.settings, [setting.id]: copy(setting) };
    return true;
  }
  async updateAppInfo(id: string, info: IAppInfo): Promise<boolean> {
    return this.patch(id, { info });
  }
  async updateMarketplaceInfo(id: string, marketplaceInfo: IMarketplaceInfo[]): Promise<boolean> {
    return this.patch(id, { marketplaceInfo });
  }
}

/** The `apps_logs` collection, in memory (the app's log view in the admin UI). */
export class MemoryLogStorage extends AppLogStorage {
  readonly entries: ILoggerStorageEntry[] = [];
  constructor() {
    super('memory');
  }
  async find(): Promise<ILoggerStorageEntry[]> {
    return [...this.entries];
  }
  async findPaginated(): Promise<{ logs: ILoggerStorageEntry[]; total: number }> {
    return { logs: [...this.entries], total: this.entries.length };
  }
  async storeEntries(logEntry: ILoggerStorageEntry): Promise<ILoggerStorageEntry> {
    this.entries.push(logEntry);
    return logEntry;
  }
  async getEntriesFor(appId: string): Promise<ILoggerStorageEntry[]> {
    return this.entries.filter((e) => e.appId === appId);
  }
  async removeEntriesFor(appId: string): Promise<void> {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i].appId === appId) this.entries.splice(i, 1);
  }
}

/** Where Rocket.Chat keeps the uploaded zip (GridFS or the filesystem), in memory. */
export class MemorySourceStorage extends AppSourceStorage {
  readonly zips = new Map<string, Buffer>();
  async store(item: IAppStorageItem, zip: Buffer): Promise<string> {
    this.zips.set(item.id, zip);
    return `memory:${item.id}`;
  }
  async fetch(item: IAppStorageItem): Promise<Buffer> {
    const zip = this.zips.get(item.id);
    if (!zip) throw new Error(`host: no stored package for ${item.id}`);
    return zip;
  }
  async update(item: IAppStorageItem, zip: Buffer): Promise<string> {
    return this.store(item, zip);
  }
  async remove(item: IAppStorageItem): Promise<void> {
    this.zips.delete(item.id);
  }
}
