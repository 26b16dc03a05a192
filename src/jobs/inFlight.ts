import type { IModify, IPersistence, IPersistenceRead, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { Chat } from '../chat/Chat';
import type { ProgressMessage } from '../chat/ProgressMessage';
import { randomBytes } from '../crypto';
import { ENGINE_PING_INTERVAL_MS, startKeepAlive } from '../engine/keepAlive';
import { translatorForUser } from '../i18n/translate';

/** The scheduler job that reports jobs a restart of the app's process cut off; scheduled by `onEnable`. */
export const REPORT_INTERRUPTED_JOB = 'ipfs-report-interrupted';

export enum JobKind {
  Store = 'store',
  Retrieve = 'retrieve',
  Revoke = 'revoke',
}

/**
 * A running store, retrieval or revocation, written down while it runs. The engine kills the app's process when it stops
 * answering (a big file can do that) and a server can restart: the job is then gone without a word, and its
 * progress message would say "uploading… 40%" forever. Holds no secret: who, which message, what kind.
 */
interface InFlightRecord {
  readonly messageId: string;
  readonly userId: string;
  readonly kind: JobKind;
  readonly startedAt: number;
  /** The process that runs it. */
  readonly processId: string;
  /** Renewed while the job runs; see STALE_AFTER_MS. */
  readonly aliveAt: number;
}

/**
 * A record not renewed for this long belongs to a process that is gone. The engine kills a process that stalls
 * for ~40 s, so a killed job's record is always older than this when the new process looks. In a server
 * cluster (one process per instance) another instance's job that stalls this long is reported too early; its
 * own end then overwrites the report with the real outcome.
 */
const STALE_AFTER_MS = 30_000;
/** How soon to look again while a record from another process is not stale yet. */
export const RECHECK_AFTER = '15 seconds';

/** Drawn once per process of the app: the engine's restart gives the app a new one. */
const PROCESS_ID = Buffer.from(randomBytes(12)).toString('hex');

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-in-flight-job');

function associations(messageId: string): RocketChatAssociationRecord[] {
  return [KIND, new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `in-flight:${messageId}`)];
}

export class InFlightJobs {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
    private readonly heartbeatMs = ENGINE_PING_INTERVAL_MS,
  ) {}

  /** Runs `work` with its record kept while it runs; the record goes whatever the outcome. */
  public async track<T>(progress: ProgressMessage, userId: string, kind: JobKind, work: () => Promise<T>): Promise<T> {
    const startedAt = Date.now();
    const record = { messageId: progress.id, userId, kind, startedAt, processId: PROCESS_ID, aliveAt: startedAt };
    await this.write(record);
    // Renewed on the engine's keep-alive timer: its requests also keep the process counted alive while it
    // receives a big upload. While a renewal's answer is pending the keep-alive only reads (no side effect), and
    // `stop` waits for it, so renewals never overlap each other or the final removal.
    const keepAlive = startKeepAlive(
      {
        beat: () => this.write({ ...record, aliveAt: Date.now() }),
        whileBusy: () => this.reader.readByAssociations(associations(record.messageId)),
      },
      this.heartbeatMs,
    );
    try {
      return await work();
    } finally {
      await keepAlive.stop();
      await this.persistence.removeByAssociations(associations(record.messageId));
    }
  }

  /** Records of other processes' jobs: `dead` ones can no longer finish, `alive` ones may still. */
  public async othersJobs(now = Date.now()): Promise<{ dead: InFlightRecord[]; alive: InFlightRecord[] }> {
    const records = (await this.reader.readByAssociation(KIND)) as InFlightRecord[];
    const others = records.filter((record) => record.processId !== PROCESS_ID);
    return {
      dead: others.filter((record) => now - record.aliveAt > STALE_AFTER_MS),
      alive: others.filter((record) => now - record.aliveAt <= STALE_AFTER_MS),
    };
  }

  /** Remove-then-create: some Rocket.Chat versions fail updating an existing record. */
  private async write(record: InFlightRecord): Promise<void> {
    await this.persistence.removeByAssociations(associations(record.messageId));
    await this.persistence.createWithAssociations(record, associations(record.messageId));
  }

  public async forget(record: InFlightRecord): Promise<void> {
    await this.persistence.removeByAssociations(associations(record.messageId));
  }
}

/** What the user reads when a restart cut their job off. */
const INTERRUPTED_TEXT: Record<JobKind, string> = {
  [JobKind.Store]: 'progress_store_interrupted',
  [JobKind.Retrieve]: 'progress_get_interrupted',
  [JobKind.Revoke]: 'progress_revoke_interrupted',
};

/**
 * Ends the progress message of every job a restart cut off with a clear word in its user's language, then
 * forgets it. A store or retrieval pins or posts only at its very end, so trying again is safe; a revocation can
 * stop half done, and its text says how to check. Looks again later while another process's job may be one
 * that just died.
 */
export async function reportInterruptedJobs(read: IRead, modify: IModify, persistence: IPersistence): Promise<void> {
  const jobs = new InFlightJobs(persistence, read.getPersistenceReader());
  const chat = new Chat(read, modify);
  const { dead, alive } = await jobs.othersJobs();
  if (alive.length > 0) {
    await modify.getScheduler().scheduleOnce({ id: REPORT_INTERRUPTED_JOB, when: RECHECK_AFTER });
  }
  for (const record of dead) {
    const user = await read.getUserReader().getById(record.userId);
    if (user) {
      const t = await translatorForUser(user, read);
      const text = t(INTERRUPTED_TEXT[record.kind] ?? 'progress_get_interrupted');
      try {
        await chat.edit(record.messageId, text);
      } catch {
        // the message is gone (deleted by the user): nothing left to correct
      }
    }
    await jobs.forget(record);
  }
}
