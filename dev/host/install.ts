import { AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import type { HostBridges } from './bridges/HostBridges';
import type { MemoryLogStorage } from './storage';

/** Registrations an install must produce; anything missing fails the install. */
export interface InstallExpectations {
  slashCommands?: string[];
  actionButtons?: string[];
  settings?: string[];
}

function logDump(logs: MemoryLogStorage, appId: string): string {
  return JSON.stringify(
    logs.entries.filter((e) => e.appId === appId),
    null,
    1,
  );
}

/**
 * Installs a packaged app as Rocket.Chat's admin upload does: the admin grants exactly the permissions app.json
 * lists (none when it lists none — then the engine applies its default set), and the app is enabled. Then checks
 * it came up: enabled, expected registrations present, no error in its logs.
 */
export async function installApp(
  manager: AppManager,
  bridges: HostBridges,
  logs: MemoryLogStorage,
  zip: Buffer,
  admin: IUser,
  expect: InstallExpectations,
): Promise<ProxiedApp> {
  // read app.json with the engine's own parser, as Rocket.Chat shows the permissions to the admin before install
  const { info } = await manager.getParser().unpackageApp(zip);
  const aff = await manager.add(zip, { enable: true, permissionsGranted: info.permissions, user: admin });
  const app = aff.getApp();
  const problems: string[] = [];
  if (aff.getStorageError()) problems.push(`storage: ${aff.getStorageError()}`);
  if (aff.getAppUserError()) problems.push(`app user: ${JSON.stringify(aff.getAppUserError())}`);
  if (!app) throw new Error(`host: install failed: ${problems.join('; ') || 'no app'}`);
  await checkCameUp(manager, bridges, logs, app, expect, problems);
  return app;
}

/** Throws with the app's logs unless it is enabled, registered what `expect` lists, and logged no error. */
async function checkCameUp(
  manager: AppManager,
  bridges: HostBridges,
  logs: MemoryLogStorage,
  app: ProxiedApp,
  expect: InstallExpectations,
  problems: string[] = [],
): Promise<void> {
  const id = app.getID();
  const status = await app.getStatus();
  if (!AppStatusUtils.isEnabled(status)) problems.push(`status is ${status}, not enabled`);
  const commands = [...bridges.commands.commands].filter(([, c]) => c.appId === id).map(([name]) => name);
  const buttons = (await manager.getUIActionButtonManager().getAllActionButtons())
    .filter((b) => b.appId === id)
    .map((b) => b.actionId);
  const settings = Object.keys(app.getStorageItem().settings ?? {});
  for (const c of expect.slashCommands ?? [])
    if (!commands.includes(c)) problems.push(`slash command /${c} not registered`);
  for (const b of expect.actionButtons ?? [])
    if (!buttons.includes(b)) problems.push(`action button ${b} not registered`);
  for (const s of expect.settings ?? []) if (!settings.includes(s)) problems.push(`setting ${s} not registered`);
  const errors = logs.entries
    .filter((e) => e.appId === id)
    .flatMap((e) => e.entries.filter((l) => String(l.severity) === 'error'));
  if (errors.length) problems.push(`${errors.length} error(s) in the app's logs`);
  if (problems.length) {
    throw new Error(`host: the app did not come up cleanly:\n- ${problems.join('\n- ')}\nlogs:\n${logDump(logs, id)}`);
  }
}

/**
 * Starts an app that another server instance installed, as each instance of a Rocket.Chat cluster does at
 * startup (apps/meteor/ee/server/apps/orchestrator.ts `load`): `load()` reads every app from the shared storage,
 * `loadOne(id, true)` starts its own process and enables it. No `onInstall`: that ran once, on the installing
 * instance. Then checks it came up like {@link installApp}.
 */
export async function loadInstalledApp(
  manager: AppManager,
  bridges: HostBridges,
  logs: MemoryLogStorage,
  appId: string,
  expect: InstallExpectations,
): Promise<ProxiedApp> {
  await manager.load();
  const app = await manager.loadOne(appId, true);
  if (!app) throw new Error(`host: no installed app ${appId} in the shared storage`);
  await checkCameUp(manager, bridges, logs, app, expect);
  return app;
}
