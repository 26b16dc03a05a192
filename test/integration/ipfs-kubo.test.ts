import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import * as nodeTest from 'node:test';
import { describe, test } from 'node:test';

import { NodeHttpAccessor } from '../../dev/host/http/rocketChatHttp';
import { cidEquals, formatCid, parseCid } from '../../src/ipfs/cid';
import { ContentNotFoundError, ProviderUnreachableError } from '../../src/ipfs/errors';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { computeUnixfsCid } from '../../src/ipfs/unixfs';
import { startIpfsNode, type IpfsNode } from '../support/ipfsNode';

// @types/node 16 (pinned for rc-apps) does not declare the hooks Node 20 has.
const { before, after } = nodeTest as unknown as {
  before: (fn: () => Promise<void>) => void;
  after: (fn: () => Promise<void>) => void;
};

const KiB = 1024;
const MiB = 1024 * KiB;

let node: IpfsNode;
let client: KuboRpcClient;
const http = new NodeHttpAccessor();

/** A raw RPC call through the same accessor, for what the client does not offer (pin/ls, other chunkers). */
async function rpc(path: string, body?: Buffer, contentType?: string): Promise<{ status: number; text: string }> {
  const res = await http.post(`${node.apiUrl}/api/v0/${path}`, {
    ...(body ? { content: body as unknown as string, headers: { 'Content-Type': contentType ?? '' } } : {}),
    timeout: 30_000,
  });
  return { status: res.statusCode, text: res.content ?? '' };
}

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

void describe('KuboRpcClient against a real IPFS node, through NodeHttpAccessor', () => {
  before(async () => {
    node = await startIpfsNode();
    client = new KuboRpcClient(http, { apiUrl: node.apiUrl, auth: { kind: 'none' }, timeoutMs: 60_000 });
  });
  after(async () => {
    await node?.stop();
  });

  const sizes: Array<[string, number]> = [
    ['0 B', 0],
    ['1 B', 1],
    ['64 KiB - 1', 64 * KiB - 1],
    ['64 KiB', 64 * KiB],
    ['64 KiB + 1', 64 * KiB + 1],
    ['1 MiB', MiB],
    ['1 MiB + 1', MiB + 1],
    ['2 MiB', 2 * MiB],
    ['5 MiB + 3', 5 * MiB + 3],
    ['10 MB', 10_000_000],
    ['20 MiB', 20 * MiB],
  ];
  for (const [label, size] of sizes) {
    void test(`add → cat of ${label}: byte-identical, provider CID = local CID`, async (t) => {
      const content = randomBytes(size);
      const t0 = performance.now();
      const cid = await client.add(content);
      const t1 = performance.now();
      const back = await client.cat(cid);
      const t2 = performance.now();
      assert.ok(cidEquals(parseCid(cid), computeUnixfsCid(content)));
      assert.equal(cid, formatCid(computeUnixfsCid(content)));
      assert.equal(back.length, size);
      assert.ok(Buffer.from(back).equals(content), 'bytes differ');
      t.diagnostic(`${label}: add ${(t1 - t0).toFixed(0)} ms, cat ${(t2 - t1).toFixed(0)} ms`);
    });
  }

  void test('the empty file is the raw leaf of 0 bytes on the node too', async () => {
    assert.equal(await client.add(new Uint8Array(0)), 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku');
  });

  void test('multi-level balanced tree (> 174 chunks) matches the node, using 1 KiB chunks', async () => {
    for (const size of [174 * KiB, 174 * KiB + 1, 2 * 174 * KiB + 5]) {
      const content = randomBytes(size);
      const { encodeMultipart } = await import('../../src/ipfs/multipart');
      const form = encodeMultipart({
        name: 'file',
        filename: 'blob',
        contentType: 'application/octet-stream',
        content,
      });
      const res = await rpc(
        'add?cid-version=1&raw-leaves=true&chunker=size-1024&pin=false',
        form.body,
        form.contentType,
      );
      assert.equal(res.status, 200, res.text);
      const hash = (JSON.parse(res.text.trim().split('\n').pop() ?? '{}') as { Hash: string }).Hash;
      assert.ok(cidEquals(parseCid(hash), computeUnixfsCid(content, { chunkSize: KiB })), `size ${size}`);
    }
  });

  void test('cat with a range returns exactly that slice, also across chunk borders', async () => {
    const content = randomBytes(3 * MiB + 100);
    const cid = await client.add(content);
    const ranges = [
      { offset: 0, length: 1 },
      { offset: 10, length: 1000 },
      { offset: MiB - 5, length: 10 },
      { offset: 2 * MiB, length: MiB },
      { offset: 3 * MiB + 90, length: 50 }, // runs past the end: 10 bytes
    ];
    for (const range of ranges) {
      const got = await client.cat(cid, range);
      const want = content.subarray(range.offset, range.offset + range.length);
      assert.ok(Buffer.from(got).equals(want), JSON.stringify(range));
    }
  });

  void test('pinRm unpins: pin/ls no longer lists it; a second pinRm is fine', async () => {
    const cid = await client.add(randomBytes(1000));
    const listed = async (): Promise<boolean> => {
      const res = await rpc('pin/ls?type=recursive');
      assert.equal(res.status, 200, res.text);
      const keys = Object.keys((JSON.parse(res.text) as { Keys: Record<string, unknown> }).Keys);
      return keys.some((k) => cidEquals(parseCid(k), parseCid(cid)));
    };
    assert.equal(await listed(), true);
    await client.pinRm(cid);
    assert.equal(await listed(), false);
    const direct = await rpc(`pin/ls?arg=${cid}`);
    assert.equal(direct.status, 500);
    assert.match(direct.text, /not pinned/);
    await client.pinRm(cid);
  });

  void test('version', async () => {
    const { version } = await client.version();
    assert.match(version, /^\d+\.\d+\.\d+/);
  });

  void test('a never-added CID → ContentNotFoundError within the short timeout', async () => {
    const quick = new KuboRpcClient(http, { apiUrl: node.apiUrl, auth: { kind: 'none' }, timeoutMs: 1500 });
    const missing = formatCid(computeUnixfsCid(randomBytes(64)));
    const t0 = Date.now();
    await assert.rejects(quick.cat(missing), ContentNotFoundError);
    assert.ok(Date.now() - t0 < 8000, `took ${Date.now() - t0} ms`);
  });

  void test('a node that is down → ProviderUnreachableError', async () => {
    const down = new KuboRpcClient(http, {
      apiUrl: `http://127.0.0.1:${await freePort()}`,
      auth: { kind: 'none' },
      timeoutMs: 5000,
    });
    await assert.rejects(down.version(), ProviderUnreachableError);
    await assert.rejects(down.add(new Uint8Array([1, 2, 3])), ProviderUnreachableError);
  });
});
