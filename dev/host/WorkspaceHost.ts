import { assertEngineLoaded } from './engine';
import fs from 'node:fs';
import path from 'node:path';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import { HostBridges } from './bridges/HostBridges';
import { installApp, loadInstalledApp } from './install';
import { runtimeOf, type AppRuntime } from './runtime';
import type { InstallExpectations } from './install';
import { WorkspaceView } from './workspaceView';
import { errorLines, prepareDeno, releasePermissionDenials, watchPermissionDenials } from './process';
import { MemoryLogStorage, MemoryMetadataStorage, MemorySourceStorage } from './storage';
import type { HostRules } from './rules';
import { DEFAULT_SERVER_SETTINGS, STRICT_RULES } from './rules';
import { Workspace } from './workspace';
import type { GuardedProcess } from './processGuard';
import { guardAppProcess } from './processGuard';

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

/** What the server instances of one workspace share besides the Workspace: the engine's storages, the clock. */
interface SharedByInstances {
  readonly metadata: MemoryMetadataStorage;
  readonly sources: MemorySourceStorage;
  readonly logs: MemoryLogStorage;
  /** How far the workspace clock has been moved ahead of `options.now` (see advanceClock). */
  readonly clockShift: { ms: number };
  /** The hosts running, the first (which holds `AppManager.Instance`) first. */
  readonly instances: WorkspaceHost[];
}

const TEMP_FILE_PATH = path.join(ROOT, '.cache', 'host-tmp');

function setManagerInstance(manager: AppManager | undefined): void {
  (AppManager as unknown as { Instance?: AppManager }).Instance = manager;
}

/** A local Rocket.Chat workspace around the real AppManager and the real Deno runtime, with one app installed. */
export class WorkspaceHost extends WorkspaceView {
  private constructor(
    readonly ws: Workspace,
    readonly manager: AppManager,
    readonly bridges: HostBridges,
    private readonly shared: SharedByInstances,
    readonly admin: IUser,
    readonly general: IRoom,
    private app?: ProxiedApp,
  ) {
    super(ws, manager, () => this.appId, bridges.commands);
    shared.instances.push(this);
  }

  private get logs(): MemoryLogStorage {
    return this.shared.logs;
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
    const shared: SharedByInstances = {
      metadata: new MemoryMetadataStorage(),
      sources: new MemorySourceStorage(),
      logs: new MemoryLogStorage(),
      clockShift: shift,
      instances: [],
    };
    fs.mkdirSync(TEMP_FILE_PATH, { recursive: true });
    const manager = new AppManager({
      metadataStorage: shared.metadata,
      logStorage: shared.logs,
      bridges,
      sourceStorage: shared.sources,
      tempFilePath: TEMP_FILE_PATH,
    });
    watchPermissionDenials(ws);
    bridges.api.attach(manager);
    const host = new WorkspaceHost(ws, manager, bridges, shared, admin, general);
    try {
      await manager.load();
      const zip = Buffer.isBuffer(options.appZip) ? options.appZip : fs.readFileSync(options.appZip);
      host.app = await installApp(manager, bridges, shared.logs, zip, admin, options.expect ?? {});
      host.guardProcess();
      for (const [id, value] of Object.entries(options.appSettings ?? {})) await host.setAppSetting(id, value);
    } catch (e) {
      await host.stop();
      throw e;
    }
    return host;
  }

  /**
   * Starts another server instance of this host's workspace, as a Rocket.Chat cluster runs them: its own
   * AppManager, bridges and Deno process for the app, over the same database (users, rooms, messages, uploads,
   * persistence, settings, scheduler jobs, the engine's app storages) and clock. It starts the app this host
   * installed the way an instance starts at boot (no `onInstall`). The engine allows one AppManager per process
   * and its permission checks ask `AppManager.Instance`: the new manager is built with the singleton cleared, which
   * is then given back to this host's manager; the app and its granted permissions are the same on both (checked).
   * This host must stay up while instances run: its `stop()` stops them first.
   */
  async startInstance(options: { expect?: InstallExpectations } = {}): Promise<WorkspaceHost> {
    if (AppManager.Instance !== this.manager) throw new Error('host: start instances from the first, running host');
    const bridges = new HostBridges(this.ws);
    const { metadata, sources, logs } = this.shared;
    setManagerInstance(undefined);
    let manager: AppManager;
    try {
      manager = new AppManager({
        metadataStorage: metadata,
        logStorage: logs,
        bridges,
        sourceStorage: sources,
        tempFilePath: TEMP_FILE_PATH,
      });
    } finally {
      setManagerInstance(this.manager);
    }
    bridges.api.attach(manager);
    const host = new WorkspaceHost(this.ws, manager, bridges, this.shared, this.admin, this.general);
    try {
      host.app = await loadInstalledApp(manager, bridges, logs, this.appId, options.expect ?? {});
      host.guardProcess();
      const granted = (m: AppManager) => JSON.stringify(m.getPermissionsById(this.appId));
      if (granted(manager) !== granted(this.manager))
        throw new Error('host: the instances grant different permissions');
    } catch (e) {
      await host.stop();
      throw e;
    }
    return host;
  }

  /**
   * Moves the workspace clock ahead, as time passing would, and runs the scheduler jobs that fall due
   * (Rocket.Chat's agenda would). Tests use it instead of sleeping; the app's own process keeps real time.
   */
  async advanceClock(ms: number): Promise<void> {
    this.shared.clockShift.ms += ms;
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

  /** The app's bot user (created by the engine at install). */
  get appUser(): IUser {
    const bot = [...this.ws.users.values()].find((u) => u.appId === this.appId);
    if (!bot) throw new Error('host: the app has no bot user');
    return bot;
  }

  /** Every entry of the app's log storage (what the admin's "Logs" tab shows), JSON-safe. */
  appLogs(): unknown[] {
    return JSON.parse(JSON.stringify(this.logs.entries.filter((e) => e.appId === this.appId))) as unknown[];
  }

  /** Error-level lines of the app's logs, one string each. */
  appErrors(): string[] {
    return errorLines(this.logs, this.appId);
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

  private guard?: GuardedProcess;

  /**
   * Lets stop() wait for the app's running calls. A call answered after its process was killed (by stop() or
   * restartAppProcess()) is lost with that process, as in Rocket.Chat: the failed write is not an error of the app.
   */
  private guardProcess(): void {
    this.guard = guardAppProcess(this.app?.getRuntimeController(), () => undefined);
  }

  /**
   * Serves the app's REST endpoints over HTTP on 127.0.0.1, as Rocket.Chat's router does (docs/dev/HOST.md, "App
   * HTTP endpoints"); returns the server's base URL. The app's endpoints are then at
   * `<url>/api/apps/public/<appId>/<path>`. Closed by `stop()`.
   */
  serveHttp(): Promise<string> {
    return this.bridges.api.server.listen();
  }

  /** Headers a logged-in client of `user` sends to authenticated endpoints (X-User-Id / X-Auth-Token). */
  authHeaders(user: IUser): Record<string, string> {
    return { 'X-User-Id': user.id, 'X-Auth-Token': this.bridges.api.server.loginToken(user) };
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

  /**
   * Stops the app's Deno process. The first host of a workspace stops its other instances first and frees the
   * AppManager singleton, so another host can start.
   */
  async stop(): Promise<void> {
    const first = this.shared.instances[0] === this;
    if (first) for (const other of this.shared.instances.filter((h) => h !== this).reverse()) await other.stop();
    const survivor = this.shared.instances.find((h) => h !== this);
    this.bridges.scheduler.stopAll(survivor?.bridges.scheduler);
    await this.guard?.settled();
    await this.bridges.api.server.close();
    try {
      await this.manager.unload(true);
    } finally {
      await this.app?.getRuntimeController().stopApp();
      this.shared.instances.splice(this.shared.instances.indexOf(this), 1);
      if (first) {
        setManagerInstance(undefined);
        releasePermissionDenials(this.ws);
      }
    }
  }
}

/** Starts a workspace host with the packaged app installed and enabled. */
export function startHost(options: HostOptions): Promise<WorkspaceHost> {
  return WorkspaceHost.start(options);
}
