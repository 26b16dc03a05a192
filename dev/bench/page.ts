/**
 * Issue #12's targets for the browser page, in one run: get of 1, 32 and 100 MiB through the page in headless
 * Chromium (password typed → file saved through the File System Access path, streamed to the origin's files on
 * disk), then chat delivery (`/ipfs get` → `uploadBuffer`) of 1 and 32 MiB (its limit) by the same app in the
 * same engine. Each run: wall time, peak RSS of the Chromium process tree, of this process (the server: host,
 * engine and HTTP router) and of the app's Deno process, and the server's longest event-loop stall (target
 * ≤ 200 ms). The objects are sealed with the app's own code (default scrypt cost) and stored from Node as the app
 * stores them, streamed, since the app's put stops at 32 MiB.
 *
 * Sizes in MiB: --page streamed to disk (default 1,32,100), --blob through the Blob download other browsers take
 * (default 100), --chat delivered in chat (default 1,32).
 * Usage: node --import tsx dev/bench/page.ts [--page 1,32,100] [--blob 100] [--chat 1,32]   (npm run bench:page)
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { NodeHttpAccessor } from '../host/http/rocketChatHttp';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { packageApp } from '../../test/support/appWorkspace';
import { chromiumInstalled, installDiskPicker, launchChromiumProfile } from '../../test/support/browser';
import { startIpfsNode } from '../../test/support/ipfsNode';
import { getThroughApp, sealAndAdd, startAppHost } from './appRuns';
import { liveness, surviveEpipe, unlessRestarted } from './engineWatch';
import { instrument } from './probes';
import { content, getThroughPage, pageLink, residentNow, StallWatch, storeStreamed, type SinkKind } from './pageRuns';

const STALL_TARGET_MS = 200;

function sizes(flag: string, fallback: number[]): number[] {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1].split(',').filter(Boolean).map(Number) : fallback;
}

const log = (text: string) => process.stderr.write(`bench: ${text}\n`);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

interface Row {
  path: string;
  mib: number;
  seconds: string;
  detail: string;
  /** Peak and, in parentheses, the resident size just before the run. */
  chromium: string;
  server: string;
  deno: string;
  /** CPU time of this process (server, plus the bench's own sampling and the browser's driver), ms per MiB. */
  cpuPerMiB: string;
  stallMs: number;
  /** The longest gap between 10 ms ticks, and this process's CPU time in it. */
  gap: string;
}

const peak = (max: number, before: number) => `${max} (${before})`;

/**
 * One measurement that may fail (at its limit, chat delivery can make the engine restart the app's process):
 * a failure becomes a row saying so, and the bench goes on.
 */
async function attempt<T>(rows: Row[], path: string, mib: number, run: () => Promise<T>): Promise<T | undefined> {
  const started = Date.now();
  try {
    return await run();
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const seconds = `failed after ${((Date.now() - started) / 1000).toFixed(1)}`;
    log(`${path} ${mib} MiB: ${seconds} s: ${why}`);
    rows.push({
      path,
      mib,
      seconds,
      detail: why,
      chromium: '—',
      server: '—',
      deno: '—',
      cpuPerMiB: '—',
      stallMs: 0,
      gap: '—',
    });
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!chromiumInstalled()) throw new Error('no Chromium: run scripts/setup.sh');
  surviveEpipe();
  const runs: { sink: SinkKind; mib: number }[] = [
    ...sizes('--page', [1, 32, 100]).map((mib) => ({ sink: 'disk' as const, mib })),
    ...sizes('--blob', [100]).map((mib) => ({ sink: 'blob' as const, mib })),
  ];
  const chatSizes = sizes('--chat', [1, 32]);
  const loadBefore = uptime();
  const node = await startIpfsNode();
  const ipfs = new KuboRpcClient(new NodeHttpAccessor(), {
    apiUrl: node.apiUrl,
    auth: { kind: 'none' },
    timeoutMs: 600_000,
  });
  // the app as `npm run package` builds it, with its own 32 MiB cap: chat delivery up to its limit
  const host = await startAppHost(packageApp(), node.apiUrl, 32);
  const browser = await launchChromiumProfile();
  const rows: Row[] = [];
  try {
    const events = instrument(host);
    host.setServerSetting('Site_Url', await host.serveHttp());
    await installDiskPicker(browser.context);
    const alice = host.addUser({ username: 'alice' });
    const stored = new Map<number, { name: string; cid: string; sha256: string }>();
    for (const { sink, mib } of runs) {
      const name = `page-${mib}MiB.bin`;
      const object = stored.get(mib) ?? { name, ...(await storeStreamed(ipfs, mib, name)) };
      stored.set(mib, object);
      const link = await pageLink(host, alice, object.cid);
      const path = sink === 'disk' ? 'page, streamed to disk' : 'page, Blob download';
      const run = await attempt(rows, path, mib, () =>
        unlessRestarted(host, () => getThroughPage(browser.context, link, object, sink)),
      );
      if (!run) continue;
      log(`page (${sink}) ${mib} MiB: ${run.totalMs} ms, ${JSON.stringify(run.memory)}`);
      rows.push({
        path,
        mib,
        seconds: (run.totalMs / 1000).toFixed(1),
        detail: `unlock ${(run.unlockMs / 1000).toFixed(1)} s`,
        chromium: peak(run.memory.chromiumMiB, run.before.chromiumMiB),
        server: peak(run.memory.hostMiB, run.before.serverMiB),
        deno: peak(run.memory.denoMiB, run.before.denoMiB),
        cpuPerMiB: (run.memory.serverCpuMs / mib).toFixed(0),
        stallMs: run.memory.hostStallMs,
        gap: `${run.memory.stall.cpuMs} of ${run.memory.stall.ms}`,
      });
    }
    for (const mib of chatSizes) {
      const bytes = Buffer.concat([...content(mib)]);
      const cid = await sealAndAdd(ipfs, bytes, `chat-${mib}MiB.bin`);
      const before = residentNow();
      const cpu = process.cpuUsage();
      const stall = new StallWatch();
      const path = 'chat (`uploadBuffer`)';
      const run = await attempt(rows, path, mib, () =>
        unlessRestarted(host, () => getThroughApp(host, events, alice, host.general, cid, bytes)),
      );
      const gap = stall.stop();
      if (!run) continue;
      const used = process.cpuUsage(cpu);
      log(`chat ${mib} MiB: ${run.totalMs} ms, ${JSON.stringify(run.memory)}`);
      rows.push({
        path,
        mib,
        seconds: (run.totalMs / 1000).toFixed(1),
        detail: `upload app→host ${(run.phases['upload app→host'] / 1000).toFixed(1)} s`,
        chromium: '—',
        server: peak(run.memory.hostMiB, before.serverMiB),
        deno: peak(run.memory.denoMiB, before.denoMiB),
        cpuPerMiB: ((used.user + used.system) / 1000 / mib).toFixed(0),
        stallMs: run.memory.hostStallMs,
        gap: `${gap.cpuMs} of ${gap.ms}`,
      });
    }
    const restarts = liveness(host).restartCount;
    console.log(`\nload before: ${loadBefore}\nload after:  ${uptime()}`);
    console.log(`${os.cpus().length} cores, node ${process.version}; Deno restarts by the engine: ${restarts}\n`);
    const head = ['path', 'MiB', 'password → saved/posted (s)', 'of which', 'Chromium tree RSS', 'server RSS'];
    const tail = ['Deno RSS', 'server CPU ms/MiB', 'longest server stall (ms)', 'own CPU ms in the longest gap'];
    console.log(`| ${[...head, ...tail].join(' | ')} |`);
    console.log(`|${' --- |'.repeat(head.length + tail.length)}`);
    for (const r of rows) {
      const stall = `${r.stallMs}${r.stallMs > STALL_TARGET_MS ? ' ✗' : ''}`;
      const cells = [r.path, r.mib, r.seconds, r.detail, r.chromium, r.server, r.deno, r.cpuPerMiB, stall, r.gap];
      console.log(`| ${cells.join(' | ')} |`);
    }
    console.log('\nRSS in MiB: peak during the run (resident just before it).');
  } finally {
    await browser.close();
    await host.stop();
    await node.stop();
  }
}

// exit when done: a run given up on may leave its wait for the chat's answer pending for minutes
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
