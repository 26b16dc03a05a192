import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { BrowserContext, Page } from 'playwright-core';
import type { WorkspaceHost } from '../host';
import { beginEncryption } from '../../src/crypto';
import { DagUploader } from '../../src/ipfs/DagUploader';
import type { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { seen } from '../../test/support/appWorkspace';
import { savedFile } from '../../test/support/browser';
import { PASSWORD } from './appRuns';
import { denoPid, MemoryWatch, type PeakMemory } from './memory';

const MiB = 1024 * 1024;

/** Deterministic incompressible content, one MiB at a time (AES-CTR keystream of a fixed key). */
export function* content(mib: number): Generator<Buffer> {
  const cipher = crypto.createCipheriv('aes-128-ctr', Buffer.alloc(16, 1), Buffer.alloc(16, 2));
  const zeros = Buffer.alloc(MiB);
  for (let i = 0; i < mib; i++) yield cipher.update(zeros);
}

/**
 * `mib` MiB sealed with the app's code and default scrypt cost, stored as the app stores (1 MiB raw leaves),
 * streamed: this process never holds the file, so the server's memory figures are not the bench's own.
 */
export async function storeStreamed(
  ipfs: KuboRpcClient,
  mib: number,
  name: string,
): Promise<{ cid: string; sha256: string }> {
  const { header, encryptor } = beginEncryption(
    { name, mediaType: 'application/octet-stream', size: mib * MiB },
    PASSWORD,
  );
  const uploader = new DagUploader(ipfs);
  const hash = crypto.createHash('sha256');
  await uploader.write(header);
  for (const piece of content(mib)) {
    hash.update(piece);
    await uploader.write(encryptor.push(piece));
  }
  await uploader.write(encryptor.finish());
  return { cid: await uploader.finish(), sha256: hash.digest('hex') };
}

/** pid → parent pid and command name of every process now. */
function processes(): Map<number, { ppid: number; comm: string }> {
  const map = new Map<number, { ppid: number; comm: string }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      map.set(Number(entry), { comm, ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) });
    } catch {
      // ended while we looked
    }
  }
  return map;
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Every Chromium process this process started (browser, renderers, GPU, network, zygotes): the children of ours
 * named chromium/chrome and all their descendants.
 */
export function chromiumTree(): number[] {
  const all = processes();
  const inTree = new Set<number>();
  for (const [pid, { ppid, comm }] of all) if (ppid === process.pid && /^chrom/.test(comm)) inTree.add(pid);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, { ppid }] of all) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  return [...inTree];
}

/**
 * Sum of the resident memory of the Chromium tree. Shared pages (the binary, libraries) count once per process,
 * so the sum overstates what the machine spends; what grows during a run is what counts.
 */
export function chromiumTreeBytes(pids = chromiumTree()): number {
  return pids.reduce((sum, pid) => sum + rssBytes(pid), 0);
}

/**
 * The server's longest event-loop stall and how much CPU this process used during it: a stall with little CPU
 * of ours is time spent waiting for a core (the machine is shared), one with as much CPU as wall time is our work.
 */
export class StallWatch {
  private last = { at: performance.now(), cpu: process.cpuUsage() };
  longest = { ms: 0, cpuMs: 0 };
  private readonly timer = setInterval(() => {
    const now = { at: performance.now(), cpu: process.cpuUsage() };
    const ms = now.at - this.last.at;
    if (ms > this.longest.ms) {
      const cpuMs = (now.cpu.user - this.last.cpu.user + now.cpu.system - this.last.cpu.system) / 1000;
      this.longest = { ms: Math.round(ms), cpuMs: Math.round(cpuMs) };
    }
    this.last = now;
  }, 10);

  stop(): { ms: number; cpuMs: number } {
    clearInterval(this.timer);
    return this.longest;
  }
}

/** A run's peaks, the CPU time this (the server's) process spent in it, and its longest stall's own CPU. */
export type PageMemory = PeakMemory & {
  chromiumMiB: number;
  serverCpuMs: number;
  stall: { ms: number; cpuMs: number };
};

/**
 * Samples the Chromium tree's RSS every 100 ms (its processes looked up again every second: a /proc walk costs
 * ~3 ms), beside MemoryWatch's Deno/server/event-loop watch.
 */
export class BrowserAndServerWatch {
  private pids = chromiumTree();
  private chromiumPeak = chromiumTreeBytes(this.pids);
  private ticks = 0;
  private readonly timer = setInterval(() => {
    if (++this.ticks % 10 === 0) this.pids = chromiumTree();
    this.chromiumPeak = Math.max(this.chromiumPeak, chromiumTreeBytes(this.pids));
  }, 100);
  private readonly server = new MemoryWatch();
  private readonly stall = new StallWatch();
  private readonly cpu = process.cpuUsage();

  stop(): PageMemory {
    clearInterval(this.timer);
    const server = this.server.stop();
    const stall = this.stall.stop();
    const cpu = process.cpuUsage(this.cpu);
    this.chromiumPeak = Math.max(this.chromiumPeak, chromiumTreeBytes());
    return {
      ...server,
      chromiumMiB: Math.round(this.chromiumPeak / MiB),
      serverCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      stall,
    };
  }
}

/** Resident memory of the three processes now, in MiB (a baseline for a run's peaks). */
export function residentNow(): { chromiumMiB: number; serverMiB: number; denoMiB: number } {
  const deno = denoPid();
  return {
    chromiumMiB: Math.round(chromiumTreeBytes() / MiB),
    serverMiB: Math.round(rssBytes(process.pid) / MiB),
    denoMiB: deno === undefined ? 0 : Math.round(rssBytes(deno) / MiB),
  };
}

/** One get through the page: password typed → file saved, and what it cost. */
export interface PageRun {
  totalMs: number;
  /** From the password's submit until the page showed the file's name (header blocks + scrypt). */
  unlockMs: number;
  memory: PageMemory;
  /** Memory just before the run, for scale. */
  before: ReturnType<typeof residentNow>;
}

/** The page link the app tells `user` for `cid` (`/ipfs open`). */
export async function pageLink(host: WorkspaceHost, user: IUser, cid: string): Promise<string> {
  const from = seen(host, user).length;
  await host.runSlashCommand(user, host.general, `/ipfs open ${cid}`);
  const text = await host.waitFor(() =>
    seen(host, user)
      .slice(from)
      .find((m) => /\]\((http[^)]+)\)/.test(m)),
  );
  return (/\]\((http[^)]+)\)/.exec(text) as RegExpExecArray)[1];
}

const state = (page: Page) => page.evaluate(() => document.getElementById('status')?.dataset.state ?? '');

async function until(page: Page, wanted: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    (w) => ['error', w].includes(document.getElementById('status')?.dataset.state ?? ''),
    wanted,
    { timeout, polling: 100 },
  );
  const now = await state(page);
  if (now !== wanted) throw new Error(`the page says: ${(await page.textContent('#status')) ?? now}`);
}

/** How the page saves: streamed through the File System Access API (Chromium), or a Blob download (others). */
export type SinkKind = 'disk' | 'blob';

async function fileSha256(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const piece of fs.createReadStream(file)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** Clicks save and waits until the file is complete where it goes; returns a check of its SHA-256, run later. */
async function saveAndWait(page: Page, sink: SinkKind, name: string): Promise<() => Promise<string | undefined>> {
  if (sink === 'disk') {
    await page.click('#save');
    await until(page, 'page_done', 900_000);
    return async () => {
      const saved = await savedFile(page, name);
      await page.evaluate(async (n) => (await navigator.storage.getDirectory()).removeEntry(n), name);
      return saved.sha256;
    };
  }
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 900_000 }), page.click('#save')]);
  await until(page, 'page_done', 900_000);
  const file = await download.path(); // resolves once the browser has the whole file on disk
  return async () => {
    const sha256 = await fileSha256(file);
    await download.delete();
    return sha256;
  };
}

/**
 * Opens `link` in a new page of `context` (whose save picker streams into the origin's files on disk, see
 * installDiskPicker; with sink 'blob' the page is left without it, as in browsers that lack the API), types the
 * password, clicks save as soon as it is offered, and checks the saved file's SHA-256 after the measurement.
 */
export async function getThroughPage(
  context: BrowserContext,
  link: string,
  file: { name: string; sha256: string },
  sink: SinkKind,
): Promise<PageRun> {
  const page = await context.newPage();
  try {
    if (sink === 'blob') await page.addInitScript({ content: 'delete window.showSaveFilePicker;' });
    // blocks are cacheable (`private, max-age=3600`): an earlier run of the same object must not serve this one
    await (await context.newCDPSession(page)).send('Network.clearBrowserCache');
    await page.goto(link);
    await page.fill('#password', PASSWORD);
    const before = residentNow();
    const watch = new BrowserAndServerWatch();
    const t0 = Date.now();
    await page.click('#unlock button[type=submit]');
    await until(page, 'page_ready', 120_000);
    const unlockMs = Date.now() - t0;
    const check = await saveAndWait(page, sink, file.name);
    const totalMs = Date.now() - t0;
    const memory = watch.stop();
    assert.equal(await check(), file.sha256, `the saved ${file.name} is byte-identical`);
    return { totalMs, unlockMs, memory, before };
  } finally {
    await page.close();
  }
}
