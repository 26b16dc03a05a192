import { assertEngineLoaded } from './engine';
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import { HostBridges } from './bridges/HostBridges';
import { postFile } from './bridges/uploads';
import { installApp } from './install';
import { runtimeOf, type AppRuntime } from './runtime';
import type { InstallExpectations } from './install';
import { Interactions } from './interactions';
import { errorLines, prepareDeno, releasePermissionDenials, watchPermissionDenials } from './process';
import { MemoryLogStorage, MemoryMetadataStorage, MemorySourceStorage } from './storage';
import type { HostRules, RoomPolicy } from './rules';
import { DEFAULT_SERVER_SETTINGS, STRICT_RULES } from './rules';
import type { DroppedInteraction, PersistenceRecord } from './workspace';
import { Workspace, clone, newId } from './workspace';

const ROOT = path.resolve(__dirname, '../..');

/** Options for {@link startHost}. */
export interface HostOptions {
  /** The packaged app: a zip path or its bytes. */
  appZip: string | Buffer;
  /** The workspace clock (default: real time). */
  now?: () => Date;
  /**
   * Workspace settings on top of `Language: 'en'`, `Site_Url: 'http://localhost:3000'` and Rocket.Chat's defaults
   * for the settings the rules read (rules.ts DEFAULT_SERVER_SETTINGS), e.g. `SSRF_Allowlist`.
   */
  serverSettings?: Record<string, unknown>;
  /** Switch single Rocket.Chat rules off or change their mode (default: STRICT_RULES, everything enforced). */
  rules?: Partial<HostRules>;
  /** App settings the admin sets right after install. */
  appSettings?: Record<string, unknown>;
  /** What the install must have registered (slash commands, action buttons, settings). */
  expect?: InstallExpectations;
}

/** A local Rocket.Chat workspace around the real AppManager and the real Deno runtime, with one app installed. */
export class WorkspaceHost extends Interactions {
  private constructor(
    readonly ws: Workspace,
    readonly manager: AppManager,
    readonly bridges: HostBridges,
    private readonly logs: MemoryLogStorage,
    readonly admin: IUser,
    readonly general: IRoom,
    private app?: ProxiedApp,
  ) {
    super(ws, manager, () => this.appId, bridges.commands);
  }

  /** Creates the workspace, installs and enables the app like Rocket.Chat's admin "upload app" does. */
  static async start(options: HostOptions): Promise<WorkspaceHost> {
    if (process.env.NODE_ENV === 'test') {
      throw new Error('host: NODE_ENV=test makes the engine skip every permission check; unset it');
    }
    if (AppManager.Instance) throw new Error('host: another host is running in this process; stop() it first');
    assertEngineLoaded();
    prepareDeno();
    const clock = options.now ?? (() => new Date());
    const shift = { ms: 0 };
    const ws = new Workspace(() => new Date(clock().getTime() + shift.ms));
    ws.serverSettings.set('Language', 'en');
    ws.serverSettings.set('Site_Url', 'http://localhost:3000');
    for (const [k, v] of Object.entries(DEFAULT_SERVER_SETTINGS)) ws.serverSettings.set(k, v);
    ws.rules = { ...STRICT_RULES, ...options.rules };
    for (const [k, v] of Object.entries(options.serverSettings ?? {})) ws.serverSettings.set(k, v);
    const admin = ws.addUser({ username: 'admin', name: 'Administrator', roles: ['admin', 'user'] });
    const general = ws.addRoom({ name: 'general', members: [admin] });
    const bridges = new HostBridges(ws);
    const logs = new MemoryLogStorage();
    const tempFilePath = path.join(ROOT, '.cache', 'host-tmp');
    fs.mkdirSync(tempFilePath, { recursive: true });
    const manager = new AppManager({
      metadataStorage: new MemoryMetadataStorage(),
      logStorage: logs,
      bridges,
      sourceStorage: new MemorySourceStorage(),
      tempFilePath,
    });
    watchPermissionDenials(ws);
    const host = new WorkspaceHost(ws, manager, bridges, logs, admin, general);
    host.clockShift = shift;
    try {
      await manager.load();
      const zip = Buffer.isBuffer(options.appZip) ? options.appZip : fs.readFileSync(options.appZip);
      host.app = await installApp(manager, bridges, logs, zip, admin, options.expect ?? {});
      for (const [id, value] of Object.entries(options.appSettings ?? {})) await host.setAppSetting(id, value);
    } catch (e) {
      await host.stop();
      throw e;
    }
    return host;
  }

  /** How far the workspace clock has been moved ahead of `options.now` (see advanceClock). */
  private clockShift = { ms: 0 };

  /**
   * Moves the workspace clock ahead, as time passing would, and runs the scheduler jobs that fall due
   * (Rocket.Chat's agenda would). Tests use it instead of sleeping; the app's own process keeps real time.
   */
  async advanceClock(ms: number): Promise<void> {
    this.clockShift.ms += ms;
    const now = this.ws.now().getTime();
    const due = [...this.bridges.scheduler.jobs.values()].filter((job) => job.runAt.getTime() <= now);
    for (const job of due.sort((a, b) => a.runAt.getTime() - b.runAt.getTime())) {
      await this.bridges.scheduler.fire(job.jobId);
    }
  }

  get appId(): string {
    if (!this.app) throw new Error('host: no app installed');
    return this.app.getID();
  }

  /** Adds a user (role `user` unless given) and makes them a member of #general. */
  addUser(u: { username: string; name?: string; roles?: string[]; language?: string }): IUser {
    const user = this.ws.addUser(u);
    this.general.userIds?.push(user.id);
    this.general.usernames.push(user.username);
    return user;
  }

  /** Adds a channel, private group ('p') or direct room ('d'), optionally read-only, encrypted or with muted users. */
  addRoom(r: { name?: string; type?: RoomType; members: IUser[]; creator?: IUser } & RoomPolicy): IRoom {
    return this.ws.addRoom(r);
  }

  /** Changes which rules the host enforces from now on (e.g. one rule off in one test). */
  setRules(rules: Partial<HostRules>): void {
    this.ws.rules = { ...this.ws.rules, ...rules };
  }

  /** Sets the roles that hold a permission (Rocket.Chat's admin "Permissions" page), e.g. `post-readonly`. */
  setPermissionRoles(permission: string, roles: string[]): void {
    this.ws.permissions[permission] = [...roles];
  }

  /** The app's bot user (created by the engine at install). */
  get appUser(): IUser {
    const bot = [...this.ws.users.values()].find((u) => u.appId === this.appId);
    if (!bot) throw new Error('host: the app has no bot user');
    return bot;
  }

  /** View opens/updates/errors the user's client dropped: unknown, used-up or expired triggerIds. */
  get droppedInteractions(): DroppedInteraction[] {
    return [...this.ws.droppedInteractions];
  }

  /**
   * A user shares a file in a room (or thread), as the chat's upload button does; returns the file message.
   * `federated`: the file came from another server over federation (reading it never finishes, as in Rocket.Chat).
   * `e2ee`: the user's client encrypted it end to end (stored as AES-CTR ciphertext, type application/octet-stream).
   */
  uploadFile(
    user: IUser,
    room: IRoom,
    file: { name: string; type?: string; bytes: Uint8Array },
    opts: { threadId?: string; text?: string; federated?: boolean; e2ee?: boolean } = {},
  ): IMessage {
    let bytes = Buffer.from(file.bytes);
    let type = file.type;
    if (opts.e2ee) {
      const cipher = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16));
      bytes = Buffer.concat([cipher.update(bytes), cipher.final()]);
      type = 'application/octet-stream';
    }
    const { message } = postFile(this.ws, { ...file, ...opts, type, bytes, roomId: room.id, userId: user.id });
    return this.ws.toAppMessage(message);
  }

  /** The user sends a plain text message (no app listeners are triggered). */
  sendMessage(user: IUser, room: IRoom, text: string, opts: { threadId?: string } = {}): IMessage {
    const at = this.ws.now();
    const m = this.ws.addMessage({
      id: newId(),
      roomId: room.id,
      senderId: user.id,
      text,
      createdAt: at,
      updatedAt: at,
      ...opts,
    });
    return this.ws.toAppMessage(m);
  }

  /** All messages of a room, oldest first, thread replies included, edits applied. */
  messages(roomId: string): IMessage[] {
    return this.ws.messages.filter((m) => m.roomId === roomId).map((m) => this.ws.toAppMessage(m));
  }

  directRoom(a: IUser, b: IUser): IRoom | undefined {
    return this.ws.directRoom(a, b);
  }

  /** Ephemeral messages (notifyUser) shown to the user so far. */
  ephemeral(user: IUser): IMessage[] {
    return [...this.ws.screen(user.id).ephemeral];
  }

  openViews(user: IUser) {
    return [...this.ws.screen(user.id).views.values()];
  }

  uploads() {
    return [...this.ws.uploads.values()].map((u) => ({ ...u, bytes: Buffer.from(u.bytes) }));
  }

  /** Every entry of the app's log storage (what the admin's "Logs" tab shows), JSON-safe. */
  appLogs(): unknown[] {
    return JSON.parse(JSON.stringify(this.logs.entries.filter((e) => e.appId === this.appId))) as unknown[];
  }

  /** Error-level lines of the app's logs, one string each. */
  appErrors(): string[] {
    return errorLines(this.logs, this.appId);
  }

  persistenceDump(): PersistenceRecord[] {
    return [...this.ws.persistence.values()].map((r) => clone(r));
  }

  /** The app's settings as the admin page shows them: id → value (or packageValue). */
  get settings(): Record<string, unknown> {
    const item = this.app?.getStorageItem().settings ?? {};
    return Object.fromEntries(Object.values(item).map((s) => [s.id, s.value ?? s.packageValue]));
  }

  /** Changes an app setting like the admin saving the app's settings page (runs the app's onSettingUpdated). */
  async setAppSetting(id: string, value: unknown): Promise<void> {
    const setting = this.app?.getStorageItem().settings[id];
    if (!setting) throw new Error(`host: the app has no setting ${id}`);
    await this.manager
      .getSettingsManager()
      .updateAppSetting(this.appId, { ...setting, value, updatedAt: this.ws.now() });
  }

  setServerSetting(id: string, value: unknown): void {
    this.ws.serverSettings.set(id, value);
  }

  /** Bridge calls the host does not implement, and refused permissions, seen so far. */
  get gaps(): string[] {
    return [...this.ws.gaps];
  }
  get permissionDenials(): string[] {
    return [...this.ws.permissionDenials];
  }

  /** The engine's controller of the app's Deno process (its AppsEngineDenoRuntime). */
  runtime(): AppRuntime {
    return runtimeOf(this.manager, this.appId);
  }

  /**
   * Kills the app's Deno process and starts a new one through the engine's own restart, as its liveness
   * check does when the process stops answering: what the old process was doing is lost.
   */
  restartAppProcess(): Promise<void> {
    return this.runtime().restartApp();
  }

  waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 5000): Promise<T> {
    return this.ws.waitFor(predicate, timeoutMs);
  }

  /** Stops the app's Deno process and frees the AppManager singleton, so another host can start. */
  async stop(): Promise<void> {
    this.bridges.scheduler.stopAll();
    try {
      await this.manager.unload(true);
    } finally {
      await this.app?.getRuntimeController().stopApp();
      (AppManager as unknown as { Instance?: AppManager }).Instance = undefined;
      releasePermissionDenials(this.ws);
    }
  }
}

/** Starts a workspace host with the packaged app installed and enabled. */
export function startHost(options: HostOptions): Promise<WorkspaceHost> {
  return WorkspaceHost.start(options);
}
