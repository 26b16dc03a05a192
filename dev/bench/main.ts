/**
 * `npm run bench` (issues #3 and #5): put and get of random files through the packaged app in the real engine,
 * next to issue #5's naive path (one `getBufferById` + one whole-file `add`; one whole `cat` + one
 * `uploadBuffer`) run by the transfer fixture app against the same IPFS node, the engine's delivery floor alone
 * and the app's crypto alone, all in one run, so the ratios compare like with like on a noisy machine.
 *
 * Usage: node --import tsx dev/bench/main.ts [--sizes 1,5,20,25,32,50,100] [--reps N] [--quick] [--no-write]
 *   [--app-zip <zip> | --ref <commit>]
 * Sizes are MiB. Without --app-zip the app is packaged from the working tree with its file-size cap raised to
 * the largest size (dev/bench/benchApp.ts), or from commit --ref; dist/transfer.zip must exist (scripts/bench.sh packages it).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkspaceHost } from '../host';
import { NodeHttpAccessor } from '../host/http/rocketChatHttp';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { startIpfsNode } from '../../test/support/ipfsNode';
import { getThroughApp, putThroughApp, sealAndAdd, startAppHost } from './appRuns';
import { packageBenchApp } from './benchApp';
import { liveness, surviveEpipe, unlessRestarted } from './engineWatch';
import { describeStep, instrument, type BridgeEvent } from './probes';
import { describeMachine, renderReport, writeReport, type SizeResult } from './report';
import { TransferBench } from './transferRuns';

const MiB = 1024 * 1024;
const ROOT = path.resolve(__dirname, '../..');

/** `--sizes 1,5`, `--reps N`, `--quick`, `--no-write` (@types/node 16 here has no typing for util.parseArgs). */
function options(argv = process.argv.slice(2)) {
  const flags = new Set(['--quick', '--no-write']);
  const valued = new Set(['--sizes', '--reps', '--app-zip', '--ref']);
  for (let i = 0; i < argv.length; i++) {
    if (valued.has(argv[i])) i++;
    else if (!flags.has(argv[i])) {
      // a typo or --help must not start a run that takes half an hour
      process.stderr.write(`usage: npm run bench -- [--sizes 1,5,20,25,32,50,100] [--reps N] [--quick] [--no-write]\n`);
      process.stderr.write(`                        [--app-zip <zip> | --ref <commit>]\n`);
      process.exit(argv[i] === '--help' ? 0 : 2);
    }
  }
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const sizesArg = value('--sizes') ?? '1,5,20,25,32,50,100';
  const sizes = quick ? [1] : sizesArg.split(',').map(Number);
  if (sizes.some((n) => !(Number.isInteger(n) && n > 0 && n <= 200))) {
    throw new Error(`--sizes: whole MiB between 1 and 200, got ${sizesArg}`);
  }
  const repsArg = value('--reps');
  // three repetitions where cheap; from 20 MiB on a round trip takes a minute or more, and the machine is shared
  const reps = (mb: number): number => (quick ? 1 : repsArg ? Number(repsArg) : mb >= 50 ? 1 : mb >= 20 ? 2 : 3);
  const appZip = value('--app-zip');
  const ref = value('--ref');
  const write = !quick && !argv.includes('--no-write');
  return { sizes, reps, appZip: appZip && path.resolve(appZip), ref, write };
}

const log = (text: string) => process.stderr.write(`bench: ${text}\n`);

/**
 * One measurement; a failure (e.g. the engine restarting Deno) is noted for the size with how long it ran and
 * where it stood, not fatal to the bench.
 */
async function attempt<T>(
  host: WorkspaceHost,
  events: BridgeEvent[],
  r: SizeResult,
  label: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  const started = Date.now();
  try {
    return await unlessRestarted(host, run, () => events.reduce((t, e) => Math.max(t, e.start, e.end), 0));
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const after = ((Date.now() - started) / 1000).toFixed(0);
    r.failures.push(`${label} failed after ${after} s: ${why}; ${describeStep(events, started)}`);
    log(`${r.mb} MiB ${label} FAILED after ${after} s: ${why}`);
    return undefined;
  }
}

interface Phase {
  opts: ReturnType<typeof options>;
  results: SizeResult[];
  notes: string[];
  apiUrl: string;
  ipfs: KuboRpcClient;
}

/** Put and get through the app for every size, in the app's host. */
async function appPhase({ opts, results, notes, apiUrl, ipfs }: Phase, appZip: string): Promise<void> {
  const maxMb = Math.max(...opts.sizes);
  log(`installing ${path.relative(ROOT, appZip)} in the engine (file-size limit ${maxMb} MiB)`);
  const host = await startAppHost(appZip, apiUrl, maxMb);
  try {
    const events = instrument(host);
    const alice = host.addUser({ username: 'alice' });
    // bob holds no key to alice's files, so his `/ipfs get` takes the password modal (header probe + scrypt)
    const bob = host.addUser({ username: 'bob' });
    for (const r of results) {
      const bytes = files.get(r.mb)!;
      const name = `bench-${r.mb}MiB.bin`;
      const fileId = String(host.uploadFile(alice, host.general, { name, bytes }).file?._id);
      for (let i = 0; i < opts.reps(r.mb); i++) {
        const put = await attempt(host, events, r, 'app put', () =>
          putThroughApp(host, events, alice, host.general, fileId),
        );
        if (put) {
          log(`${r.mb} MiB app put ${put.totalMs} ms (modal ${put.modalMs} ms, ${put.requests} IPFS requests)`);
          r.put.push(put);
          r.cid ??= put.cid;
        }
        if (!r.cid) {
          log(`${r.mb} MiB: no object from the app; sealing one in Node for get and the naive get`);
          r.cid = await sealAndAdd(ipfs, bytes, name);
          r.cidFrom = 'sealed and added by the bench (app put did not complete)';
        }
        const cid = r.cid;
        const get = await attempt(host, events, r, 'app get', () =>
          getThroughApp(host, events, bob, host.general, cid, bytes),
        );
        if (get) {
          log(`${r.mb} MiB app get ${get.totalMs} ms (modal ${get.modalMs} ms, ${get.requests} IPFS requests)`);
          r.get.push(get);
        }
        if (!put || !get) break;
      }
      if (r.cid && !r.objectBytes) r.objectBytes = (await ipfs.cat(r.cid)).length;
    }
    notes.push(restarts('App', liveness(host)));
    const errors = host.appErrors();
    if (errors.length) notes.push(`App errors in the engine's log: ${errors.slice(0, 3).join('; ')}`);
  } finally {
    await host.stop();
  }
}

/** The naive path, the delivery floor and the crypto alone, in a second host running the transfer fixture. */
async function transferPhase({ opts, results, notes, apiUrl }: Phase): Promise<void> {
  log('starting the transfer fixture app in a fresh host');
  const bench = await TransferBench.start(apiUrl);
  try {
    const events = instrument(bench.host);
    for (const r of results) {
      const bytes = files.get(r.mb)!;
      const fileId = bench.upload(bytes);
      for (let i = 0; i < opts.reps(r.mb); i++) {
        const put = await attempt(bench.host, events, r, 'naive put', () => bench.naivePut(fileId, bytes.length));
        if (put) {
          log(`${r.mb} MiB naive put ${put.totalMs} ms ${JSON.stringify(put.steps)}`);
          r.naivePut.push(put);
        }
        const cid = r.cid;
        const get =
          cid && r.objectBytes
            ? await attempt(bench.host, events, r, 'naive get', () => bench.naiveGet(cid, r.objectBytes))
            : undefined;
        if (get) {
          log(`${r.mb} MiB naive get ${get.totalMs} ms ${JSON.stringify(get.steps)}`);
          r.naiveGet.push(get);
        }
        if (!put || !get) break;
      }
      // after the naive runs: its big allocations warm the process up, and the app's first run at a size is cold
      const crypt = await attempt(bench.host, events, r, 'crypto alone', () => bench.cryptoOnly(bytes.length));
      if (crypt) {
        log(`${r.mb} MiB crypto ${JSON.stringify(crypt.steps)}`);
        r.crypto.push(crypt);
      }
      // the delivery floor alone once per size (the naive get's upload step measures it too)
      const up = await attempt(bench.host, events, r, 'uploadBuffer alone', () => bench.uploadOnly(bytes.length));
      if (up) {
        log(`${r.mb} MiB uploadBuffer alone ${up.totalMs} ms ${JSON.stringify(up.steps)}`);
        r.upload.push(up);
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
  const cap = Math.max(...opts.sizes);
  const appZip = opts.appZip ?? (await packageBenchApp(cap, opts.ref));
  const from = opts.ref
    ? `commit ${execFileSync('git', ['rev-parse', '--short', opts.ref], { cwd: ROOT, encoding: 'utf8' }).trim()}`
    : 'the working tree';
  machine.push(
    `- App: ${path.relative(ROOT, appZip)} (${fs.statSync(appZip).size} bytes)` +
      (opts.appZip ? '' : `, packaged from ${from} with MAX_FILE_SIZE_CAP_MB raised to ${cap} (dev/bench/benchApp.ts)`),
  );
  const notes: string[] = [];
  for (const mb of opts.sizes) files.set(mb, crypto.randomBytes(mb * MiB));
  const results: SizeResult[] = opts.sizes.map((mb) => ({
    mb,
    objectBytes: 0,
    put: [],
    get: [],
    naivePut: [],
    naiveGet: [],
    upload: [],
    crypto: [],
    failures: [],
  }));
  const epipe = surviveEpipe();
  log('starting the IPFS node');
  const node = await startIpfsNode();
  try {
    const ipfs = new KuboRpcClient(new NodeHttpAccessor(), {
      apiUrl: node.apiUrl,
      auth: { kind: 'none' },
      timeoutMs: 600_000,
    });
    const phase: Phase = { opts, results, notes, apiUrl: node.apiUrl, ipfs };
    await appPhase(phase, appZip);
    await transferPhase(phase);
  } finally {
    await node.stop();
  }
  if (epipe.count) {
    notes.push(
      `The engine's write to a Deno process it had just killed failed with EPIPE ${epipe.count} time(s): an ` +
        "unhandled 'error' event that crashes the server process; the bench catches it to go on.",
    );
  }
  const over30 = results.flatMap((r) =>
    [...r.put, ...r.get, ...r.naivePut, ...r.naiveGet].filter((x) => x.totalMs > 30_000).map(() => r.mb),
  );
  if (over30.length) {
    notes.push(
      `${over30.length} run(s) of ${[...new Set(over30)].join(', ')} MiB took over 30 s and still completed: ` +
        'the work runs after the handler returned, so the 30 s call timeout does not apply to it.',
    );
  }
  for (const r of results) if (r.cidFrom) notes.push(`${r.mb} MiB: the object for get was ${r.cidFrom}.`);
  const reps = opts.sizes.map((mb) => `${opts.reps(mb)} at ${mb} MiB`).join(', ');
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
