/**
 * The bundled command-line opener (dist/ipfs-open.mjs, run as a user runs it: plain `node`, no tsx) against a
 * real IPFS node, with objects the app's own code encrypted and stored. A trustless-gateway fake in front of the
 * same node serves the gateway path and the one fault a node cannot make: a tampered block.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as nodeTest from 'node:test';
import { describe, test } from 'node:test';

import { NodeHttpAccessor } from '../../dev/host/http/rocketChatHttp';
import { sealObject, type KdfParams } from '../../src/crypto';
import { DagUploader } from '../../src/ipfs/DagUploader';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { textLike } from '../support/cryptoHelpers';
import { startGatewayFake, type GatewayFake } from '../support/gatewayFake';
import { startIpfsNode, type IpfsNode } from '../support/ipfsNode';

// @types/node 16 (pinned for rc-apps) does not declare the hooks Node 20 has.
const { before, after } = nodeTest as unknown as {
  before: (fn: () => Promise<void>) => void;
  after: (fn: () => Promise<void>) => void;
};

const ROOT = resolve(__dirname, '..', '..');
const OPENER = join(ROOT, 'dist', 'ipfs-open-test.mjs');
const KDF: KdfParams = { logN: 12, r: 8, p: 1 };
const PASSWORD = 'Pässwörd with spaces ';
const MiB = 1048576;

let node: IpfsNode;
let gateway: GatewayFake;
let work: string;
const stored: Record<string, { cid: string; content: Uint8Array; fileKey?: Uint8Array }> = {};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bundle with `args` in a fresh output folder; resolves with its exit status and output. */
function runOpener(args: string[], outDir: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [OPENER, ...args, '--out', outDir, '--lang', 'en'],
      { cwd: outDir, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

function freshDir(): string {
  return mkdtempSync(join(work, 'out-'));
}

async function store(content: Uint8Array): Promise<string> {
  const client = new KuboRpcClient(new NodeHttpAccessor(), {
    apiUrl: node.apiUrl,
    auth: { kind: 'none' },
    timeoutMs: 60_000,
  });
  const up = new DagUploader(client);
  await up.write(content);
  return up.finish();
}

async function storeEncrypted(key: string, name: string, size: number): Promise<void> {
  const content = textLike(size);
  const { object, fileKey } = sealObject(content, { name, mediaType: 'text/plain', size }, PASSWORD, KDF);
  stored[key] = { cid: await store(object), content, fileKey };
}

void describe('ipfs-open (the bundled CLI) against a real IPFS node', () => {
  before(async () => {
    execFileSync(process.execPath, ['scripts/build-opener.mjs', '--out', OPENER], { cwd: ROOT, stdio: 'ignore' });
    work = mkdtempSync(join(tmpdir(), 'opener-test-'));
    writeFileSync(join(work, 'password'), `${PASSWORD}\n`);
    writeFileSync(join(work, 'wrong'), 'not the password\n');
    node = await startIpfsNode();
    gateway = await startGatewayFake(node.apiUrl);
    await storeEncrypted('multi', 'report.txt', 3 * MiB + 12345);
    await storeEncrypted('hostile', '../../.bashrc\u202Etxt.exe', 1000);
    await storeEncrypted('empty', 'empty.txt', 0);
    stored.plain = { cid: await store(textLike(5000)), content: textLike(5000) };
  });
  after(async () => {
    await gateway?.close();
    await node?.stop();
    rmSync(OPENER, { force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const pw = () => ['--password-file', join(work, 'password')];

  void test('opens a 3 MiB object from Kubo RPC byte for byte, and a second open never overwrites: " (1)"', async () => {
    const out = freshDir();
    const first = await runOpener([stored.multi.cid, '--api', node.apiUrl, ...pw()], out);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Saved .*report\.txt \(3\.0 MiB\)/);
    assert.ok(readFileSync(join(out, 'report.txt')).equals(stored.multi.content));
    const second = await runOpener(['open', stored.multi.cid, '--api', node.apiUrl, ...pw()], out);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['report (1).txt', 'report.txt']);
    assert.ok(readFileSync(join(out, 'report (1).txt')).equals(stored.multi.content));
  });

  void test('opens through a trustless gateway, and with the file key instead of the password', async () => {
    const out = freshDir();
    const viaGateway = await runOpener([stored.multi.cid, '--gateway', gateway.url, ...pw()], out);
    assert.equal(viaGateway.code, 0, viaGateway.stderr);
    assert.ok(gateway.served >= 4, 'the blocks came from the gateway');
    const keyFile = join(work, 'key');
    writeFileSync(keyFile, Buffer.from(stored.multi.fileKey!).toString('hex'));
    const viaKey = await runOpener([stored.multi.cid, '--api', node.apiUrl, '--file-key-file', keyFile], out);
    assert.equal(viaKey.code, 0, viaKey.stderr);
    for (const name of readdirSync(out)) assert.ok(readFileSync(join(out, name)).equals(stored.multi.content));
    writeFileSync(keyFile, Buffer.from(stored.hostile.fileKey!).toString('base64'));
    const wrongKey = await runOpener([stored.multi.cid, '--api', node.apiUrl, '--file-key-file', keyFile], out);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /file key does not open this file/);
  });

  void test('a hostile stored name is written as a plain visible name inside the output folder', async () => {
    const out = freshDir();
    const run = await runOpener([stored.hostile.cid, '--api', node.apiUrl, ...pw()], out);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(out), ['_.._.bashrctxt.exe']);
    assert.match(run.stdout, /stored name was "\.\.\/\.\.\/\.bashrc\\u\{202e\}txt\.exe"/);
    assert.ok(!/\u202E/.test(run.stdout + run.stderr), 'no direction override reaches the terminal');
  });

  void test('an empty file opens to an empty file', async () => {
    const out = freshDir();
    const run = await runOpener([stored.empty.cid, '--api', node.apiUrl, ...pw()], out);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(out, 'empty.txt')).length, 0);
  });

  void test('a wrong password is said plainly and leaves nothing behind', async () => {
    const out = freshDir();
    const run = await runOpener([stored.multi.cid, '--api', node.apiUrl, '--password-file', join(work, 'wrong')], out);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Wrong password for this file; nothing was written\./);
    assert.deepEqual(readdirSync(out), []);
  });

  void test('a block tampered on its way is refused, whichever block it is, and no partial file remains', async () => {
    for (const nth of [1, 2, 4]) {
      const out = freshDir();
      gateway.tamperNth(nth);
      const run = await runOpener([stored.multi.cid, '--gateway', gateway.url, ...pw()], out);
      assert.equal(run.code, 1, `tampered block ${nth}`);
      assert.match(run.stderr, /does not match its CID .*the altered data was refused/);
      assert.deepEqual(readdirSync(out), [], `tampered block ${nth}: nothing kept`);
    }
    gateway.tamperNth(undefined);
  });

  void test('a bad CID, an unknown CID, a foreign object and an unreachable node each get their own message', async () => {
    const out = freshDir();
    const bad = await runOpener(['bafy-not-a-cid', '--api', node.apiUrl, ...pw()], out);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /"bafy-not-a-cid" is not a valid CID\./);
    const foreign = await runOpener([stored.plain.cid, '--api', node.apiUrl, ...pw()], out);
    assert.match(foreign.stderr, /does not hold a file stored by IPFS Storage/);
    const unknown = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const missing = await runOpener([unknown, '--gateway', gateway.url, ...pw()], out);
    assert.match(missing.stderr, /cannot find this CID/);
    const closed = await runOpener([stored.multi.cid, '--api', 'http://127.0.0.1:9', ...pw()], out);
    assert.equal(closed.code, 1);
    assert.match(closed.stderr, /Cannot reach http:\/\/127\.0\.0\.1:9\/: .*ECONNREFUSED/);
    assert.deepEqual(readdirSync(out), []);
  });

  void test('without a terminal and without --password-file it asks for the file instead of hanging', async () => {
    const out = freshDir();
    const run = await runOpener([stored.multi.cid, '--api', node.apiUrl], out);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /not a terminal.*--password-file/);
  });
});
