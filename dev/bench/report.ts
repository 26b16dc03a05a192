import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PeakMemory } from './memory';

interface Measured {
  totalMs: number;
  memory: PeakMemory;
}
type AppMeasured = Measured & { modalMs: number; phases: Record<string, number>; requests: number };
type FixtureMeasured = Measured & { steps: Record<string, number> };

/** Everything measured for one file size; each list holds one entry per repetition. */
export interface SizeResult {
  mb: number;
  /** The encrypted object's size (what the naive get moves). */
  objectBytes: number;
  /** The object get and the naive get read: the app's first put's, or one the bench sealed itself. */
  cid?: string;
  /** Set when the object did not come from the app's put. */
  cidFrom?: string;
  put: AppMeasured[];
  get: AppMeasured[];
  naivePut: FixtureMeasured[];
  naiveGet: FixtureMeasured[];
  /** `uploadBuffer` alone. */
  upload: FixtureMeasured[];
  /** The app's crypto alone (kdf, enc, unlock, dec). */
  crypto: FixtureMeasured[];
  /** Measurements that did not complete, with why. */
  failures: string[];
}

const ROOT = path.resolve(__dirname, '../..');
// prettier would re-align the generated tables and `npm test`'s prettier --check would then fail after a run
const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit above this line) -->\n<!-- prettier-ignore-start -->';
const END = '<!-- prettier-ignore-end -->\n<!-- bench:end -->';

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const med = <T>(runs: T[], pick: (r: T) => number): number => median(runs.map(pick));
const s = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—');
const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '—');
const n = (v: number): string => (Number.isFinite(v) ? String(Math.round(v)) : '—');
const s3 = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(3) : '—');
const max = <T>(runs: T[], pick: (r: T) => number): number => (runs.length ? Math.max(...runs.map(pick)) : NaN);

/** The machine, as the report's header describes it; the load average is taken now, before the run. */
export function describeMachine(): string[] {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  let deno = 'unknown';
  try {
    deno = execFileSync(path.join(ROOT, 'node_modules/deno/deno'), ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    // reported as unknown
  }
  return [
    `- Date: ${new Date().toISOString()}`,
    `- CPU: ${os.cpus().length} × ${cpu} (nproc)`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total`,
    `- Node ${process.version}, ${deno}, Apps-Engine 1.62.0, js-ipfs 0.66.1 on 127.0.0.1`,
    `- Load average before the run: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ];
}

/** The figures the tables and the targets are built from, for one size (NaN where not measured). */
export function figures(r: SizeResult) {
  const put = med(r.put, (x) => x.totalMs);
  const get = med(r.get, (x) => x.totalMs);
  const naivePut = med(r.naivePut, (x) => x.totalMs);
  const naiveGet = med(r.naiveGet, (x) => x.totalMs);
  const step = (runs: FixtureMeasured[], k: string) => med(runs, (x) => x.steps[k] ?? NaN);
  // engine read = getBufferById alone (the naive put's first step); delivery = uploadBuffer alone, from both
  // the naive get's second step and the separate floor runs
  const engineRead = step(r.naivePut, 'read');
  const engineDelivery = median(
    [...r.naiveGet, ...r.upload].map((x) => x.steps.upload).filter((v) => Number.isFinite(v)),
  );
  const kdf = step(r.crypto, 'kdf');
  const enc = step(r.crypto, 'enc');
  const unlock = step(r.crypto, 'unlock');
  const dec = step(r.crypto, 'dec');
  const appPut = put - engineRead;
  const appGet = get - engineDelivery;
  return {
    put,
    get,
    naivePut,
    naiveGet,
    engineRead,
    engineDelivery,
    naiveAdd: step(r.naivePut, 'add'),
    naiveCat: step(r.naiveGet, 'cat'),
    putCrypto: kdf + enc,
    getCrypto: unlock + dec,
    kdf,
    enc,
    unlock,
    dec,
    appPut,
    appGet,
    appPutPerMiB: appPut / r.mb,
    appGetPerMiB: appGet / r.mb,
    putStreamPerMiB: med(r.put, (x) => x.phases['blocks (encrypt + IPFS)']) / r.mb,
    getStreamPerMiB: med(r.get, (x) => x.phases['blocks (IPFS + decrypt)']) / r.mb,
    memPut: med(r.put, (x) => x.memory.denoMiB),
    memGet: med(r.get, (x) => x.memory.denoMiB),
    memNaivePut: med(r.naivePut, (x) => x.memory.denoMiB),
    memNaiveGet: med(r.naiveGet, (x) => x.memory.denoMiB),
  };
}

/** The markdown report: ratios, the breakdowns, the naive path's parts and where the time went. */
export function renderReport(results: SizeResult[], machine: string[], notes: string[], reps: string): string {
  const f = new Map(results.map((r) => [r.mb, figures(r)]));
  const base = f.get(Math.min(...results.map((r) => r.mb)))!;
  const baseMb = Math.min(...results.map((r) => r.mb));
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const align = (n: number) => `| ---: |${' --: |'.repeat(n - 1)}`;
  const lines = [
    ...machine,
    `- Repetitions: ${reps}; every figure is the median. Times in seconds unless marked; sizes in MiB.`,
    '',
    'Through the app against the naive path (issue #5: put = one `getBufferById` + one whole-file `add`; get = one ' +
      "whole `cat` + one `uploadBuffer`), and the Deno process's peak memory (VmHWM):",
    '',
    row([
      'Size',
      'put',
      'naive put',
      'put / naive',
      'get',
      'naive get',
      'get / naive',
      'put modal ms',
      'get modal ms',
      'Deno peak MiB put / naive put',
      'peak put / naive',
      'Deno peak MiB get / naive get',
    ]),
    align(12),
  ];
  for (const r of results) {
    const x = f.get(r.mb)!;
    lines.push(
      row([
        `${r.mb} MiB`,
        s(x.put),
        s(x.naivePut),
        ratio(x.put, x.naivePut),
        s(x.get),
        s(x.naiveGet),
        ratio(x.get, x.naiveGet),
        `${n(med(r.put, (y) => y.modalMs))} (max ${n(max(r.put, (y) => y.modalMs))})`,
        n(med(r.get, (y) => y.modalMs)),
        `${n(x.memPut)} / ${n(x.memNaivePut)}`,
        ratio(x.memPut, x.memNaivePut),
        `${n(x.memGet)} / ${n(x.memNaiveGet)}`,
      ]),
    );
  }
  lines.push(
    '',
    "Where put's time goes: engine read = `getBufferById` alone (timed inside Deno in the naive put); crypto = the " +
      "app's scrypt + encryption alone (fixture, same runtime); IPFS traffic and the rest = what remains (block " +
      "requests through the engine, progress edits, records). The app's part = put − engine read; put has no " +
      'engine delivery.',
    '',
    row([
      'Size',
      'put',
      'engine read',
      'crypto (scrypt + encrypt)',
      'IPFS traffic + rest',
      "app's part",
      "app's part s/MiB",
      `vs ${baseMb} MiB`,
      'block span s/MiB',
      `vs ${baseMb} MiB`,
      'IPFS requests',
    ]),
    align(11),
  );
  for (const r of results) {
    const x = f.get(r.mb)!;
    lines.push(
      row([
        `${r.mb} MiB`,
        s(x.put),
        s(x.engineRead),
        s(x.putCrypto),
        s(x.appPut - x.putCrypto),
        s(x.appPut),
        s3(x.appPutPerMiB),
        ratio(x.appPutPerMiB, base.appPutPerMiB),
        s3(x.putStreamPerMiB),
        ratio(x.putStreamPerMiB, base.putStreamPerMiB),
        n(med(r.put, (y) => y.requests)),
      ]),
    );
  }
  lines.push(
    '',
    "Where get's time goes: crypto = scrypt to unlock + decryption alone (fixture); engine delivery = " +
      "`uploadBuffer` alone (naive get's second step and a separate floor run, timed inside Deno); IPFS traffic " +
      "and the rest = what remains (header probe, block requests through the engine, progress edits). The app's " +
      'part = get − engine delivery; get has no engine read.',
    '',
    row([
      'Size',
      'get',
      'crypto (scrypt + decrypt)',
      'IPFS traffic + rest',
      'engine delivery',
      "app's part",
      "app's part s/MiB",
      `vs ${baseMb} MiB`,
      'block span s/MiB',
      `vs ${baseMb} MiB`,
      'IPFS requests',
    ]),
    align(11),
  );
  for (const r of results) {
    const x = f.get(r.mb)!;
    lines.push(
      row([
        `${r.mb} MiB`,
        s(x.get),
        s(x.getCrypto),
        s(x.appGet - x.getCrypto),
        s(x.engineDelivery),
        s(x.appGet),
        s3(x.appGetPerMiB),
        ratio(x.appGetPerMiB, base.appGetPerMiB),
        s3(x.getStreamPerMiB),
        ratio(x.getStreamPerMiB, base.getStreamPerMiB),
        n(med(r.get, (y) => y.requests)),
      ]),
    );
  }
  lines.push(
    '',
    'The naive path and the floor in parts (transfer fixture, its own steps timed inside Deno), the crypto alone, ' +
      'and the host (server) process: peak RSS and the longest its event loop was blocked:',
    '',
    row([
      'Size',
      'object bytes',
      'naive put: read / add',
      'naive get: cat / upload',
      'uploadBuffer alone',
      'crypto ms: scrypt / enc / unlock / dec',
      'host peak MiB put / get / naive put / naive get',
      'host stall ms put / get / naive put / naive get',
    ]),
    align(8),
  );
  for (const r of results) {
    const x = f.get(r.mb)!;
    const runs = [r.put, r.get, r.naivePut, r.naiveGet] as Measured[][];
    lines.push(
      row([
        `${r.mb} MiB`,
        n(r.objectBytes || NaN),
        `${s(x.engineRead)} / ${s(x.naiveAdd)}`,
        `${s(x.naiveCat)} / ${s(med(r.naiveGet, (y) => y.steps.upload ?? NaN))}`,
        s(med(r.upload, (y) => y.steps.upload ?? NaN)),
        [x.kdf, x.enc, x.unlock, x.dec].map(n).join(' / '),
        runs.map((m) => n(med(m, (y) => y.memory.hostMiB))).join(' / '),
        runs.map((m) => n(max(m, (y) => y.memory.hostStallMs))).join(' / '),
      ]),
    );
  }
  for (const kind of ['put', 'get'] as const) {
    const names = Object.keys(results.find((r) => r[kind].length)?.[kind][0]?.phases ?? {});
    if (!names.length) continue;
    lines.push(
      '',
      `Where ${kind}'s time goes by host-side timestamps of the bridge calls (medians):`,
      '',
      row(['Size', ...names]),
      align(names.length + 1),
    );
    for (const r of results) {
      lines.push(row([`${r.mb} MiB`, ...names.map((k) => s(med(r[kind], (x) => x.phases[k])))]));
    }
  }
  lines.push(
    '',
    'Targets of issue #5, judged by the bench from this run:',
    '',
    ...verdicts(results).map((v) => `- ${v}`),
  );
  const failures = results.flatMap((r) => r.failures.map((x) => `${r.mb} MiB: ${x}`));
  const observed = [...failures, ...notes];
  if (observed.length) lines.push('', 'Observed during the run:', '', ...observed.map((o) => `- ${o}`));
  return lines.join('\n');
}
/** Why a size's figure is missing: the failures noted for it (or that it was not run). */
function missing(r: SizeResult | undefined, labels: string[]): string {
  if (!r) return 'that size was not run';
  const why = r.failures.filter((x) => labels.some((l) => x.startsWith(l)));
  return why.length ? why.join('; ') : 'not measured';
}

/** Each target of issue #5: met, not met, or not measurable (with why). */
export function verdicts(results: SizeResult[]): string[] {
  const at = (mb: number) => results.find((r) => r.mb === mb);
  const out: string[] = [];
  const vs = (label: string, mb: number, pick: 'put' | 'get' | 'mem', limit: number, labels: string[]) => {
    const r = at(mb);
    const x = r && figures(r);
    const [a, b] =
      pick === 'mem'
        ? [x?.memPut ?? NaN, x?.memNaivePut ?? NaN]
        : pick === 'put'
          ? [x?.put ?? NaN, x?.naivePut ?? NaN]
          : [x?.get ?? NaN, x?.naiveGet ?? NaN];
    const unit = pick === 'mem' ? ' MiB' : ' s';
    const fmt = (v: number) => (pick === 'mem' ? String(Math.round(v)) : (v / 1000).toFixed(2));
    if (!Number.isFinite(a / b)) {
      out.push(`${label}: **not measurable**: ${missing(r, labels)}`);
    } else {
      const met = a / b <= limit;
      out.push(
        `${label}: **${met ? 'met' : 'not met'}**: ${fmt(a)}${unit} / ${fmt(b)}${unit} = ${(a / b).toFixed(2)} (limit ${limit})`,
      );
    }
  };
  vs('put 50 MiB ≤ 0.5 × naive put', 50, 'put', 0.5, ['app put', 'naive put']);
  vs('get 50 MiB ≤ 1.1 × naive get', 50, 'get', 1.1, ['app get', 'naive get']);
  for (const kind of ['put', 'get'] as const) {
    const per = results.map((r) => ({ r, v: figures(r)[kind === 'put' ? 'appPutPerMiB' : 'appGetPerMiB'] }));
    const base = per[0];
    const have = per.filter((p) => Number.isFinite(p.v));
    const gone = per.filter((p) => !Number.isFinite(p.v)).map((p) => `${p.r.mb} MiB`);
    const label = `app's part per MiB of ${kind} constant from ${base?.r.mb} to ${per.at(-1)?.r.mb} MiB within 20 %`;
    if (!base || !Number.isFinite(base.v) || have.length < 2) {
      out.push(`${label}: **not measurable**: too few sizes completed`);
      continue;
    }
    const worst = have.reduce((w, p) => (Math.abs(p.v / base.v - 1) > Math.abs(w.v / base.v - 1) ? p : w));
    const spread = have.map((p) => `${p.r.mb}: ${(p.v / 1000).toFixed(3)}`).join(', ');
    const met = Math.abs(worst.v / base.v - 1) <= 0.2;
    out.push(
      `${label}: **${met ? 'met' : 'not met'}${gone.length ? ` where measured; not measurable at ${gone.join(', ')}` : ''}**: ` +
        `s/MiB ${spread}; furthest from ${base.r.mb} MiB: ${worst.r.mb} MiB at ${(worst.v / base.v).toFixed(2)}×`,
    );
  }
  vs('peak memory of put 50 MiB ≤ half the naive put', 50, 'mem', 0.5, ['app put', 'naive put']);
  return out;
}

/** Replaces the marked section of docs/PERFORMANCE.md (appends the markers if they are missing). */
export function writeReport(report: string): string {
  const file = path.join(ROOT, 'docs', 'PERFORMANCE.md');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Performance\n';
  const head = current.includes(BEGIN) ? current.slice(0, current.indexOf(BEGIN)) : `${current.trimEnd()}\n\n`;
  const tail = current.includes(END) ? current.slice(current.indexOf(END) + END.length) : '\n';
  fs.writeFileSync(file, `${head}${BEGIN}\n\n${report}\n\n${END}${tail}`);
  return file;
}
