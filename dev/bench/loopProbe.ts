import { performance } from 'node:perf_hooks';

/** How long this (the server's) process's event loop went without running a timer, and why. */
export interface LoopStall {
  /** The longest gap between two ticks beyond the tick interval, in ms (wall clock). */
  longestMs: number;
  /** CPU time this process used during that gap: near `longestMs` means our own code blocked the loop. */
  cpuMsOfLongest: number;
  /** The most CPU time used by this process within any one gap: the longest stretch of blocking work. */
  busiestCpuMs: number;
}

/**
 * A timer probe next to `monitorEventLoopDelay`: on a machine whose cores are shared, a long gap can mean the
 * process was not scheduled (little CPU used in it) or that it was busy (CPU ≈ the gap), e.g. the engine
 * decoding or JSON-checking a big message. `process.cpuUsage` counts every thread of the process (GC helpers
 * included), so the CPU figure is an upper bound of the main thread's.
 */
export class LoopProbe {
  private lastAt = performance.now();
  private lastCpu = process.cpuUsage();
  private readonly stall: LoopStall = { longestMs: 0, cpuMsOfLongest: 0, busiestCpuMs: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly intervalMs = 10) {
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  private tick(): void {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const gap = now - this.lastAt - this.intervalMs;
    const cpuMs = (cpu.user - this.lastCpu.user + cpu.system - this.lastCpu.system) / 1000;
    if (gap > this.stall.longestMs) {
      this.stall.longestMs = gap;
      this.stall.cpuMsOfLongest = cpuMs;
    }
    this.stall.busiestCpuMs = Math.max(this.stall.busiestCpuMs, cpuMs);
    this.lastAt = now;
    this.lastCpu = cpu;
  }

  stop(): LoopStall {
    clearInterval(this.timer);
    this.tick();
    const round = (v: number) => Math.max(0, Math.round(v));
    return {
      longestMs: round(this.stall.longestMs),
      cpuMsOfLongest: round(this.stall.cpuMsOfLongest),
      busiestCpuMs: round(this.stall.busiestCpuMs),
    };
  }
}
