import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';

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
