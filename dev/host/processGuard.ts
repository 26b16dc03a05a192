/**
 * What the host adds around the engine's controller of an app's Deno process so that stopping a host is orderly:
 * the engine answers a bridge call of the app by writing to the process's stdin, and it puts no 'error' listener
 * on that pipe. A call that was still running when the process was killed (a job's last message edit, say) then
 * writes to a dead pipe, and the EPIPE, unhandled, ends the whole Node process: a test or the demo "fails" after
 * every check passed. The host drains such calls before it stops the app, and records a write to a dead process
 * instead of dying of it.
 */

import type { ChildProcess } from 'node:child_process';

/** The engine's runtime controller (AppsEngineDenoRuntime) as far as the guard touches it. */
interface RuntimeInternals {
  deno?: ChildProcess;
  setupListeners(): void;
  handleIncomingMessage(message: unknown): Promise<void>;
}

/** What a guarded runtime tells the host. */
export interface GuardedProcess {
  /** Resolves once no call of the app has been running for `quietMs`, or after `maxMs` at the latest. */
  settled(quietMs?: number, maxMs?: number): Promise<void>;
}

/**
 * Counts the app's calls into the engine (requests from its process) and puts an 'error' listener on the
 * process's stdin, now and after every restart of the process. `onDeadWrite` receives what such a write failed with.
 */
export function guardAppProcess(runtime: unknown, onDeadWrite: (err: Error) => void): GuardedProcess {
  const rt = runtime as RuntimeInternals;
  const listen = (): void => void rt.deno?.stdin?.on('error', onDeadWrite);
  const setupListeners = rt.setupListeners.bind(rt);
  rt.setupListeners = () => {
    setupListeners();
    listen();
  };
  listen();

  let running = 0;
  let lastActivity = Date.now();
  const handleIncomingMessage = rt.handleIncomingMessage.bind(rt);
  rt.handleIncomingMessage = async (message) => {
    running += 1;
    lastActivity = Date.now();
    try {
      await handleIncomingMessage(message);
    } finally {
      running -= 1;
      lastActivity = Date.now();
    }
  };

  return {
    async settled(quietMs = 300, maxMs = 5000) {
      const deadline = Date.now() + maxMs;
      while (Date.now() < deadline && (running > 0 || Date.now() - lastActivity < quietMs)) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}
