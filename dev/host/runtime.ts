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

/** The engine's controller of an installed app's Deno process (its AppsEngineDenoRuntime). */
export function runtimeOf(manager: AppManager, appId: string): AppRuntime {
  const app = manager.getOneById(appId) as unknown as { getRuntimeController(): AppRuntime } | undefined;
  if (!app) throw new Error(`host: no app ${appId}`);
  return app.getRuntimeController();
}
