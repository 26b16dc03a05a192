/**
 * `npm run bench` (issue #3): put and get of random files through the packaged app in the real engine, next to
 * the bare engine transfer of the same bytes (test/fixtures/transfer-app, in a second host) and raw IPFS add/cat
 * from Node, all in one run, so that the ratios compare like with like on a noisy machine.
 *
 * Usage: node --import tsx dev/bench/main.ts [--sizes 1,5,20,50] [--reps N] [--quick] [--no-write] [--app-zip <zip>]
 * Needs the packaged app (default dist/ipfs-storage_<version>.zip) and dist/transfer.zip: scripts/bench.sh
 * packages both.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkspaceHost } from '../host';
import { getThroughApp, putThroughApp, startAppHost } from './appRuns';
import { instrument } from './probes';
import { rawAddCat } from './rawIpfs';
import { liveness, surviveEpipe, unlessRestarted } from './engineWatch';
import { describeMachine, renderReport, writeReport, type SizeResult } from './report';
import { TransferBench } from './transferRuns';

const MB = 1024 * 1024;
const ROOT = path.resolve(__dirname, '../..');

/** `--sizes 1,5`, `--reps N`, `--quick`, `--no-write` (@types/node 16 here has no typing for util.parseArgs). */
function options(argv = process.argv.slice(2)) {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const sizesArg = value('--sizes') ?? '1,5,20,50';
  const sizes = quick ? [1] : sizesArg.split(',').map(Number);
  if (sizes.some((n) => !(n > 0 && n <= 100))) throw new Error(`--sizes: MB between 1 and 100, got ${sizesArg}`);
  const repsArg = value('--reps');
  // three repetitions where cheap; a 50 MB round trip takes minutes, so two there
  const reps = (mb: number): number => (quick ? 1 : repsArg ? Number(repsArg) : mb >= 50 ? 2 : 3);
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')) as { version: string }).version;
  const appZip = path.resolve(value('--app-zip') ?? path.join(ROOT, 'dist', `ipfs-storage_${version}.zip`));
  return { sizes, reps, appZip, write: !quick && !argv.includes('--no-write') };
}

const log = (text: string) => process.stderr.write(`bench: ${text}\n`);

/** One measurement; a failure (e.g. the engine restarting Deno) is noted for the size, not fatal to the bench. */
async function attempt<T>(host: WorkspaceHost, r: SizeResult, label: string, run: () => Promise<T>) {
  const started = Date.now();
  try {
    return await unlessRestarted(host, run);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    r.failures.push(`${label} failed after ${((Date.now() - started) / 1000).toFixed(0)} s: ${why}`);
    log(`${r.mb} MB ${label} FAILED: ${why}`);
    return undefined;
  }
}

/** Put, get and raw IPFS for every size, in the app's host. */
async function appPhase(opts: ReturnType<typeof options>, results: SizeResult[], notes: string[]): Promise<void> {
  log(`starting the IPFS node and ${path.relative(ROOT, opts.appZip)} in the engine`);
  const workspace = await startAppHost(opts.appZip);
  try {
    const { host, ipfs } = workspace;
    const events = instrument(host);
    const alice = host.addUser({ username: 'alice' });
    // bob holds no key to alice's files, so his `/ipfs get` takes the password modal (header probe + scrypt)
    const bob = host.addUser({ username: 'bob' });
    for (const r of results) {
      const bytes = files.get(r.mb)!;
      const fileId = String(host.uploadFile(alice, host.general, { name: `bench-${r.mb}MB.bin`, bytes }).file?._id);
      for (let i = 0; i < opts.reps(r.mb); i++) {
        const put = await attempt(host, r, 'app put', () => putThroughApp(host, events, alice, host.general, fileId));
        if (put) {
          log(`${r.mb} MB app put ${put.totalMs} ms (modal ${put.modalMs} ms)`);
          r.put.push(put);
          if (!r.objectBytes) r.objectBytes = (await ipfs.cat(put.cid)).length;
        }
        const get =
          put &&
          (await attempt(host, r, 'app get', () => getThroughApp(host, events, bob, host.general, put.cid, bytes)));
        if (get) {
          log(`${r.mb} MB app get ${get.totalMs} ms (modal ${get.modalMs} ms)`);
          r.get.push(get);
        }
        // raw IPFS even when the app failed: the plaintext's size stands in for the unknown object size
        const raw = await rawAddCat(ipfs, r.objectBytes || bytes.length);
        log(`${r.mb} MB raw add ${raw.addMs} ms, cat ${raw.catMs} ms`);
        r.raw.push(raw);
        if (!get) break;
      }
    }
    notes.push(restarts('App', liveness(host)));
    const errors = host.appErrors();
    if (errors.length) notes.push(`App errors in the engine's log: ${errors.slice(0, 3).join('; ')}`);
  } finally {
    await workspace.stop();
  }
}

/** The bare transfer of the same bytes, in a second host running the transfer fixture. */
async function transferPhase(opts: ReturnType<typeof options>, results: SizeResult[], notes: string[]) {
  log('starting the transfer fixture app in a fresh host');
  const bench = await TransferBench.start();
  try {
    for (const r of results) {
      const bytes = files.get(r.mb)!;
      const fileId = bench.upload(bytes);
      for (let i = 0; i < opts.reps(r.mb); i++) {
        const put = await attempt(bench.host, r, 'bare put', () => bench.put(fileId, bytes.length));
        if (put) {
          log(`${r.mb} MB bare put ${put.totalMs} ms ${JSON.stringify(put.steps)}`);
          r.barePut.push(put);
        }
        const get = await attempt(bench.host, r, 'bare get', () => bench.get(bytes));
        if (get) {
          log(`${r.mb} MB bare get ${get.totalMs} ms ${JSON.stringify(get.steps)}`);
          r.bareGet.push(get);
        }
        if (!put || !get) break;
      }
    }
    notes.push(restarts('Transfer fixture', liveness(bench.host)));
  } finally {
    await bench.stop();
  }
}

function restarts(who: string, data: ReturnType<typeof liveness>): string {
  const why = data.restartLog.map((l) => `${l.reason} at ${l.restartedAt}`).join('; ');
  return `${who}: the engine restarted the Deno process ${data.restartCount} time(s)${why ? ` (${why})` : ''}.`;
}

const files = new Map<number, Buffer>();

async function main(): Promise<void> {
  const opts = options();
  const machine = describeMachine();
  machine.push(`- App: ${path.relative(ROOT, opts.appZip)} (${fs.statSync(opts.appZip).size} bytes)`);
  const notes: string[] = [];
  for (const mb of opts.sizes) files.set(mb, crypto.randomBytes(mb * MB));
  const results: SizeResult[] = opts.sizes.map((mb) => ({
    mb,
    objectBytes: 0,
    put: [],
    get: [],
    barePut: [],
    bareGet: [],
    raw: [],
    failures: [],
  }));
  const epipe = surviveEpipe();
  await appPhase(opts, results, notes);
  await transferPhase(opts, results, notes);
  if (epipe.count) {
    notes.push(
      `The engine's write to a Deno process it had just killed failed with EPIPE ${epipe.count} time(s): an ` +
        "unhandled 'error' event that crashes the server process; the bench catches it to go on.",
    );
  }

  const over30 = results.flatMap((r) =>
    [...r.put, ...r.get, ...r.barePut, ...r.bareGet].filter((x) => x.totalMs > 30_000).map(() => r.mb),
  );
  if (over30.length) {
    notes.push(
      `${over30.length} run(s) of ${[...new Set(over30)].join(', ')} MB took over 30 s and still completed: ` +
        'the work runs after the handler returned, so the 30 s call timeout does not apply to it.',
    );
  }
  const reps = opts.sizes.map((mb) => `${opts.reps(mb)} at ${mb} MB`).join(', ');
  const report = renderReport(results, machine, notes, reps);
  process.stdout.write(`${report}\n`);
  if (opts.write) log(`wrote ${writeReport(report)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
