import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Peak resident memory of the app's Deno process and of this (host) Node process during one measurement. */
export interface PeakMemory {
  denoMiB: number;
  hostMiB: number;
  /** The longest the host's event loop was blocked (e.g. decoding a big message from the app), in ms. */
  hostStallMs: number;
}

const MiB = 1024 * 1024;

/** `VmRSS` or `VmHWM` of a process in bytes, or 0 when it cannot be read (process gone). */
function statusBytes(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resets the kernel's peak-RSS counter (VmHWM) of a process; false where that is not allowed. */
function resetPeak(pid: number | 'self'): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * The engine's Deno child of this process. The host does not expose the runtime's pid, so it is found in /proc:
 * a child of ours whose command is `deno` (the IPFS node is a `node` child). Looked up again on every sample,
 * since the engine restarts the process when it stops answering pings.
 */
export function denoPid(): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so split after the closing parenthesis
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'deno' && ppid === process.pid) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/**
 * Samples VmRSS of both processes every 50 ms and, where the kernel allows resetting it, also reads the peak
 * (VmHWM) at the end: a blocked host event loop delays the samples, but not the kernel's own peak.
 */
export class MemoryWatch {
  private denoPeak = 0;
  private hostPeak = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly hwm: { deno: number | undefined; host: boolean };
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.loop.enable();
    const pid = denoPid();
    this.hwm = { deno: pid !== undefined && resetPeak(pid) ? pid : undefined, host: resetPeak('self') };
    this.sample();
    this.timer = setInterval(() => this.sample(), 50);
  }

  private sample(): void {
    const pid = denoPid();
    if (pid !== undefined) this.denoPeak = Math.max(this.denoPeak, statusBytes(pid, 'VmRSS'));
    this.hostPeak = Math.max(this.hostPeak, statusBytes('self', 'VmRSS'));
  }

  stop(): PeakMemory {
    clearInterval(this.timer);
    this.loop.disable();
    this.sample();
    // the HWM only counts if it is still the same process we reset
    if (this.hwm.deno !== undefined && this.hwm.deno === denoPid()) {
      this.denoPeak = Math.max(this.denoPeak, statusBytes(this.hwm.deno, 'VmHWM'));
    }
    if (this.hwm.host) this.hostPeak = Math.max(this.hostPeak, statusBytes('self', 'VmHWM'));
    return {
      denoMiB: Math.round(this.denoPeak / MiB),
      hostMiB: Math.round(this.hostPeak / MiB),
      hostStallMs: Math.round(this.loop.max / 1e6),
    };
  }
}

/** The app's Deno process's resident memory now, in MiB (0 when it is not running): the baseline of a run. */
export function denoRssMiB(): number {
  const pid = denoPid();
  return pid === undefined ? 0 : Math.round(statusBytes(pid, 'VmRSS') / MiB);
}
