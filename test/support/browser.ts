import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestContext } from 'node:test';
import type { HostOptions } from '../../dev/host';
import type { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { startAppWorkspace, type AppWorkspace } from './appWorkspace';

/** Debian's Chromium (scripts/setup.sh installs it); CHROMIUM overrides the path. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Whether a Chromium is installed where the browser tests look for it. */
export function chromiumInstalled(): boolean {
  return fs.existsSync(CHROMIUM);
}

/**
 * Headless Chromium. As root it needs `--no-sandbox` (playwright adds it: `chromiumSandbox` is off by
 * default); precise memory info makes `performance.memory` exact rather than bucketed.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--enable-precise-memory-info'] });
}

/** A stand-in for a public trustless gateway in front of the local node, which can alter one block on the way. */
export interface FakeGateway {
  readonly url: string;
  /** Raw block requests answered so far, in order. */
  readonly requested: string[];
  /** Flip one byte of the answer to the n-th block request (1-based); 0: none. */
  tamperRequest: number;
  close(): Promise<void>;
}

/** Serves `/ipfs/<cid>?format=raw` from the node's `block/get` (CORS open, as public gateways are). */
export async function startFakeGateway(ipfs: KuboRpcClient): Promise<FakeGateway> {
  const gateway: FakeGateway = {
    url: '',
    requested: [],
    tamperRequest: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const match = /^\/ipfs\/([A-Za-z0-9]+)\?format=raw$/.exec(req.url ?? '');
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'accept');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (!match) return void res.writeHead(400).end();
    gateway.requested.push(match[1]);
    const n = gateway.requested.length;
    ipfs.blockGet(match[1]).then(
      (bytes) => {
        const body = Buffer.from(bytes);
        if (n === gateway.tamperRequest) body[body.length >> 1] ^= 0x01;
        res.writeHead(200, { 'content-type': 'application/vnd.ipld.raw' }).end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (gateway as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gateway;
}

/** A Chromium whose profile lives in a fresh directory on disk, so the origin-private file system is on disk. */
export interface ProfileChromium {
  readonly context: BrowserContext;
  /** The profile directory (removed by `close`). */
  readonly dir: string;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a persistent profile. A plain `newContext()` is off the record, and Chromium keeps an
 * off-the-record origin's file system in memory: a page saving "to disk" there would not be.
 */
export async function launchChromiumProfile(): Promise<ProfileChromium> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'page-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: ['--enable-precise-memory-info'],
    acceptDownloads: true,
  });
  return {
    context,
    dir,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What went through the File System Access API in a page where `installDiskPicker` ran. */
export interface DiskSaveLog {
  /** The name the page suggested to the picker ('' if it never asked). */
  picked: string;
  writes: number;
  bytes: number;
  closed: boolean;
  aborted: boolean;
}

/**
 * Headless Chromium has no one to answer a save dialog: this picker answers with a file of the page's
 * origin-private file system (on disk in the profile), so the page's File System Access path runs for real
 * (swap file, streamed writes, close or abort). The page's writable streams are counted in `window.diskSaveLog`;
 * setting `window.diskPickerCancels = n` makes the next n dialogs end as if the person closed them.
 */
export async function installDiskPicker(target: BrowserContext | Page): Promise<void> {
  // a string, not a function: tsx (esbuild keepNames) would wrap functions in a helper the page lacks
  await target.addInitScript({
    content: `(() => {
      const log = { picked: '', writes: 0, bytes: 0, closed: false, aborted: false };
      window.diskSaveLog = log;
      const stream = FileSystemWritableFileStream.prototype;
      const { write, close, abort } = stream;
      stream.write = function (data) {
        log.writes++;
        log.bytes += data instanceof Uint8Array ? data.byteLength : 0;
        return write.call(this, data);
      };
      stream.close = function () {
        log.closed = true;
        return close.call(this);
      };
      stream.abort = function (reason) {
        log.aborted = true;
        return abort.call(this, reason);
      };
      window.showSaveFilePicker = async ({ suggestedName }) => {
        if (window.diskPickerCancels > 0) {
          window.diskPickerCancels--; // the person closes the dialog, as a browser reports it
          throw new DOMException('The user aborted a request.', 'AbortError');
        }
        log.picked = suggestedName;
        const root = await navigator.storage.getDirectory();
        return root.getFileHandle(suggestedName, { create: true });
      };
    })();`,
  });
}

/** The page's save log (see `installDiskPicker`). */
export function diskSaveLog(page: Page): Promise<DiskSaveLog> {
  return page.evaluate(() => (window as unknown as { diskSaveLog: DiskSaveLog }).diskSaveLog);
}

/** What the origin-private file system holds: every entry's name, and the size and SHA-256 of `name` if there. */
export function savedFile(page: Page, name: string): Promise<{ entries: string[]; size?: number; sha256?: string }> {
  return page.evaluate(async (wanted) => {
    const root = await navigator.storage.getDirectory();
    const entries: string[] = [];
    for await (const key of (root as unknown as { keys(): AsyncIterable<string> }).keys()) entries.push(key);
    if (!entries.includes(wanted)) return { entries };
    const file = await (await root.getFileHandle(wanted)).getFile();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    const sha256 = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return { entries, size: file.size, sha256 };
  }, name);
}

/**
 * The app in a workspace whose endpoints answer over real HTTP (its Site_Url set to them), and a headless
 * Chromium: what every browser-page test runs in. Skips the test where no Chromium is installed.
 */
export async function withPageWorkspace(
  t: TestContext,
  appSettings: HostOptions['appSettings'],
  run: (workspace: AppWorkspace, browser: Browser) => Promise<void>,
): Promise<void> {
  if (!chromiumInstalled()) return t.skip('no Chromium: run scripts/setup.sh');
  const workspace = await startAppWorkspace({ appSettings });
  const browser = await launchChromium();
  try {
    const url = await workspace.host.serveHttp();
    workspace.host.setServerSetting('Site_Url', url);
    await run(workspace, browser);
  } finally {
    await browser.close();
    await workspace.stop();
  }
}
