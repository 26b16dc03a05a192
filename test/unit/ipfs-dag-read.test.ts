import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { sha256 } from '@noble/hashes/sha2.js';

import { CODEC_DAG_PB, CODEC_RAW, cidV1Sha256, formatCid, parseCid } from '../../src/ipfs/cid';
import { dagFileSize, readDag, type ReadDagOptions } from '../../src/ipfs/DagReader';
import { encodeFileNode, type FileLink } from '../../src/ipfs/dagpb';
import { CidMismatchError, InvalidDagError } from '../../src/ipfs/errors';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { leafBlock, unixfsBlocks, type UnixfsLayout } from '../../src/ipfs/unixfs';
import { MemoryKubo } from '../support/memoryKubo';

const MiB = 1048576;

/** A fake node holding the DAG of `content`, and a client over it. */
function stored(content: Uint8Array, layout?: UnixfsLayout): { kubo: MemoryKubo; client: KuboRpcClient; root: string } {
  const kubo = new MemoryKubo();
  let root = '';
  const gen = unixfsBlocks(content, layout);
  for (;;) {
    const step = gen.next();
    if (step.done) {
      root = formatCid(step.value);
      break;
    }
    kubo.blocks.set(formatCid(step.value.cid), Uint8Array.from(step.value.bytes));
  }
  const client = new KuboRpcClient(kubo, { apiUrl: 'http://ipfs.test:5001', auth: { kind: 'none' }, timeoutMs: 1000 });
  return { kubo, client, root };
}

async function readAll(
  client: KuboRpcClient,
  root: string,
  options?: ReadDagOptions,
  got: Uint8Array[] = [],
): Promise<Buffer> {
  for await (const piece of readDag(client, root, options)) got.push(piece);
  return Buffer.concat(got);
}

/** The reader's bounds for a tree of this layout (its leaves are the smallest it may use). */
function shapeOf(layout?: UnixfsLayout): ReadDagOptions {
  return { minLeafBytes: layout?.chunkSize, maxLinks: layout?.maxLinks };
}

/** Stores a hand-made file node over `links` and returns its link. */
function putNode(kubo: MemoryKubo, links: FileLink[], lieAboutSize = 0): FileLink {
  const bytes = encodeFileNode(
    links.map((l, i) => (i === 0 ? { ...l, contentSize: l.contentSize + lieAboutSize } : l)),
  );
  const cid = cidV1Sha256(CODEC_DAG_PB, sha256(bytes));
  kubo.blocks.set(formatCid(cid), bytes);
  return { cid, tsize: bytes.length, contentSize: links.reduce((s, l) => s + l.contentSize, 0) };
}

function putLeaf(kubo: MemoryKubo, bytes: Uint8Array): FileLink {
  const leaf = leafBlock(bytes);
  kubo.blocks.set(formatCid(leaf.block.cid), Uint8Array.from(bytes));
  return leaf.link;
}

void describe('readDag over the blocks the uploader stores', () => {
  const cases: Array<[number, UnixfsLayout | undefined]> = [
    [0, undefined],
    [1, undefined],
    [MiB - 1, undefined],
    [MiB, undefined],
    [MiB + 1, undefined],
    [3 * MiB + 7, undefined],
    [100 * 5 + 2, { chunkSize: 5, maxLinks: 3 }],
    [3000, { chunkSize: 7 }],
  ];
  for (const [size, layout] of cases) {
    void test(`${size} B${layout ? ` in chunks of ${layout.chunkSize}` : ''}: the original bytes, in order`, async () => {
      const content = randomBytes(size);
      const { kubo, client, root } = stored(content, layout);
      const progress: Array<[number, number]> = [];
      const back = await readAll(client, root, { ...shapeOf(layout), onProgress: (b, t) => progress.push([b, t]) });
      assert.ok(back.equals(content));
      assert.equal(await dagFileSize(client, root), size);
      if (size > 0) assert.deepEqual(progress[progress.length - 1], [size, size]);
      const gets = kubo.seen.filter((s) => s.command === 'block/get');
      assert.ok(gets.every((s) => s.responseBytes <= (layout?.chunkSize ?? MiB) + 8192));
    });
  }

  void test('a flipped byte in any block: CidMismatchError at that block, after the bytes before it', async () => {
    const layout = { chunkSize: 5, maxLinks: 3 };
    const content = randomBytes(13 * 5 + 2);
    const { kubo, client, root } = stored(content, layout);
    const leaves = [...unixfsBlocks(content, layout)].filter((b) => b.cid.codec === CODEC_RAW);
    for (const victim of kubo.blocks.keys()) {
      kubo.faults.corruptGet = (cid, bytes) => {
        if (cid === victim) bytes[bytes.length >> 1] ^= 0x01;
        return bytes;
      };
      const got: Uint8Array[] = [];
      await assert.rejects(readAll(client, root, shapeOf(layout), got), (err: unknown) => {
        assert.ok(err instanceof CidMismatchError, String(err));
        assert.equal(err.expected, victim);
        const leaf = leaves.findIndex((b) => formatCid(b.cid) === victim);
        if (victim === root) assert.match(err.message, /root block/);
        else if (leaf >= 0) {
          assert.match(err.message, new RegExp(`at block ${leaf} \\(bytes ${leaf * 5}–`));
          assert.ok(Buffer.concat(got).equals(content.subarray(0, leaf * 5)), 'everything before it was yielded');
        } else assert.match(err.message, /node at depth \d \(bytes \d+–\d+\)/);
        return true;
      });
    }
  });

  void test('a 1 MiB leaf corrupted in the middle of a 3 MiB file is caught at block 2', async () => {
    const content = randomBytes(3 * MiB + 7);
    const { kubo, client, root } = stored(content);
    const third = formatCid(leafBlock(content.subarray(2 * MiB, 3 * MiB)).block.cid);
    kubo.faults.corruptGet = (cid, bytes) => {
      if (cid === third) bytes[12345] ^= 0x80;
      return bytes;
    };
    const got: Uint8Array[] = [];
    await assert.rejects(readAll(client, root, {}, got), /at block 2 \(bytes 2097152–3145727\)/);
    assert.equal(Buffer.concat(got).length, 2 * MiB);
  });
});

void describe('readDag refuses what is not a file DAG', () => {
  const client = (kubo: MemoryKubo) =>
    new KuboRpcClient(kubo, { apiUrl: 'http://ipfs.test:5001', auth: { kind: 'none' }, timeoutMs: 1000 });

  void test('an unknown codec (dag-cbor)', async () => {
    const kubo = new MemoryKubo();
    const bytes = Uint8Array.from([0xa0]);
    const cid = { ...cidV1Sha256(0x71, sha256(bytes)) };
    kubo.blocks.set(formatCid(cid), bytes);
    await assert.rejects(readAll(client(kubo), formatCid(cid)), InvalidDagError);
    await assert.rejects(dagFileSize(client(kubo), formatCid(cid)), InvalidDagError);
  });

  void test('blocksizes that do not match the children', async () => {
    const kubo = new MemoryKubo();
    const a = putLeaf(kubo, randomBytes(10));
    const b = putLeaf(kubo, randomBytes(10));
    const root = putNode(kubo, [a, b], 3);
    await assert.rejects(readAll(client(kubo), formatCid(root.cid), { minLeafBytes: 10 }), (err: unknown) => {
      assert.ok(err instanceof InvalidDagError);
      assert.match(err.message, /holds 10 bytes where its parent says 13/);
      return true;
    });
  });

  void test('a chain deeper than the file size needs', async () => {
    const kubo = new MemoryKubo();
    let link = putLeaf(kubo, randomBytes(10));
    for (let i = 0; i < 3; i++) link = putNode(kubo, [link]);
    const root = formatCid(link.cid);
    await assert.rejects(readAll(client(kubo), root), /deeper than a file of 10 bytes needs/);
    assert.equal((await readAll(client(kubo), root, { maxDepth: 3 })).length, 10);
  });

  void test('a dag-pb block that does not decode, and a missing hash function', async () => {
    const kubo = new MemoryKubo();
    const junk = Uint8Array.from([0xff, 0xff, 0xff]);
    const cid = cidV1Sha256(CODEC_DAG_PB, sha256(junk));
    kubo.blocks.set(formatCid(cid), junk);
    await assert.rejects(readAll(client(kubo), formatCid(cid)), InvalidDagError);
    const identity = { ...parseCid(formatCid(cid)), hashCode: 0x13 };
    await assert.rejects(client(kubo).blockGet(identity), CidMismatchError);
  });
});

void describe('readDag bounds the requests a crafted DAG can cause', () => {
  const client = (kubo: MemoryKubo) =>
    new KuboRpcClient(kubo, { apiUrl: 'http://ipfs.test:5001', auth: { kind: 'none' }, timeoutMs: 1000 });
  const gets = (kubo: MemoryKubo) => kubo.seen.filter((s) => s.command === 'block/get').length;

  void test('a node with 20 000 links to one tiny leaf is refused after fetching it alone', async () => {
    const kubo = new MemoryKubo();
    const leaf = putLeaf(kubo, randomBytes(1));
    const root = putNode(
      kubo,
      Array.from({ length: 20_000 }, () => leaf),
    );
    await assert.rejects(readAll(client(kubo), formatCid(root.cid)), (err: unknown) => {
      assert.ok(err instanceof InvalidDagError);
      assert.match(err.message, /the root block .* has 20000 links where 20000 bytes need at most 1/);
      return true;
    });
    assert.equal(gets(kubo), 1);
    // even where the reader allows 1-byte leaves, no node has more than 174 children
    await assert.rejects(readAll(client(kubo), formatCid(root.cid), { minLeafBytes: 1 }), /need at most 174/);
  });

  void test('an empty child is refused before it is fetched', async () => {
    const kubo = new MemoryKubo();
    const root = putNode(kubo, [putLeaf(kubo, randomBytes(10)), putLeaf(kubo, new Uint8Array(0))]);
    await assert.rejects(readAll(client(kubo), formatCid(root.cid), { minLeafBytes: 1 }), /links to an empty child/);
    assert.equal(gets(kubo), 1);
  });

  void test('nodes that each look plausible but together need more blocks than the size allows', async () => {
    // a chain peeling one byte off per level: 21 blocks for 20 bytes, where 3 (plus one per extra level) do
    const kubo = new MemoryKubo();
    const oneByte = putLeaf(kubo, randomBytes(1));
    let link = putLeaf(kubo, randomBytes(10));
    for (let size = 11; size <= 20; size++) link = putNode(kubo, [link, oneByte]);
    const options = { minLeafBytes: 10, maxDepth: 10 };
    await assert.rejects(readAll(client(kubo), formatCid(link.cid), options), (err: unknown) => {
      assert.ok(err instanceof InvalidDagError);
      assert.match(err.message, /one block more than the 12 a file of 20 bytes needs/);
      return true;
    });
    assert.equal(gets(kubo), 12);
  });

  void test('a real 3 MiB upload is read with exactly one request per block', async () => {
    const content = randomBytes(3 * MiB + 7);
    const { kubo, client: reader, root } = stored(content);
    assert.ok((await readAll(reader, root)).equals(content));
    assert.equal(gets(kubo), kubo.blocks.size);
  });
});
