import assert from 'node:assert/strict';
import { AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { WorkspaceHost } from '../host';
import { seen } from '../../test/support/appWorkspace';
import { archiveOutcome } from '../playground/archiveOutcome';
import type { OutsideOpener } from '../playground/outsideOpener';
import { checkTimes, hookSplit, largestMessage, type EngineMessage, type ServerCheck } from './engineMessages';
import { denoRssMiB, MemoryWatch, type PeakMemory } from './memory';
import { LoopProbe, type LoopStall } from './loopProbe';
import { firstEvent, lastEvent, type BridgeEvent } from './probes';

/** The room's archive password in the bench (typed into the form, as an owner would). */
export const ARCHIVE_PASSWORD = 'bench-archive-Password-2026';
/** Longest an upload may take to be archived before the bench calls it lost. */
const ARCHIVE_LIMIT_MS = 300_000;

/** A user's upload through the chat's upload button: the engine's time around the hook and the whole request. */
export interface HookTime {
  /** Peak RSS of the app's Deno process during the request and its RSS just before (MiB). */
  denoPeakMiB: number;
  denoBeforeMiB: number;
  /** The engine's call of IPreFileUpload (the runtime reads the temporary file, then the app's hook runs). */
  hookMs: number;
  /** The whole upload request: policies, temporary file, hook, file stored, message saved. */
  requestMs: number;
  /** That call split at the app's first bridge call: the runtime's read of the file, then the app's hook. */
  split?: { readMs: number; hookMs: number };
}

/** Uploads `bytes` as `user` through the upload flow and times the hook and the request. */
export async function timedUpload(
  host: WorkspaceHost,
  user: IUser,
  room: IRoom,
  name: string,
  bytes: Buffer,
  messages?: EngineMessage[],
): Promise<HookTime> {
  const denoBeforeMiB = denoRssMiB();
  const watch = new MemoryWatch();
  const t0 = Date.now();
  let peak: PeakMemory | undefined;
  const trace = await host.upload(user, room, { name, bytes }).finally(() => (peak = watch.stop()));
  const requestMs = Date.now() - t0;
  const hook = trace.steps.find((s) => s.step === 'IPreFileUpload');
  assert.ok(hook && hook.step === 'IPreFileUpload', `the hook ran for ${name}`);
  const split = messages && hookSplit(messages, t0);
  return { hookMs: hook.ms, requestMs, denoBeforeMiB, denoPeakMiB: peak?.denoMiB ?? NaN, ...(split && { split }) };
}

/** One upload in an archiving room, from the upload request to the archived CID. */
export interface ArchiveRun extends HookTime {
  cid: string;
  /** From the start of the upload request to the entry marked archived with its CID. */
  toCidMs: number;
  /** Where that time went, from host-side timestamps of the app's bridge calls. */
  phases: Record<string, number>;
  /** Peak RSS of the app's Deno process and of this (server) process; the longest event-loop stall here. */
  memory: PeakMemory;
  /**
   * This process's event loop (see loopProbe.ts) from the hook's return to the CID: what the archive job costs
   * the server. The upload request itself is measured apart (`requestLoop`): there the host's in-memory copy of
   * the file (Rocket.Chat streams it to its store instead) stalls the loop with archiving off just the same.
   */
  loop: LoopStall;
  requestLoop: LoopStall;
  /** The Deno process's RSS just before the upload. */
  denoBeforeMiB: number;
  /** The largest engine message from the upload request on, until the CID (see engineMessages.ts). */
  largest?: EngineMessage;
  /** The engine's JSON check of the app's messages on the server's main thread, hook to CID: longest, total. */
  serverCheck: { maxMs: number; totalMs: number };
  /** The largest after the hook returned (what the archive job moves). */
  largestAfterHook?: EngineMessage;
  /** The object opened with the archive password by the command-line opener, byte-identical (after timing). */
  opened: boolean;
}

const isBlockWrite = (e: BridgeEvent) => e.what === 'http' && /\/(block\/put|dag\/import)\b/.test(e.url ?? '');
const isPin = (e: BridgeEvent) => e.what === 'http' && /\/pin\/add\b/.test(e.url ?? '');

/**
 * Uploads `bytes` into an archiving room and waits until the app has archived it, sampling the Deno process's
 * memory and this process's event loop meanwhile; then fetches the object from the node and opens it with the
 * archive password (outside the timed window), so the bench only counts real work.
 */
export async function archiveUpload(
  host: WorkspaceHost,
  watched: { events: BridgeEvent[]; messages: EngineMessage[]; checks: ServerCheck[]; opener: OutsideOpener },
  user: IUser,
  room: IRoom,
  name: string,
  bytes: Buffer,
): Promise<ArchiveRun> {
  const denoBeforeMiB = denoRssMiB();
  const watch = new MemoryWatch();
  let probe = new LoopProbe();
  const t0 = Date.now();
  let memory: PeakMemory | undefined;
  try {
    const hook = await timedUpload(host, user, room, name, bytes, watched.messages);
    const requestLoop = probe.stop();
    probe = new LoopProbe();
    const hookReturned = t0 + hook.requestMs;
    const entry = await host.waitFor(() => archiveOutcome(host, name), ARCHIVE_LIMIT_MS);
    const done = Date.now();
    memory = watch.stop();
    const loop = probe.stop();
    if (process.env.BENCH_ARCHIVE_TRACE) trace(watched.messages, t0, hook.requestMs);
    assert.equal(entry.status, 'archived', `${name} was not archived: ${entry.reason ?? entry.status}`);
    assert.ok(entry.cid, `a CID for ${name}`);
    const { events, messages, opener } = watched;
    const first = firstEvent(events, t0, isBlockWrite);
    const lastBlock = lastEvent(events, t0, isBlockWrite);
    const pin = lastEvent(events, t0, isPin);
    assert.ok(first && lastBlock && pin, 'the app wrote blocks and pinned the root');
    const opened = await opener.open(entry.cid);
    return {
      ...hook,
      cid: entry.cid,
      toCidMs: done - t0,
      memory,
      loop,
      requestLoop,
      denoBeforeMiB,
      largest: largestMessage(messages, t0, done),
      largestAfterHook: largestMessage(messages, hookReturned, done),
      serverCheck: checkTimes(watched.checks, hookReturned, done),
      opened: opened.name === name && opened.bytes.equals(bytes),
      phases: {
        'upload request': hook.requestMs,
        'request → first block (entry, scrypt)': first.start - hookReturned,
        'blocks (encrypt + IPFS)': lastBlock.end - first.start,
        '… of which at the host (HTTP to IPFS)': blockSpans(events, t0).atHost,
        '… of which between blocks (app + engine transfer)': blockSpans(events, t0).between,
        'root, pin': pin.end - lastBlock.end,
        'owner record, entry': done - pin.end,
      },
    };
  } finally {
    if (!memory) {
      watch.stop();
      probe.stop();
    }
  }
}

/**
 * The block requests' time split: at the host (the bridge call to its answer: the HTTP request to IPFS) and
 * between one answer and the next request (the app encrypting the next piece and the engine moving both
 * messages, its JSON checks included).
 */
function blockSpans(events: BridgeEvent[], since: number): { atHost: number; between: number } {
  const blocks = events.filter((e) => e.start >= since && isBlockWrite(e));
  let atHost = 0;
  let between = 0;
  blocks.forEach((b, i) => {
    atHost += b.end - b.start;
    if (i > 0) between += b.start - blocks[i - 1].end;
  });
  return { atHost, between };
}

/** BENCH_ARCHIVE_TRACE=1: the engine messages of the upload request, to see where the hook's time goes. */
function trace(messages: EngineMessage[], t0: number, requestMs: number): void {
  for (const m of messages.filter((x) => x.at >= t0 && x.at <= t0 + requestMs + 20)) {
    process.stderr.write(`  +${m.at - t0} ms ${m.direction} ${m.method} ${m.bytes} B\n`);
  }
}

/**
 * Restarts the app's Deno process through the engine (as its liveness check would) and warms the hook with one
 * small upload, so a measurement's memory starts from a fresh process rather than what earlier runs left.
 */
export async function freshAppProcess(host: WorkspaceHost, user: IUser, room: IRoom): Promise<void> {
  await host.restartAppProcess();
  const app = host.manager.getOneById(host.appId);
  const enabled = async () =>
    host.runtime().getProcessState() === 'ready' && AppStatusUtils.isEnabled(await app.getStatus());
  for (const deadline = Date.now() + 60_000; !(await enabled());) {
    if (Date.now() > deadline) {
      const state = `process ${host.runtime().getProcessState()}, app ${await app.getStatus()}`;
      throw new Error(`the app was not enabled again within 60 s of its restart (${state})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await timedUpload(host, user, room, `warm-${Date.now()}.bin`, Buffer.alloc(1024));
}

/** `/ipfs archive on` by a room owner, the form answered with the password twice; waits for "Archiving is on". */
export async function turnArchivingOn(host: WorkspaceHost, owner: IUser, room: IRoom): Promise<void> {
  const opened = await host.runSlashCommand(owner, room, '/ipfs archive on');
  assert.equal(opened.opened.length, 1, `the archive form opens: ${seen(host, owner).join(' | ')}`);
  const done = await host.submitViewValues(owner, opened.opened[0].id, {
    ipfs_password: ARCHIVE_PASSWORD,
    ipfs_password_confirm: ARCHIVE_PASSWORD,
  });
  assert.deepEqual(done.errors, {}, 'the form accepts the password');
  await host.waitFor(() => seen(host, owner).some((text) => /Archiving is on/.test(text)), 10_000);
}
