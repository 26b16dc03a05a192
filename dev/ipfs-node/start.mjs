#!/usr/bin/env node
// A real IPFS node speaking Kubo RPC, for development and integration tests: the archived js-ipfs, offline
// (no libp2p, so no swarm and no peers), empty bootstrap list, no preload, no gateway, API on loopback.
//
//   node dev/ipfs-node/start.mjs [--repo DIR | --temp] [--port N]
//
// --repo DIR   repository directory (default: <repo root>/.cache/ipfs-repo, kept between runs)
// --temp       a fresh repository in a temporary directory, deleted on stop
// --port N     API port on 127.0.0.1 (default 5001; 0 picks a free one)
//
// When ready it prints one JSON line: {"apiUrl":"http://127.0.0.1:PORT","repo":"DIR","pid":N}.
// SIGTERM or SIGINT stops it cleanly (and deletes a --temp repository).
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { create } from 'ipfs-core';
import { HttpApi } from 'ipfs-http-server';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

function parseArgs(argv) {
  const opts = { repo: join(repoRoot, '.cache', 'ipfs-repo'), temp: false, port: 5001 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--temp') opts.temp = true;
    else if (arg === '--repo') opts.repo = resolve(argv[++i]);
    else if (arg === '--port') opts.port = Number(argv[++i]);
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('bad --port');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const repo = opts.temp ? mkdtempSync(join(tmpdir(), 'ipfs-repo-')) : opts.repo;
if (!opts.temp) mkdirSync(dirname(repo), { recursive: true });

const ipfs = await create({
  repo,
  offline: true,
  silent: true,
  start: true,
  preload: { enabled: false },
  init: { algorithm: 'Ed25519' },
  config: {
    Bootstrap: [],
    Addresses: {
      Swarm: [],
      API: `/ip4/127.0.0.1/tcp/${opts.port}`,
      Gateway: '',
      RPC: '',
      Announce: [],
      NoAnnounce: [],
    },
    Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
  },
});
const api = new HttpApi(ipfs);
await api.start();
const info = api._apiServers[0].info;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await api.stop();
    await ipfs.stop();
  } finally {
    if (opts.temp) rmSync(repo, { recursive: true, force: true });
    process.exit(0);
  }
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

process.stdout.write(`${JSON.stringify({ apiUrl: `http://127.0.0.1:${info.port}`, repo, pid: process.pid })}\n`);
