/**
 * Let the handler's answer leave the app before the work starts: a job that begins with CPU-bound work (scrypt
 * takes seconds) would otherwise run inside the same turn and hold the answer back.
 */
const START_DELAY_MS = 20;

/**
 * Starts work that must outlive the current call into the app (the client gives up on a modal after
 * 5 s, the engine on a call after 30 s). The work reports to the user itself; `onError` tells the user
 * when it fails, and a failure of `onError` is swallowed because there is nobody left to tell.
 */
export function runInBackground(work: () => Promise<void>, onError: (error: unknown) => Promise<void>): void {
  setTimeout(() => {
    const started = (async (): Promise<void> => {
      try {
        await work();
      } catch (error) {
        await onError(error);
      }
    })();
    started.catch(() => undefined);
  }, START_DELAY_MS);
}
