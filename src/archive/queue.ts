/**
 * The archive jobs of this process: at most {@link MAX_JOBS} run at once and at most {@link MAX_BYTES_HELD} of
 * uploads wait in memory. An upload that does not fit is not held: its entry waits for the chat copy instead
 * (archiver.ts). State that must survive the process lives in the entries (persistence), never here.
 */
export const MAX_JOBS = 2;
export const MAX_BYTES_HELD = 256 * 1024 * 1024;

interface Waiting {
  readonly bytes: number;
  readonly run: () => Promise<void>;
}

class ArchiveQueue {
  private running = 0;
  private held = 0;
  private readonly waiting: Waiting[] = [];

  /** Holds `bytes` for a job if the cap allows; false when it does not (nothing is held then). */
  tryHold(bytes: number): boolean {
    if (this.held + bytes > MAX_BYTES_HELD) return false;
    this.held += bytes;
    return true;
  }

  /** Runs `run` when a slot is free; `bytes` (held by tryHold, or 0) are released when it ends. */
  submit(bytes: number, run: () => Promise<void>): void {
    this.waiting.push({ bytes, run });
    this.next();
  }

  get bytesHeld(): number {
    return this.held;
  }

  private next(): void {
    while (this.running < MAX_JOBS && this.waiting.length > 0) {
      const job = this.waiting.shift() as Waiting;
      this.running++;
      // the hook has returned by the time a job starts: the upload request never waits for it
      setTimeout(() => {
        job
          .run()
          .catch(() => undefined)
          .finally(() => {
            this.running--;
            this.held -= job.bytes;
            this.next();
          });
      }, 0);
    }
  }
}

/** The one queue of this process. */
export const archiveQueue = new ArchiveQueue();
