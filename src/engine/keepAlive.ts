/**
 * The engine pings the app's process every 10 s when it has heard nothing from it for that long, and restarts
 * the process after four pings in a row went unanswered for a second each (its LivenessManager). Any message
 * from the process counts as a sign of life. A big message to the process (an upload's bytes, a large HTTP
 * response) holds the pings up in the same pipe for as long as the process takes to decode it, which for tens
 * of MiB can outlast those four pings: a process that is working gets killed. A small request sent from the
 * process on a timer reaches the engine meanwhile and keeps it counted alive.
 */
export const ENGINE_PING_INTERVAL_MS = 10_000;

/** A running keep-alive; `stop` ends it. */
export interface KeepAlive {
  /** Stops the timer and waits for a pending `beat`, so none outlives the caller's work. */
  stop(): Promise<void>;
}

/** What a keep-alive sends. */
export interface KeepAliveBeats {
  /** The request each tick sends, e.g. a record's renewal; its failure is ignored. */
  beat(): Promise<unknown>;
  /**
   * Sent instead while the last `beat` has not been answered yet (its answer can wait behind the same big message):
   * a request without side effects, such as a read, so beats never overlap and never pile up.
   */
  whileBusy(): Promise<unknown>;
}

/**
 * Starts sending a small request to the engine every `everyMs` (a timer, not the caller's own steps: one HTTP
 * call to a slow provider may take minutes) until `stop`.
 */
export function startKeepAlive(beats: KeepAliveBeats, everyMs = ENGINE_PING_INTERVAL_MS): KeepAlive {
  let pending: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (pending) {
      beats.whileBusy().catch(() => undefined);
      return;
    }
    pending = beats
      .beat()
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => (pending = undefined));
  }, everyMs);
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await pending;
    },
  };
}
