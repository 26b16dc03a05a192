import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PeakMemory } from './memory';

/** Everything measured for one file size; each list holds one entry per repetition. */
export interface SizeResult {
  mb: number;
  objectBytes: number;
  put: Array<{ totalMs: number; modalMs: number; memory: PeakMemory; phases: Record<string, number> }>;
  get: Array<{ totalMs: number; modalMs: number; memory: PeakMemory; phases: Record<string, number> }>;
  barePut: Array<{ totalMs: number; steps: Record<string, number>; memory: PeakMemory }>;
  bareGet: Array<{ totalMs: number; steps: Record<string, number>; memory: PeakMemory }>;
  raw: Array<{ addMs: number; catMs: number }>;
  /** Measurements that did not complete, with why. */
  failures: string[];
}

const ROOT = path.resolve(__dirname, '../..');
// prettier would re-align the generated tables and `npm test`'s prettier --check would then fail after a run
const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit above this line) -->\n<!-- prettier-ignore-start -->';
const END = '<!-- prettier-ignore-end -->\n<!-- bench:end -->';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const med = <T>(runs: T[], pick: (r: T) => number): number => median(runs.map(pick));
const s = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—');
const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '—');
const n = (v: number): string => (Number.isFinite(v) ? String(v) : '—');
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

/** The markdown report: the main table with ratios, then the components and where the time went. */
export function renderReport(results: SizeResult[], machine: string[], notes: string[], reps: string): string {
  const lines = [
    ...machine,
    `- Repetitions: ${reps}; every figure is the median. Times in seconds unless marked.`,
    '',
    '| Size | put | bare put + raw add | put ratio | get | bare get + raw cat | get ratio | put modal ms | get modal ms | Deno peak MiB put / get | host peak MiB put / get |',
    '| ---: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const r of results) {
    const put = med(r.put, (x) => x.totalMs);
    const get = med(r.get, (x) => x.totalMs);
    const putBase = med(r.barePut, (x) => x.totalMs) + med(r.raw, (x) => x.addMs);
    const getBase = med(r.bareGet, (x) => x.totalMs) + med(r.raw, (x) => x.catMs);
    lines.push(
      `| ${r.mb} MB | ${s(put)} | ${s(putBase)} | ${ratio(put, putBase)} | ${s(get)} | ${s(getBase)} | ` +
        `${ratio(get, getBase)} | ${n(med(r.put, (x) => x.modalMs))} (max ${n(max(r.put, (x) => x.modalMs))}) | ` +
        `${n(med(r.get, (x) => x.modalMs))} | ${n(med(r.put, (x) => x.memory.denoMiB))} / ` +
        `${n(med(r.get, (x) => x.memory.denoMiB))} | ${n(med(r.put, (x) => x.memory.hostMiB))} / ` +
        `${n(med(r.get, (x) => x.memory.hostMiB))} |`,
    );
  }
  lines.push(
    '',
    'Components (bare transfer through the transfer fixture app; its own steps timed inside Deno; raw IPFS from Node):',
    '',
    '| Size | object bytes | bare put | read / post | bare get | fetch / upload | raw add | raw cat | Deno peak MiB bare put / get | host stall ms put / get / bare put / bare get |',
    '| ---: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  );
  for (const r of results) {
    const step = (runs: SizeResult['barePut'], k: string) => s(med(runs, (x) => x.steps[k] ?? NaN));
    lines.push(
      `| ${r.mb} MB | ${n(r.objectBytes || NaN)} | ${s(med(r.barePut, (x) => x.totalMs))} | ${step(r.barePut, 'read')} / ` +
        `${step(r.barePut, 'post')} | ${s(med(r.bareGet, (x) => x.totalMs))} | ${step(r.bareGet, 'fetch')} / ` +
        `${step(r.bareGet, 'upload')} | ${s(med(r.raw, (x) => x.addMs))} | ${s(med(r.raw, (x) => x.catMs))} | ` +
        `${n(med(r.barePut, (x) => x.memory.denoMiB))} / ${n(med(r.bareGet, (x) => x.memory.denoMiB))} | ` +
        [r.put, r.get, r.barePut, r.bareGet]
          .map((runs: Array<{ memory: PeakMemory }>) => n(max(runs, (x) => x.memory.hostStallMs)))
          .join(' / ') +
        ' |',
    );
  }
  for (const kind of ['put', 'get'] as const) {
    const names = Object.keys(results[0]?.[kind][0]?.phases ?? {});
    lines.push(
      '',
      `Where ${kind}'s time goes (host-side timestamps of the bridge calls, medians):`,
      '',
      `| Size | ${names.join(' | ')} |`,
      `| ---: |${names.map(() => ' --: |').join('')}`,
    );
    for (const r of results) {
      lines.push(`| ${r.mb} MB | ${names.map((n) => s(med(r[kind], (x) => x.phases[n]))).join(' | ')} |`);
    }
  }
  const failures = results.flatMap((r) => r.failures.map((f) => `${r.mb} MB: ${f}`));
  const observed = [...failures, ...notes];
  if (observed.length) lines.push('', 'Observed during the run:', '', ...observed.map((o) => `- ${o}`));
  return lines.join('\n');
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
