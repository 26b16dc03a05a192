import type { AppManager } from '@rocket.chat/apps-engine/server/AppManager';

/** The parts of the engine's runtime controller the host's users look at. */
export interface AppRuntime {
  restartApp(): Promise<void>;
  getProcessState(): string;
  livenessManager: {
    getRuntimeData(): {
      restartCount: number;
      restartLog: Array<{ reason: string; restartedAt: string; pid?: number }>;
    };
  };
}

/** A ProxiedApp as engines of the matrix expose its controller: 1.59+ `getRuntimeController`, 1.53 `getDenoRuntime`. */
interface AnyProxiedApp {
  getRuntimeController?(): AppRuntime & { stopApp(): Promise<unknown> };
  getDenoRuntime?(): AppRuntime & { stopApp(): Promise<unknown> };
}

/** The controller of an app's Deno process, whichever engine version of the matrix runs it. */
export function controllerOf(app: object): AppRuntime & { stopApp(): Promise<unknown> } {
  const proxied = app as AnyProxiedApp;
  const controller = proxied.getRuntimeController?.() ?? proxied.getDenoRuntime?.();
  if (!controller) throw new Error('host: this engine exposes no runtime controller of the app');
  return controller;
}

/** The engine's controller of an installed app's Deno process (its AppsEngineDenoRuntime). */
export function runtimeOf(manager: AppManager, appId: string): AppRuntime {
  const app = manager.getOneById(appId);
  if (!app) throw new Error(`host: no app ${appId}`);
  return controllerOf(app);
}
