import type { WorkspaceHost } from '../host';

interface RuntimeData {
  restartCount: number;
  restartLog: Array<{ reason: string; restartedAt: string; pid?: number }>;
}

/** What the engine's liveness manager did to the app's Deno process (the host does not expose it). */
export function liveness(host: WorkspaceHost): RuntimeData {
  const app = host.manager.getOneById(host.appId) as unknown as {
    getRuntimeController(): { livenessManager: { getRuntimeData(): RuntimeData } };
  };
  return app.getRuntimeController().livenessManager.getRuntimeData();
}

/**
 * Runs one measurement, but gives up as soon as the engine restarts the app's Deno process: the restarted app
 * has lost the background job, and the user would only ever see the first progress message.
 */
export async function unlessRestarted<T>(host: WorkspaceHost, run: () => Promise<T>): Promise<T> {
  const before = liveness(host).restartCount;
  let timer: NodeJS.Timeout | undefined;
  const restarted = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const data = liveness(host);
      if (data.restartCount > before) {
        const last = data.restartLog.at(-1);
        reject(new Error(`the engine restarted the Deno process (${last?.reason ?? 'unknown reason'})`));
      }
    }, 250);
  });
  try {
    return await Promise.race([run(), restarted]);
  } finally {
    clearInterval(timer);
  }
}

/**
 * When the engine kills a Deno process it is still writing a big message to, the write fails with EPIPE on the
 * child's stdin, an 'error' event nobody listens to: it would crash this (the server's) process. Counted and
 * survived here, so the bench can report it; anything else still crashes.
 */
export function surviveEpipe(): { count: number } {
  const seen = { count: 0 };
  process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      seen.count++;
      process.stderr.write(`bench: engine write to a killed Deno process failed (EPIPE): ${error.message}\n`);
      return;
    }
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
  return seen;
}
