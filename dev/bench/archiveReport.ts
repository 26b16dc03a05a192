import type { AppRun } from './appRuns';
import type { ArchiveRun, HookTime } from './archiveRuns';
import type { EngineMessage } from './engineMessages';
import type { LoopStall } from './loopProbe';
import { median } from './report';

/** Everything the archive bench measured at one size; each list holds one entry per repetition. */
export interface ArchiveSize {
  mb: number;
  /** Uploads into a room that does not archive: the runtime's own read of the file plus a hook that returns. */
  off: HookTime[];
  on: ArchiveRun[];
  /** The same upload once more in a fresh Deno process each (restarted through the engine): for memory. */
  fresh: { off?: HookTime; on?: ArchiveRun };
  put: Array<AppRun & { largest?: EngineMessage; loop: LoopStall }>;
  failures: string[];
}

/** Other users' 1 MiB uploads (to a room that does not archive) while a big upload is being archived. */
export interface BusyProbe {
  mb: number;
  hooks: number[];
  toCidMs: number;
}

/** The targets (issue #11, "Targets"). */
export const TARGETS = {
  hookAddedMs: 100,
  cidMsAt100: 30_000,
  memoryFactor: 3,
  messageBytes: 1024 * 1024,
  stallMs: 200,
};

const MiB = 1024 * 1024;
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—');
const n = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : '—');
const times = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const maxOf = (values: number[]) => (values.length ? Math.max(...values) : NaN);
const kib = (m?: EngineMessage) => (m ? `${(m.bytes / 1024).toFixed(0)} KiB (${m.direction}, \`${m.method}\`)` : '—');
const mark = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

/** Figures per size: medians, except peaks and the largest message (the worst repetition). */
function figures(r: ArchiveSize) {
  const hookOff = median(r.off.map((x) => x.hookMs));
  const hookOn = median(r.on.map((x) => x.hookMs));
  const bodyOff = median(r.off.map((x) => x.split?.hookMs ?? NaN));
  const bodyOn = median(r.on.map((x) => x.split?.hookMs ?? NaN));
  const readOn = median(r.on.map((x) => x.split?.readMs ?? NaN));
  const { off, on } = r.fresh;
  const growth = on ? on.memory.denoMiB - on.denoBeforeMiB : NaN;
  const offGrowth = off ? off.denoPeakMiB - off.denoBeforeMiB : NaN;
  const afterHook = r.on.map((x) => x.largestAfterHook).filter((m): m is EngineMessage => Boolean(m));
  return {
    hookOff,
    hookOn,
    added: hookOn - hookOff,
    bodyOff,
    bodyOn,
    readOn,
    requestOff: median(r.off.map((x) => x.requestMs)),
    requestOn: median(r.on.map((x) => x.requestMs)),
    toCid: median(r.on.map((x) => x.toCidMs)),
    denoPeak: on?.memory.denoMiB ?? NaN,
    denoBefore: on?.denoBeforeMiB ?? NaN,
    serverCheckMax: maxOf(r.on.map((x) => x.serverCheck.maxMs)),
    serverCheckPerMiB: median(r.on.map((x) => x.serverCheck.totalMs)) / r.mb,
    growth,
    offGrowth,
    largestAfterHook: afterHook.sort((a, b) => b.bytes - a.bytes)[0],
    stall: maxOf(r.on.map((x) => x.loop.longestMs)),
    stallCpu: maxOf(r.on.map((x) => x.loop.busiestCpuMs)),
    requestStall: maxOf(r.on.map((x) => x.requestLoop.longestMs)),
    opened: r.on.length > 0 && r.on.every((x) => x.opened),
  };
}

/** The markdown tables and the verdict per target. */
export function renderArchiveReport(sizes: ArchiveSize[], busy: BusyProbe | undefined, header: string[]): string {
  const f = new Map(sizes.map((r) => [r.mb, figures(r)]));
  const lines = [
    ...header,
    '',
    'Uploads through `host.upload` (the upload request as Rocket.Chat runs it, the hook through the engine), into a',
    'room that archives and into one that does not, in the same run. Times are medians, peaks the worst repetition.',
    '',
    row([
      'Size',
      'engine’s IPreFileUpload call: not archiving / archiving (ms)',
      'of it the runtime’s file read, archiving (ms)',
      'of it the app’s hook: not archiving / archiving (ms)',
      'upload request off / on (ms)',
      'upload → archived CID (s)',
      'Deno peak RSS, archiving, fresh process (MiB; before)',
      'Deno growth ÷ file: not archiving / archiving',
      'largest engine message after the hook',
      'server event loop, archive job: longest stall / most CPU in one (ms)',
      "engine's JSON check of the app's messages on the server: longest / per MiB (ms)",
      'server stall in the upload request (ms)',
      'opens with the password',
    ]),
    `| ---: |${' ---: |'.repeat(11)} :-: |`,
    ...sizes.map((r) => {
      const x = f.get(r.mb)!;
      return row([
        `${r.mb} MiB`,
        `${n(x.hookOff)} / ${n(x.hookOn)}`,
        n(x.readOn),
        `${n(x.bodyOff)} / ${n(x.bodyOn)}`,
        `${n(x.requestOff)} / ${n(x.requestOn)}`,
        s(x.toCid),
        `${n(x.denoPeak)} (${n(x.denoBefore)})`,
        `${times(x.offGrowth / r.mb)} / ${times(x.growth / r.mb)}`,
        kib(x.largestAfterHook),
        `${n(x.stall)} / ${n(x.stallCpu)}`,
        `${n(x.serverCheckMax)} / ${n(x.serverCheckPerMiB)}`,
        n(x.requestStall),
        x.opened ? 'yes' : 'NO',
      ]);
    }),
    '',
    'Where the time to the CID went (median ms, host-side timestamps of the app’s bridge calls):',
    '',
  ];
  const phaseNames = Object.keys(sizes.find((r) => r.on.length)?.on[0].phases ?? {});
  lines.push(row(['Size', ...phaseNames]), `| ---: |${' ---: |'.repeat(phaseNames.length)}`);
  for (const r of sizes) {
    if (!r.on.length) continue;
    lines.push(row([`${r.mb} MiB`, ...phaseNames.map((p) => n(median(r.on.map((x) => x.phases[p]))))]));
  }
  const puts = sizes.filter((r) => r.put.length);
  if (puts.length) {
    lines.push(
      '',
      'The same files through `/ipfs put` (modal submit → "✅ stored"; the app reads the upload with `getBufferById`):',
      '',
      row([
        'Size',
        '/ipfs put (s)',
        'archive: upload → CID (s)',
        'Deno peak RSS (MiB)',
        'largest engine message',
        'server: longest stall / most CPU in one (ms)',
      ]),
      `| ---: |${' ---: |'.repeat(5)}`,
      ...puts.map((r) =>
        row([
          `${r.mb} MiB`,
          s(median(r.put.map((x) => x.totalMs))),
          s(f.get(r.mb)!.toCid),
          n(maxOf(r.put.map((x) => x.memory.denoMiB))),
          kib(r.put.map((x) => x.largest).sort((a, b) => (b?.bytes ?? 0) - (a?.bytes ?? 0))[0]),
          `${n(maxOf(r.put.map((x) => x.loop.longestMs)))} / ${n(maxOf(r.put.map((x) => x.loop.busiestCpuMs)))}`,
        ]),
      ),
    );
  }
  if (busy) {
    lines.push(
      '',
      `While a ${busy.mb} MiB upload was being archived (${s(busy.toCidMs)} s to its CID), other 1 MiB uploads to a room ` +
        `that does not archive: hook ${busy.hooks.map(n).join(', ')} ms (${busy.hooks.length} uploads).`,
    );
  }
  lines.push('', 'Verdict per target:', '', ...verdicts(sizes, f, busy));
  const failures = sizes.flatMap((r) => r.failures.map((why) => `${r.mb} MiB: ${why}`));
  if (failures.length) lines.push('', 'Did not complete:', ...failures.map((why) => `- ${why}`));
  return lines.join('\n');
}

function verdicts(
  sizes: ArchiveSize[],
  f: Map<number, ReturnType<typeof figures>>,
  busy: BusyProbe | undefined,
): string[] {
  const on = sizes.filter((r) => r.on.length);
  const worstAdded = maxOf(on.map((r) => f.get(r.mb)!.bodyOn - f.get(r.mb)!.bodyOff));
  const worstCall = maxOf(on.map((r) => f.get(r.mb)!.added));
  const at100 = f.get(100);
  const growthOk = on.every((r) => f.get(r.mb)!.growth <= TARGETS.memoryFactor * r.mb);
  const largest = maxOf(on.map((r) => f.get(r.mb)!.largestAfterHook?.bytes ?? 0));
  const stall = maxOf(on.map((r) => f.get(r.mb)!.stall));
  const stallCpu = maxOf(on.map((r) => f.get(r.mb)!.stallCpu));
  const busyWorst = busy ? maxOf(busy.hooks) - (f.get(1)?.hookOff ?? 0) : NaN;
  return [
    `- Hook time added by archiving ≤ ${TARGETS.hookAddedMs} ms at every size: the app's hook takes at most ` +
      `${n(worstAdded)} ms more in an archiving room (medians; the whole engine call, file read included, ` +
      `${n(worstCall)} ms) — ${mark(worstAdded <= TARGETS.hookAddedMs)}` +
      (busy ? `; another upload's hook during a running archive: up to ${n(busyWorst)} ms more than idle.` : '.'),
    at100
      ? `- 100 MiB upload → archived CID ≤ 30 s: ${s(at100.toCid)} s — ${mark(at100.toCid <= TARGETS.cidMsAt100)}.`
      : '- 100 MiB upload → archived CID ≤ 30 s: not measured in this run.',
    `- Deno peak ≤ ${TARGETS.memoryFactor}× the file (growth of a fresh process over its RSS before the upload): ` +
      on
        .map((r) => {
          const factor = f.get(r.mb)!.growth / r.mb;
          return `${r.mb} MiB +${n(f.get(r.mb)!.growth)} MiB = ${factor.toFixed(1)}× ${factor <= TARGETS.memoryFactor ? '✅' : '❌'}`;
        })
        .join(', ') +
      ` — ${mark(growthOk)}${growthOk ? '' : ' where marked ❌'}.`,
    `- No engine message above ~1 MiB after the hook: largest ${(largest / MiB).toFixed(3)} MiB — ` +
      `${mark(largest <= TARGETS.messageBytes + 64 * 1024)}.`,
    `- Server event loop never blocked over ${TARGETS.stallMs} ms: longest stall ${n(stall)} ms ` +
      `(${mark(stall <= TARGETS.stallMs)} on the wall clock); most CPU this process used within one stall ` +
      `${n(stallCpu)} ms (${mark(stallCpu <= TARGETS.stallMs)} for work of its own).`,
  ];
}
