import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { sha256 } from '@noble/hashes/sha2.js';

import { CODEC_DAG_PB, CODEC_RAW, cidEquals, formatCid, parseCid, type Cid } from '../../src/ipfs/cid';
import { computeUnixfsCid, unixfsBlocks, type UnixfsBlock, type UnixfsLayout } from '../../src/ipfs/unixfs';
import { readVarint } from '../../src/ipfs/varint';

function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
}

function drain(content: Uint8Array, layout?: UnixfsLayout): { blocks: UnixfsBlock[]; root: Cid } {
  const blocks: UnixfsBlock[] = [];
  const gen = unixfsBlocks(content, layout);
  for (;;) {
    const step = gen.next();
    if (step.done) return { blocks, root: step.value };
    blocks.push(step.value);
  }
}

/** Counts PBNode.Links (field 2) of a dag-pb block and returns the link CIDs' codecs. */
function linkCodecs(block: Uint8Array): number[] {
  const codecs: number[] = [];
  let i = 0;
  while (i < block.length) {
    const key = readVarint(block, i);
    const len = readVarint(block, key.next);
    if (key.value === 0x12) {
      // PBLink: field 1 (0x0a) is the CID bytes: version, codec, ...
      const link = block.subarray(len.next, len.next + len.value);
      const hashLen = readVarint(link, 1);
      const cidVersion = readVarint(link, hashLen.next);
      codecs.push(readVarint(link, cidVersion.next).value);
    }
    i = len.next + len.value;
  }
  return codecs;
}

void describe('computeUnixfsCid', () => {
  // Cross-checked with ipfs-unixfs-importer 12.0.1 ({cidVersion: 1, rawLeaves: true, fixed chunks of
  // chunkSize, balanced, maxChildrenPerNode: 174}) on pattern(n).
  const vectors: Array<[number, number, string]> = [
    [1, 1, 'bafkreigkgwdvr5wspzwpiutssn4xpj2i7wedshnwphhnu7ohx4pqaxxipe'],
    [1, 2, 'bafybeids4azrk6w3ohpawurnjto6vzevhpy3rhpdhg5qy43bl7mmtio47e'],
    [1, 174, 'bafybeid3a2fgh4g4ru5ctpqqat2vopvzuv7h4ddkr67eniwmcsce2fkjle'],
    [1, 175, 'bafybeibb5cp6ytp5ax73obxw4tj2pzjvubb4t4tr4ztpl2gkoy7glvdlhq'],
    [1, 174 * 174, 'bafybeihoc5bichq33jxxucz23xiqeir57kpyzqyypy5eu4zkejuurhbbfu'],
    [1, 174 * 174 + 1, 'bafybeiazozzqzegpzwg5zoguqoayc3i5sptsdqnokwrc3p6be7bo7e65ou'],
    [1, 174 * 175 + 3, 'bafybeihytnlsffbsln4rdopk665gzwjxyl4q5tzo4fayrhvxkhefj57zrm'],
    [3, 1000, 'bafybeibw3xnvbrtomaag3or7nqwbn6gk25oa6idktybnap4zd6d2bcawxa'],
    [1024, 0, 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'],
    [7, 7 * 174 + 5, 'bafybeif7opv3u4jghqqyefyefsnemfjry5fapdogib74tr5hfd57mzsj2y'],
  ];
  for (const [chunkSize, n, expected] of vectors) {
    void test(`${n} bytes in chunks of ${chunkSize} → ${expected.slice(0, 16)}…`, () => {
      assert.equal(formatCid(computeUnixfsCid(pattern(n), { chunkSize })), expected);
    });
  }

  void test('well-known single-leaf CIDs at the default 1 MiB chunk size', () => {
    // The empty file is a raw leaf of 0 bytes (the real node answers the same).
    assert.equal(
      formatCid(computeUnixfsCid(new Uint8Array(0))),
      'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
    );
    assert.equal(
      formatCid(computeUnixfsCid(new TextEncoder().encode('hello world'))),
      'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e',
    );
    const oneMiB = computeUnixfsCid(new Uint8Array(1048576));
    assert.equal(oneMiB.codec, CODEC_RAW);
    assert.equal(computeUnixfsCid(new Uint8Array(1048577)).codec, CODEC_DAG_PB);
  });
});

void describe('unixfsBlocks tree shape (balanced, 174 links)', () => {
  void test('every block hashes to its CID and the last one is the root', () => {
    const { blocks, root } = drain(pattern(3000), { chunkSize: 7 });
    for (const b of blocks) assert.deepEqual(b.cid.digest, sha256(b.bytes));
    assert.ok(cidEquals(blocks[blocks.length - 1].cid, root));
  });

  void test('174 chunks: one root with 174 raw links', () => {
    const { blocks } = drain(pattern(174), { chunkSize: 1 });
    assert.equal(blocks.length, 175);
    assert.deepEqual(linkCodecs(blocks[174].bytes), new Array<number>(174).fill(CODEC_RAW));
  });

  void test('175 chunks: a root over a full node of 174 and a node holding the last chunk', () => {
    const { blocks } = drain(pattern(175), { chunkSize: 1 });
    assert.equal(blocks.length, 175 + 2 + 1);
    assert.equal(linkCodecs(blocks[175].bytes).length, 174);
    assert.deepEqual(linkCodecs(blocks[176].bytes), [CODEC_RAW]);
    assert.deepEqual(linkCodecs(blocks[177].bytes), [CODEC_DAG_PB, CODEC_DAG_PB]);
  });

  void test('174² + 1 chunks: three levels of parents', () => {
    const { blocks } = drain(pattern(174 * 174 + 1), { chunkSize: 1 });
    const parents = blocks.slice(174 * 174 + 1);
    // 175 level-1 nodes, 2 level-2 nodes, 1 root.
    assert.equal(parents.length, 175 + 2 + 1);
    assert.equal(linkCodecs(parents[parents.length - 1].bytes).length, 2);
    assert.equal(linkCodecs(parents[parents.length - 2].bytes).length, 1);
    assert.equal(linkCodecs(parents[parents.length - 3].bytes).length, 174);
  });

  void test('leaves are views of the input, in order', () => {
    const content = pattern(10);
    const { blocks } = drain(content, { chunkSize: 4 });
    assert.deepEqual(
      blocks.slice(0, 3).map((b) => b.bytes.length),
      [4, 4, 2],
    );
    assert.equal(blocks[0].bytes.buffer, content.buffer);
  });

  void test('bad layouts are refused', () => {
    assert.throws(() => computeUnixfsCid(pattern(3), { chunkSize: 0 }), RangeError);
    assert.throws(() => computeUnixfsCid(pattern(3), { maxLinks: 1 }), RangeError);
  });

  void test('parses back to itself', () => {
    const cid = computeUnixfsCid(pattern(5000), { chunkSize: 100 });
    assert.ok(cidEquals(parseCid(formatCid(cid)), cid));
  });
});
