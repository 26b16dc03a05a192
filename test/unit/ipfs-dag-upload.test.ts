import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { formatCid } from '../../src/ipfs/cid';
import { DagUploader, type DagUploaderOptions } from '../../src/ipfs/DagUploader';
import { CidMismatchError, ProviderRejectedError } from '../../src/ipfs/errors';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { UnixfsTreeBuilder, computeUnixfsCid, leafBlock, unixfsBlocks, type UnixfsLayout } from '../../src/ipfs/unixfs';
import { MemoryKubo, type MemoryKuboFaults } from '../support/memoryKubo';

const MiB = 1048576;

function setup(faults: MemoryKuboFaults = {}): { kubo: MemoryKubo; client: KuboRpcClient } {
  const kubo = new MemoryKubo(faults);
  const client = new KuboRpcClient(kubo, { apiUrl: 'http://ipfs.test:5001', auth: { kind: 'none' }, timeoutMs: 1000 });
  return { kubo, client };
}

/** Every block of `unixfsBlocks`, as CID → bytes. */
function expectedBlocks(content: Uint8Array, layout?: UnixfsLayout): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const b of unixfsBlocks(content, layout)) out.set(formatCid(b.cid), Buffer.from(b.bytes));
  return out;
}

/** Writes `content` in pieces of the given sizes (cycled), then finishes. */
async function upload(up: DagUploader, content: Uint8Array, pieces: number[] = [content.length || 1]): Promise<string> {
  let offset = 0;
  for (let i = 0; offset < content.length; i++) {
    const n = pieces[i % pieces.length];
    await up.write(content.subarray(offset, offset + n));
    offset += n;
  }
  return up.finish();
}

function assertSameDag(kubo: MemoryKubo, content: Uint8Array, root: string, layout?: UnixfsLayout): void {
  assert.equal(root, formatCid(computeUnixfsCid(content, layout)));
  const expected = expectedBlocks(content, layout);
  assert.deepEqual([...kubo.blocks.keys()].sort(), [...expected.keys()].sort());
  for (const [cid, bytes] of expected) assert.ok(bytes.equals(kubo.blocks.get(cid) ?? Buffer.alloc(0)), cid);
  assert.deepEqual([...kubo.pins], [root]);
  assert.equal(kubo.seen[kubo.seen.length - 1].command, 'pin/add', 'the pin comes last');
}

void describe('DagUploader builds the tree `add` builds', () => {
  const sizes: Array<[string, number]> = [
    ['0 B', 0],
    ['1 B', 1],
    ['1 MiB - 1', MiB - 1],
    ['1 MiB', MiB],
    ['1 MiB + 1', MiB + 1],
    ['3 MiB + 7', 3 * MiB + 7],
  ];
  for (const [label, size] of sizes) {
    void test(`${label}: same blocks and root as unixfsBlocks, only the root pinned, one block per request`, async () => {
      const { kubo, client } = setup();
      const content = randomBytes(size);
      const progress: number[] = [];
      const up = new DagUploader(client, { onProgress: (n) => progress.push(n) });
      const root = await upload(up, content, [100_000, 700_001, 3]);
      assertSameDag(kubo, content, root);
      assert.equal(up.bytesWritten, size);
      assert.equal(up.bytesSent, size);
      assert.equal(progress[progress.length - 1], size);
      const puts = kubo.seen.filter((s) => s.command === 'block/put');
      assert.ok(puts.every((s) => s.requestBytes <= MiB + 1024));
    });
  }

  const layouts: Array<[number, UnixfsLayout]> = [
    [9 * 5, { chunkSize: 5, maxLinks: 3 }],
    [9 * 5 + 1, { chunkSize: 5, maxLinks: 3 }],
    [27 * 5, { chunkSize: 5, maxLinks: 3 }],
    [100 * 5 + 2, { chunkSize: 5, maxLinks: 3 }],
    [3000, { chunkSize: 7 }],
    [175, { chunkSize: 1 }],
  ];
  for (const [size, layout] of layouts) {
    void test(`multi-level tree: ${size} B in chunks of ${layout.chunkSize}, ${layout.maxLinks ?? 174} links`, async () => {
      const { kubo, client } = setup();
      const content = randomBytes(size);
      const root = await upload(new DagUploader(client, layout), content, [1, 2, 13, 4]);
      assertSameDag(kubo, content, root, layout);
    });
  }

  void test('pieces of random sizes (empty ones too) give the same CID', async () => {
    const content = randomBytes(2 * MiB + 12345);
    const expected = formatCid(computeUnixfsCid(content));
    for (let round = 0; round < 3; round++) {
      const { client } = setup();
      const up = new DagUploader(client);
      let offset = 0;
      while (offset < content.length) {
        const n = Math.floor(Math.random() * 400_000);
        await up.write(content.subarray(offset, offset + n));
        offset += n;
      }
      assert.equal(await up.finish(), expected);
    }
  });

  void test('the incremental builder equals unixfsBlocks on a three-level tree (174² + 1 leaves)', () => {
    const content = randomBytes(174 * 174 + 1);
    const builder = new UnixfsTreeBuilder({ chunkSize: 1 });
    const seen = new Map<string, Buffer>();
    for (let i = 0; i < content.length; i++) {
      const leaf = leafBlock(content.subarray(i, i + 1));
      seen.set(formatCid(leaf.block.cid), Buffer.from(leaf.block.bytes));
      for (const b of builder.addLeaf(leaf.link)) seen.set(formatCid(b.cid), Buffer.from(b.bytes));
    }
    const { blocks, root } = builder.finish();
    for (const b of blocks) seen.set(formatCid(b.cid), Buffer.from(b.bytes));
    assert.equal(formatCid(root.cid), formatCid(computeUnixfsCid(content, { chunkSize: 1 })));
    assert.deepEqual(seen, expectedBlocks(content, { chunkSize: 1 }));
  });
});

void describe('DagUploader transports and failures', () => {
  void test('auto: a provider that refuses 1 MiB block/put bodies (413) gets dag/import CARs instead', async () => {
    const { kubo, client } = setup({ maxPutBody: MiB });
    const content = randomBytes(3 * MiB + 7);
    const root = await upload(new DagUploader(client), content, [MiB / 2]);
    assertSameDag(kubo, content, root);
    const commands = kubo.seen.map((s) => s.command);
    assert.deepEqual(commands.slice(0, 2), ['block/put', 'dag/import']);
    assert.ok(!commands.slice(2).includes('block/put'), 'stays on dag/import once switched');
    assert.ok(kubo.seen.every((s) => s.requestBytes <= MiB + 1024));
  });

  for (const transport of ['block/put', 'dag/import'] as const) {
    void test(`transport ${transport} only`, async () => {
      const { kubo, client } = setup();
      const content = randomBytes(500);
      const options: DagUploaderOptions = { transport, chunkSize: 10, maxLinks: 4 };
      const root = await upload(new DagUploader(client, options), content, [33]);
      assertSameDag(kubo, content, root, options);
      const stores = new Set(kubo.seen.map((s) => s.command).filter((c) => c !== 'pin/add'));
      assert.deepEqual([...stores], [transport]);
    });
  }

  void test('block/put only: a 413 is not retried another way', async () => {
    const { client } = setup({ maxPutBody: MiB });
    const up = new DagUploader(client, { transport: 'block/put' });
    await assert.rejects(up.write(randomBytes(MiB)), ProviderRejectedError);
  });

  void test('a provider that stops storing: typed error, the same error again, nothing pinned', async () => {
    const { kubo, client } = setup({ refuseStoresAfter: 3 });
    const up = new DagUploader(client, { chunkSize: 10 });
    await assert.rejects(up.write(randomBytes(100)), (err: unknown) => {
      assert.ok(err instanceof ProviderRejectedError);
      assert.match(err.message, /refused by the test/);
      return true;
    });
    assert.equal(up.bytesSent, 30);
    await assert.rejects(up.finish(), ProviderRejectedError);
    assert.equal(kubo.pins.size, 0);
    assert.ok(!kubo.seen.some((s) => s.command === 'pin/add'));
  });

  void test('a provider that reports another CID for a block: CidMismatchError', async () => {
    const other = formatCid(computeUnixfsCid(new Uint8Array([1])));
    const { kubo, client } = setup({ lieOnPut: () => other });
    await assert.rejects(new DagUploader(client).finish(), CidMismatchError);
    assert.equal(kubo.pins.size, 0);
  });

  void test('overlapping calls and calls after finish are refused', async () => {
    const { client } = setup();
    const up = new DagUploader(client, { chunkSize: 4 });
    const first = up.write(randomBytes(10));
    await assert.rejects(up.write(randomBytes(1)), /still running/);
    await first;
    await up.finish();
    await assert.rejects(up.write(randomBytes(1)), /already finished/);
  });
});
