import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as nodeTest from 'node:test';
import { describe, test } from 'node:test';

import type { IHttp, IHttpRequest, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';

import { NodeHttpAccessor } from '../../dev/host/http/rocketChatHttp';
import { cidEquals, formatCid, parseCid } from '../../src/ipfs/cid';
import { dagFileSize, readDag } from '../../src/ipfs/DagReader';
import { DagUploader } from '../../src/ipfs/DagUploader';
import { CidMismatchError, ProviderRejectedError, ProviderUnreachableError } from '../../src/ipfs/errors';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { computeUnixfsCid, leafBlock } from '../../src/ipfs/unixfs';
import { startFaultyProxy, type FaultyProxy } from '../support/faultyProxy';
import { startIpfsNode, type IpfsNode } from '../support/ipfsNode';

// @types/node 16 (pinned for rc-apps) does not declare the hooks Node 20 has.
const { before, after } = nodeTest as unknown as {
  before: (fn: () => Promise<void>) => void;
  after: (fn: () => Promise<void>) => void;
};

const MiB = 1048576;
/** Multipart and CAR framing on top of one 1 MiB leaf. */
const OVERHEAD = 1024;

/** The engine's IHttp with the largest request and response body per RPC command recorded. */
class MeasuringHttp implements IHttp {
  largest = new Map<string, { request: number; response: number }>();
  private readonly inner = new NodeHttpAccessor();

  async post(url: string, request: IHttpRequest = {}): Promise<IHttpResponse> {
    const command = new URL(url).pathname.replace(/^\/api\/v0\//, '');
    const response = await this.inner.post(url, request);
    const body = request.content as unknown;
    const content = response.content as unknown;
    const size = (x: unknown) => (Buffer.isBuffer(x) ? x.length : typeof x === 'string' ? Buffer.byteLength(x) : 0);
    const seen = this.largest.get(command) ?? { request: 0, response: 0 };
    this.largest.set(command, {
      request: Math.max(seen.request, size(body)),
      response: Math.max(seen.response, size(content)),
    });
    return response;
  }
  get(url: string, r?: IHttpRequest) {
    return this.inner.get(url, r);
  }
  put(url: string, r?: IHttpRequest) {
    return this.inner.put(url, r);
  }
  del(url: string, r?: IHttpRequest) {
    return this.inner.del(url, r);
  }
  patch(url: string, r?: IHttpRequest) {
    return this.inner.patch(url, r);
  }
}

let node: IpfsNode;
const http = new MeasuringHttp();
let client: KuboRpcClient;

function clientAt(apiUrl: string): KuboRpcClient {
  return new KuboRpcClient(http, { apiUrl, auth: { kind: 'none' }, timeoutMs: 60_000 });
}

async function uploadAll(up: DagUploader, content: Uint8Array, piece = 256 * 1024 + 3): Promise<string> {
  for (let o = 0; o < content.length; o += piece) await up.write(content.subarray(o, o + piece));
  return up.finish();
}

async function readAll(c: KuboRpcClient, root: string, got: Uint8Array[] = []): Promise<Buffer> {
  for await (const p of readDag(c, root)) got.push(p);
  return Buffer.concat(got);
}

/** Whether the node lists `cid` as pinned (pin/ls answers an error for a CID that is not). */
async function isPinned(cid: string): Promise<boolean> {
  const res = await new NodeHttpAccessor().post(`${node.apiUrl}/api/v0/pin/ls?arg=${cid}&type=recursive`, {});
  if (res.statusCode === 200) return true;
  assert.match(String(res.content), /not pinned/);
  return false;
}

void describe('DagUploader and readDag against a real IPFS node', () => {
  before(async () => {
    node = await startIpfsNode();
    client = clientAt(node.apiUrl);
  });
  after(async () => {
    await node?.stop();
  });

  const sizes: Array<[string, number]> = [
    ['0 B', 0],
    ['1 MiB - 1', MiB - 1],
    ['1 MiB + 1', MiB + 1],
    ['3 MiB + 7', 3 * MiB + 7],
    ['12 MiB + 12345', 12 * MiB + 12345],
  ];
  for (const [label, size] of sizes) {
    void test(`${label}: root = add's CID, cat and readDag give the bytes, every message ≤ 1 MiB + framing`, async (t) => {
      const content = randomBytes(size);
      http.largest.clear();
      const t0 = performance.now();
      const root = await uploadAll(new DagUploader(client), content);
      const t1 = performance.now();
      const back = await readAll(client, root);
      const t2 = performance.now();
      const dagTraffic = new Map(http.largest);

      assert.ok(cidEquals(parseCid(root), parseCid(await client.add(content))), 'same CID as add');
      assert.equal(root, formatCid(computeUnixfsCid(content)));
      assert.ok(back.equals(content), 'readDag bytes differ');
      assert.ok(Buffer.from(await client.cat(root)).equals(content), 'cat bytes differ');
      assert.equal(await dagFileSize(client, root), size);
      assert.ok(await isPinned(root));

      const maxRequest = Math.max(...[...dagTraffic.values()].map((v) => v.request));
      const maxResponse = Math.max(...[...dagTraffic.values()].map((v) => v.response));
      assert.ok(maxRequest <= MiB + OVERHEAD, `largest request ${maxRequest}`);
      assert.ok(maxResponse <= MiB + OVERHEAD, `largest response ${maxResponse}`);
      const calls = [...dagTraffic.entries()].map(([c, v]) => `${c} ≤${v.request}/${v.response}`).join(', ');
      t.diagnostic(
        `${label}: upload ${(t1 - t0).toFixed(0)} ms, read ${(t2 - t1).toFixed(0)} ms; ` +
          `largest request ${maxRequest} B, response ${maxResponse} B (${calls})`,
      );
    });
  }

  void describe('through a fault-injecting proxy', () => {
    let proxy: FaultyProxy;
    before(async () => {
      proxy = await startFaultyProxy(node.apiUrl);
    });
    after(async () => {
      await proxy?.close();
    });

    void test('a corrupted leaf is caught at that block, after the blocks before it', async () => {
      const content = randomBytes(3 * MiB + 7);
      const root = await uploadAll(new DagUploader(client), content);
      const third = formatCid(leafBlock(content.subarray(2 * MiB, 3 * MiB)).block.cid);
      proxy.setFaults({ corruptBlockGet: { cid: third } });
      const got: Uint8Array[] = [];
      await assert.rejects(readAll(clientAt(proxy.url), root, got), (err: unknown) => {
        assert.ok(err instanceof CidMismatchError, String(err));
        assert.equal(err.expected, third);
        assert.match(err.message, /at block 2 \(bytes 2097152–3145727\)/);
        return true;
      });
      assert.equal(Buffer.concat(got).length, 2 * MiB, 'the first two leaves arrived');
      assert.equal(proxy.seen.filter((s) => s.fault === 'corrupted').length, 1);
    });

    void test('a corrupted root block is caught before anything is yielded', async () => {
      const content = randomBytes(MiB + 1);
      const root = await uploadAll(new DagUploader(client), content);
      proxy.setFaults({ corruptBlockGet: { nth: 1 } });
      await assert.rejects(dagFileSize(clientAt(proxy.url), root), /CID mismatch at the root block/);
    });

    void test('an upload whose connection drops halfway: typed error, the root is not pinned', async () => {
      const content = randomBytes(5 * MiB + 3);
      const root = formatCid(computeUnixfsCid(content));
      proxy.setFaults({ dropUpload: 3 });
      const up = new DagUploader(clientAt(proxy.url));
      await assert.rejects(uploadAll(up, content), (err: unknown) => {
        assert.ok(err instanceof ProviderUnreachableError, String(err));
        return true;
      });
      assert.ok(up.bytesSent < content.length);
      assert.equal(proxy.seen.filter((s) => s.fault === 'dropped').length, 1);
      assert.ok(!proxy.seen.some((s) => s.command === 'pin/add'));
      assert.equal(await isPinned(root), false);
    });

    void test('a provider that refuses blocks after a few: the provider error, the root is not pinned', async () => {
      const content = randomBytes(4 * MiB);
      const root = formatCid(computeUnixfsCid(content));
      proxy.setFaults({ refuseUploadsAfter: 2 });
      await assert.rejects(uploadAll(new DagUploader(clientAt(proxy.url)), content), (err: unknown) => {
        assert.ok(err instanceof ProviderRejectedError);
        assert.match(err.message, /storage refused by the fault proxy/);
        return true;
      });
      assert.equal(await isPinned(root), false);
    });
  });
});
