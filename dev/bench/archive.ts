/**
 * `npm run bench:archive` (issue #11's targets): uploads of 1, 20, 32 and 100 MiB through `host.upload` (the upload
 * request as Rocket.Chat runs it: temporary file, IPreFileUpload through the real engine 1.62 + Deno, file stored,
 * message, IPostMessageSent) into a room whose owner turned archiving on through the form, and into a room that
 * does not archive, in one run against the local IPFS node; the same files through `/ipfs put` up to its 32 MiB
 * limit; every archived object fetched from the node and opened with the archive password outside the app.
 *
 * Usage: node --import tsx dev/bench/archive.ts [--sizes 1,20,32,100] [--put-max 32] [--reps N] [--quick]
 *   [--no-busy] [--app-zip <zip>]
 * Prints a markdown report (docs/PERFORMANCE.md, "Archive mode") on stdout, progress on stderr.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { WorkspaceHost } from '../host';
import { startIpfsNode } from '../../test/support/ipfsNode';
import { putThroughApp, startAppHost } from './appRuns';
import { renderArchiveReport, type ArchiveSize, type BusyProbe } from './archiveReport';
import { OutsideOpener } from '../playground/outsideOpener';
import { ARCHIVE_PASSWORD, archiveUpload, freshAppProcess, timedUpload, turnArchivingOn } from './archiveRuns';
import {
  largestMessage,
  watchEngineMessages,
  watchServerJsonCheck,
  type EngineMessage,
  type ServerCheck,
} from './engineMessages';
import { liveness, surviveEpipe } from './engineWatch';
import { LoopProbe } from './loopProbe';
import { denoRssMiB } from './memory';
import { instrument, type BridgeEvent } from './probes';
import { describeMachine } from './report';

const MiB = 1024 * 1024;
const ROOT = path.resolve(__dirname, '../..');
const PUT_CAP_MB = 32; // MAX_FILE_SIZE_CAP_MB: /ipfs put refuses larger files
const log = (text: string) => process.stderr.write(`bench:archive: ${text}\n`);

function options(argv = process.argv.slice(2)) {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const known = new Set(['--sizes', '--put-max', '--reps', '--app-zip', '--quick', '--no-busy']);
  const unknown = argv.find((a, i) => a.startsWith('--') && !known.has(a) && !known.has(argv[i - 1]));
  if (unknown) {
    process.stderr.write('usage: npm run bench:archive -- [--sizes 1,20,32,100] [--put-max 32] [--reps N] [--quick]\n');
    process.stderr.write('                                 [--no-busy] [--app-zip <zip>]\n');
    process.exit(unknown === '--help' ? 0 : 2);
  }
  const quick = argv.includes('--quick');
  const sizes = quick
    ? [1]
    : (value('--sizes') ?? '1,20,32,100')
        .split(',')
        .map(Number)
        .sort((a, b) => a - b);
  if (sizes.some((mb) => !(Number.isInteger(mb) && mb > 0 && mb <= 100))) {
    throw new Error('--sizes: whole MiB from 1 to 100 (Rocket.Chat’s default upload limit is 100 MiB)');
  }
  const repsArg = value('--reps');
  const reps = (mb: number) => (quick ? 1 : repsArg ? Number(repsArg) : mb >= 50 ? 1 : mb >= 20 ? 2 : 3);
  const putMax = Math.min(Number(value('--put-max') ?? PUT_CAP_MB), PUT_CAP_MB);
  // --quick (the e2e smoke run) skips the fresh-process memory pass: restarts make it slower and add nothing to check
  const fresh = !quick;
  return { sizes, reps, putMax, fresh, busy: !quick && !argv.includes('--no-busy'), appZip: value('--app-zip') };
}

interface Bench {
  host: WorkspaceHost;
  events: BridgeEvent[];
  messages: EngineMessage[];
  checks: ServerCheck[];
  opener: OutsideOpener;
  alice: IUser;
  archiving: IRoom;
  plain: IRoom;
}

/** One measurement that may fail without ending the bench: the failure is noted for its size. */
async function attempt<T>(r: ArchiveSize, label: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    r.failures.push(`${label}: ${why}`);
    log(`${r.mb} MiB ${label} FAILED: ${why}`);
    return undefined;
  }
}

/** A fresh Deno process for the next measurement (false when the restart failed: noted, the run goes on). */
async function restarted(b: Bench, r: ArchiveSize): Promise<boolean> {
  const restart = async () => {
    await freshAppProcess(b.host, b.alice, b.plain);
    return true;
  };
  return (await attempt(r, 'restart of the Deno process', restart)) === true;
}

async function measureSize(
  b: Bench,
  r: ArchiveSize,
  reps: number,
  opts: { put: boolean; fresh: boolean },
): Promise<void> {
  const bytes = crypto.randomBytes(r.mb * MiB);
  // timing: the process warm, as a server runs it
  for (let i = 0; i < reps; i++) {
    const off = await attempt(r, 'upload, no archive', () =>
      timedUpload(b.host, b.alice, b.plain, `plain-${r.mb}MiB-${i}.bin`, bytes, b.messages),
    );
    if (off) r.off.push(off);
    log(
      `${r.mb} MiB not archiving: hook ${off?.hookMs} ms ${JSON.stringify(off?.split)}, request ${off?.requestMs} ms`,
    );
    const on = await attempt(r, 'archive', () =>
      archiveUpload(b.host, b, b.alice, b.archiving, `archive-${r.mb}MiB-${i}.bin`, bytes),
    );
    if (on) r.on.push(on);
    if (on) {
      log(
        `${r.mb} MiB archiving: hook ${on.hookMs} ms ${JSON.stringify(on.split)}, CID after ${on.toCidMs} ms ${JSON.stringify(on.phases)}`,
      );
      log(`  stall ${JSON.stringify(on.loop)}, engine check ${JSON.stringify(on.serverCheck)}, opened ${on.opened}`);
    }
  }
  // memory: each upload once more in a fresh Deno process, so its peak shows this upload's cost alone
  if (opts.fresh && (await restarted(b, r))) {
    r.fresh.off = await attempt(r, 'fresh process, no archive', () =>
      timedUpload(b.host, b.alice, b.plain, `fresh-plain-${r.mb}MiB.bin`, bytes),
    );
  }
  if (opts.fresh && (await restarted(b, r))) {
    r.fresh.on = await attempt(r, 'fresh process, archive', () =>
      archiveUpload(b.host, b, b.alice, b.archiving, `fresh-archive-${r.mb}MiB.bin`, bytes),
    );
  }
  log(`${r.mb} MiB fresh process: Deno peak ${r.fresh.off?.denoPeakMiB} / ${r.fresh.on?.memory.denoMiB} MiB`);
  if (!opts.put) return;
  const fileId = String(b.host.uploadFile(b.alice, b.host.general, { name: `put-${r.mb}MiB.bin`, bytes }).file?._id);
  if (opts.fresh) await restarted(b, r);
  const t0 = Date.now();
  const probe = new LoopProbe();
  const run = await attempt(r, '/ipfs put', () => putThroughApp(b.host, b.events, b.alice, b.host.general, fileId));
  const loop = probe.stop();
  if (run) {
    r.put.push({ ...run, loop, largest: largestMessage(b.messages, t0) });
    log(`${r.mb} MiB /ipfs put ${run.totalMs} ms, Deno ${run.memory.denoMiB} MiB`);
  }
}

/** Other users' small uploads while a big one is archived: does the running job hold up their hooks? */
async function busyProbe(b: Bench, mb: number): Promise<BusyProbe> {
  const small = crypto.randomBytes(MiB);
  const hooks: number[] = [];
  let done = false;
  const big = archiveUpload(b.host, b, b.alice, b.archiving, `busy-${mb}MiB.bin`, crypto.randomBytes(mb * MiB));
  const probes = (async () => {
    for (let i = 0; !done; i++) {
      await new Promise((resolve) => setTimeout(resolve, 700));
      if (!done) hooks.push((await timedUpload(b.host, b.alice, b.plain, `busy-probe-${i}.bin`, small)).hookMs);
    }
  })();
  try {
    const run = await big;
    return { mb, hooks, toCidMs: run.toCidMs };
  } finally {
    done = true;
    await probes;
  }
}

/** The workspace as an admin and a room owner would set it up: archive mode "opt in", one room archiving. */
async function benchIn(host: WorkspaceHost, opener: OutsideOpener): Promise<Bench> {
  await host.setAppSetting('archive_mode', 'opt_in');
  const alice = host.addUser({ username: 'alice' });
  const room = (name: string) => host.addRoom({ name, type: 'p' as IRoom['type'], members: [alice], creator: alice });
  const b: Bench = {
    host,
    events: instrument(host),
    messages: watchEngineMessages(host),
    checks: watchServerJsonCheck(),
    opener,
    alice,
    archiving: room('archived'),
    plain: room('plain'),
  };
  await turnArchivingOn(host, alice, b.archiving);
  return b;
}

/** Every size in turn, after a warm-up; then the busy probe at the largest size. */
async function runAll(
  b: Bench,
  sizes: ArchiveSize[],
  opts: ReturnType<typeof options>,
): Promise<BusyProbe | undefined> {
  log('warming up (one small upload each way, not counted)');
  await timedUpload(b.host, b.alice, b.plain, 'warm.bin', crypto.randomBytes(64 * 1024));
  await archiveUpload(b.host, b, b.alice, b.archiving, 'warm-archive.bin', crypto.randomBytes(64 * 1024));
  for (const r of sizes) await measureSize(b, r, opts.reps(r.mb), { put: r.mb <= opts.putMax, fresh: opts.fresh });
  const biggest = sizes.at(-1);
  if (!opts.busy || !biggest || biggest.mb < 20) return undefined;
  log(`archiving ${biggest.mb} MiB again while 1 MiB uploads go to another room`);
  return attempt(biggest, 'busy probe', () => busyProbe(b, biggest.mb));
}

async function main(): Promise<void> {
  const opts = options();
  const header = describeMachine();
  const appZip = opts.appZip ? path.resolve(opts.appZip) : path.join(ROOT, 'dist', 'ipfs-storage_archive-bench.zip');
  if (!opts.appZip) execFileSync(process.execPath, ['scripts/package.mjs', '--out', appZip], { cwd: ROOT });
  header.push(`- App: ${path.relative(ROOT, appZip)}${opts.appZip ? '' : ', packaged from the working tree'}`);
  const epipe = surviveEpipe();
  log('starting the IPFS node');
  const node = await startIpfsNode();
  const opener = OutsideOpener.build(node.apiUrl, ARCHIVE_PASSWORD);
  const sizes: ArchiveSize[] = opts.sizes.map((mb) => ({ mb, off: [], on: [], fresh: {}, put: [], failures: [] }));
  let busy: BusyProbe | undefined;
  try {
    log(`installing ${path.relative(ROOT, appZip)} in the engine`);
    const host = await startAppHost(appZip, node.apiUrl, opts.putMax);
    try {
      header.push(`- The app's Deno process after install, before any work: ${denoRssMiB()} MiB RSS`);
      busy = await runAll(await benchIn(host, opener), sizes, opts);
      const restarts = liveness(host).restartCount;
      if (restarts) header.push(`- The engine restarted the app's Deno process ${restarts} time(s) during the run.`);
      const errors = host.appErrors();
      if (errors.length) header.push(`- App errors in the engine's log: ${errors.slice(0, 3).join('; ')}`);
    } finally {
      await host.stop();
    }
  } finally {
    opener.dispose();
    await node.stop();
  }
  if (epipe.count) header.push(`- EPIPE on a killed Deno process's stdin: ${epipe.count} time(s).`);
  const load = os.loadavg().map((l) => l.toFixed(2));
  header.push(`- Load average after the run: ${load.join(' ')}`);
  process.stdout.write(`${renderArchiveReport(sizes, busy, header)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:archive failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
