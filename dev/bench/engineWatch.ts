import type { WorkspaceHost } from '../host';

/** What the engine's liveness manager did to the app's Deno process. */
export function liveness(host: WorkspaceHost) {
  return host.runtime().livenessManager.getRuntimeData();
}

/** A run with no bridge call for this long is given up: a restart can leave it waiting forever. */
const STALL_LIMIT_MS = 300_000;
const READY_LIMIT_MS = 120_000;

function processState(host: WorkspaceHost): string {
  return host.runtime().getProcessState();
}

/** After a restart, waits until the engine has the app's new process ready, so the next run is not lost too. */
async function untilReady(host: WorkspaceHost): Promise<void> {
  const deadline = Date.now() + READY_LIMIT_MS;
  while (processState(host) !== 'ready' && Date.now() < deadline) {
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

/**
 * Runs one measurement, but gives up as soon as the engine restarts the app's Deno process (the restarted app
 * has lost the background job) or when `lastActivity` (the time of the app's latest bridge call) is more than
 * STALL_LIMIT_MS ago: a 100 MiB put is still working after 5 minutes, a stuck one has gone quiet.
 */
export async function unlessRestarted<T>(
  host: WorkspaceHost,
  run: () => Promise<T>,
  lastActivity: () => number = () => 0,
): Promise<T> {
  const before = liveness(host).restartCount;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const restarted = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const data = liveness(host);
      if (data.restartCount > before) {
        const last = data.restartLog.at(-1);
        reject(new Error(`the engine restarted the Deno process (${last?.reason ?? 'unknown reason'})`));
      } else if (Date.now() - Math.max(started, lastActivity()) > STALL_LIMIT_MS) {
        const quiet = `no bridge call for ${STALL_LIMIT_MS / 1000} s`;
        reject(new Error(`${quiet} (process state ${processState(host)})`));
      }
    }, 250);
  });
  try {
    return await Promise.race([run(), restarted]);
  } catch (error) {
    await untilReady(host);
    throw error;
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
