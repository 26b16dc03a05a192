/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IOnetimeSchedule, IProcessor, IRecurringSchedule } from '@rocket.chat/apps-engine/definition/scheduler';
import { SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges/SchedulerBridge';
import type { Workspace } from '../workspace';
import { randomBytes } from 'node:crypto';
import { base } from './loud';

/** A scheduled job as the host keeps it. */
export interface HostJob {
  jobId: string;
  processorId: string;
  appId: string;
  runAt: Date;
  interval?: number;
  data?: object;
  runs: number;
  timer?: NodeJS.Timeout;
  /** The instance whose timer runs the job at its time (the one that scheduled it, or last ran it). */
  timerOf?: HostSchedulerBridge;
}

const UNITS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  second: 1e3,
  sec: 1e3,
  minute: 6e4,
  min: 6e4,
  hour: 3.6e6,
  day: 8.64e7,
  week: 6.048e8,
};

/** Milliseconds for agenda-style `when`/`interval` values: a Date, a number of ms, or "N unit(s)" ("in 5 minutes"). */
export function toMs(when: string | number | Date, now: Date): number {
  if (when instanceof Date) return when.getTime() - now.getTime();
  if (typeof when === 'number') return when;
  const parsed = Date.parse(when);
  if (!isNaN(parsed) && /\d{4}-\d{2}-\d{2}/.test(when)) return parsed - now.getTime();
  const m = /^(?:in\s+)?(\d+(?:\.\d+)?)\s*([a-z]+?)s?$/i.exec(when.trim());
  if (!m || !UNITS[m[2].toLowerCase()])
    throw new Error(`host: cannot read the schedule "${when}" (cron is not supported)`);
  return Number(m[1]) * UNITS[m[2].toLowerCase()];
}

/** A job id like agenda's: a MongoDB ObjectID as 24 hex digits. */
function objectIdHex(): string {
  return randomBytes(12).toString('hex');
}

/** Whether bson's `new ObjectID(s)` accepts `s` (24 hex digits, or any 12-character string). */
function isObjectId(s: string): boolean {
  return /^[0-9a-f]{24}$/i.test(s) || s.length === 12;
}

/**
 * In-memory scheduler with real timers (agenda in Rocket.Chat); `fire` runs a job at once. The jobs live in the
 * workspace (agenda's collection): in a cluster each instance registers its own app process's processors, and a
 * job scheduled on one instance may be cancelled or run on another.
 */
export class HostSchedulerBridge extends base(SchedulerBridge) {
  readonly processors = new Map<string, IProcessor>();
  constructor(private readonly ws: Workspace) {
    super();
  }
  /** Every job of the workspace, whichever instance scheduled it. */
  get jobs(): Map<string, HostJob> {
    return this.ws.jobs;
  }
  private arm(job: HostJob, delay: number): void {
    clearTimeout(job.timer);
    job.timer = setTimeout(() => void this.fire(job.jobId), Math.max(0, delay));
    job.timer.unref?.();
    job.timerOf = this;
  }
  protected async registerProcessors(processors: IProcessor[]): Promise<void | string[]> {
    for (const p of processors) this.processors.set(p.id, p);
    return processors.map((p) => p.id);
  }
  private add(job: HostJob, delay: number): string {
    this.jobs.set(job.jobId, job);
    this.arm(job, delay);
    this.ws.changed();
    return job.jobId;
  }
  protected async scheduleOnce(job: IOnetimeSchedule, appId: string): Promise<void | string> {
    const delay = toMs(job.when, this.ws.now());
    const runAt = new Date(this.ws.now().getTime() + delay);
    return this.add({ jobId: objectIdHex(), processorId: job.id, appId, runAt, data: job.data, runs: 0 }, delay);
  }
  protected async scheduleRecurring(job: IRecurringSchedule, appId: string): Promise<void | string> {
    const interval = toMs(job.interval, this.ws.now());
    const delay = job.skipImmediate ? interval : 0;
    const runAt = new Date(this.ws.now().getTime() + delay);
    return this.add(
      { jobId: objectIdHex(), processorId: job.id, appId, runAt, interval, data: job.data, runs: 0 },
      delay,
    );
  }
  /**
   * As apps/meteor/app/apps/server/bridges/scheduler.ts: the engine hands over `<id>_<appId>`; the part before
   * the first `_` is tried as the job's ObjectID, and if it is not one, the whole string is taken as a processor
   * name (`<processorId>_<appId>`) and every job of that processor is cancelled.
   */
  protected async cancelJob(jobId: string): Promise<void> {
    const head = jobId.split('_')[0];
    for (const job of this.jobs.values()) {
      if (isObjectId(head) ? job.jobId === head : job.processorId === jobId) this.drop(job);
    }
  }
  protected async cancelAllJobs(appId: string): Promise<void> {
    for (const job of this.jobs.values()) if (job.appId === appId) this.drop(job);
  }
  private drop(job: HostJob): void {
    clearTimeout(job.timer);
    this.jobs.delete(job.jobId);
  }
  /** Runs a job now (like agenda would at its time) with `{ jobId, ...data }` as Rocket.Chat passes it. */
  async fire(jobId: string): Promise<void> {
    const job = this.jobs.get(jobId);
    if (!job) return;
    const processor = this.processors.get(job.processorId);
    if (!processor) return this.ws.gap(`host: no processor ${job.processorId} for job ${jobId}`);
    job.runs++;
    if (job.interval) {
      this.arm(job, job.interval);
    } else {
      clearTimeout(job.timer); // when another instance runs it first
      this.jobs.delete(jobId);
    }
    try {
      // the engine's wrapped processor takes only the job context and calls into the app itself
      await (processor.processor as unknown as (ctx: object) => Promise<void>)({ jobId, ...job.data });
    } catch (e) {
      this.ws.gap(`host: job ${job.processorId} failed: ${(e as Error).message}`);
    }
    this.ws.changed();
  }
  /**
   * Stops this instance's timers. Its jobs stay in the workspace; agenda on every instance polls that collection,
   * so a surviving instance (`heir`) runs them at their time, as Rocket.Chat does when a server goes down.
   */
  stopAll(heir?: HostSchedulerBridge): void {
    for (const job of this.jobs.values()) {
      if (job.timerOf !== this) continue;
      clearTimeout(job.timer);
      if (heir) heir.arm(job, job.runAt.getTime() - this.ws.now().getTime());
    }
  }
}
