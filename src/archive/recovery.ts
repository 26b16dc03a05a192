import type { Accessors } from '../edge/Accessors';
import { AttemptState, ArchiveEntries, EntryStatus, type ArchiveEntry } from './entries';
import {
  ARCHIVE_PROCESS_ID,
  archiveFromChatCopy,
  ChatCopyOutcome,
  FailReason,
  isHeldHere,
  STALE_AFTER_MS,
} from './archiver';

/** The scheduler job that retries archive jobs a restart cut off or the queue could not hold yet. */
export const ARCHIVE_RECOVERY_JOB = 'ipfs-archive-recovery';

/** How soon the recovery job runs again while some entry still waits. */
const RETRY_AFTER = '15 seconds';

/** A pending entry no process renewed lately, and no waiting one: cut off by a restart ("not archived"). */
export function isCutOff(entry: ArchiveEntry, now: number): boolean {
  return (
    entry.status === EntryStatus.Pending &&
    !entry.waiting &&
    entry.processId !== ARCHIVE_PROCESS_ID &&
    now - entry.aliveAt > STALE_AFTER_MS
  );
}

/**
 * Makes sure the recovery job runs again soon: one pending run replaces any other (a cancel by the processor's
 * name drops its every job, docs/dev/HOST.md "Scheduler cancel"), so entries waiting in numbers start no more runs.
 */
export async function scheduleRecovery(accessors: Accessors): Promise<void> {
  const scheduler = accessors.modify.getScheduler();
  await scheduler.cancelJob(ARCHIVE_RECOVERY_JOB).catch(() => undefined);
  await scheduler.scheduleOnce({ id: ARCHIVE_RECOVERY_JOB, when: RETRY_AFTER });
}

/**
 * Run by the scheduler shortly after every start of the app's process, and again while needed, on whichever
 * instance the scheduler picks. Pending entries no process holds are dealt with here:
 * - waiting ones (the queue could not hold their chat copy): tried again, so they wait until it can;
 * - ones whose process is gone (not renewed for {@link STALE_AFTER_MS}): retried from the chat copy when linked and
 *   small enough to read back, otherwise recorded "not archived" with the reason — never silently missing.
 * Entries another process still renews, or this process holds, are left to it. The job schedules itself again
 * while any entry may still need it. Two instances may both retry one entry: it is then archived twice (two
 * versions in the uploader's directory), never lost.
 */
export async function recoverInterruptedArchives(accessors: Accessors): Promise<void> {
  const store = new ArchiveEntries(accessors.persistence, accessors.read.getPersistenceReader());
  const now = Date.now();
  let again = false;
  for (const entry of await store.all()) {
    if (entry.status !== EntryStatus.Pending || isHeldHere(entry.entryId)) continue;
    const stale = now - entry.aliveAt > STALE_AFTER_MS;
    if (entry.waiting || (stale && entry.fileId)) {
      const outcome = await archiveFromChatCopy(accessors, entry);
      again ||= outcome === ChatCopyOutcome.Waiting;
    } else if (stale) {
      await store.attempt(entry, {
        processId: ARCHIVE_PROCESS_ID,
        aliveAt: now,
        state: AttemptState.Failed,
        reason: FailReason.Interrupted,
      });
    } else {
      again = true; // another process renews it, or it awaits its file message: look again later
    }
  }
  if (again) {
    await accessors.modify.getScheduler().scheduleOnce({ id: ARCHIVE_RECOVERY_JOB, when: RETRY_AFTER });
  }
}
