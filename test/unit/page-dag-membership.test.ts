import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { cidV1Sha256, CODEC_DAG_PB, CODEC_RAW, formatCid, parseCid, type Cid } from '../../src/ipfs/cid';
import { encodeFileNode } from '../../src/ipfs/dagpb';
import { DagMembership, MAX_PATH_NODES } from '../../src/page/dagMembership';

/** Blocks by canonical CID, counting fetches, failing on demand: the provider as the check sees it. */
class Blocks {
  readonly store = new Map<string, Uint8Array>();
  fetched: string[] = [];
  down = false;

  put(codec: number, bytes: Uint8Array): string {
    const cid = formatCid(cidV1Sha256(codec, sha256(bytes)));
    this.store.set(cid, bytes);
    return cid;
  }

  leaf(text: string): string {
    return this.put(CODEC_RAW, new TextEncoder().encode(text));
  }

  node(children: string[]): string {
    const links = children.map((c) => ({ cid: parseCid(c), tsize: 1, contentSize: 1 }));
    return this.put(CODEC_DAG_PB, encodeFileNode(links));
  }

  blockGet(cid: Cid | string): Promise<Uint8Array> {
    const text = typeof cid === 'string' ? cid : formatCid(cid);
    if (this.down) return Promise.reject(new Error('provider down'));
    this.fetched.push(text);
    const bytes = this.store.get(text);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error('not found'));
  }
}

/** File A: root → [middle → [a1, a2], a3]; file B: root → [b1]. */
function twoFiles() {
  const blocks = new Blocks();
  const [a1, a2, a3, b1] = ['a1', 'a2', 'a3', 'b1'].map((t) => blocks.leaf(t));
  const middle = blocks.node([a1, a2]);
  const rootA = blocks.node([middle, a3]);
  const rootB = blocks.node([b1]);
  return { blocks, a1, a2, a3, b1, middle, rootA, rootB };
}

test("a block is served only along a walk of the link's own DAG", async () => {
  const { blocks, a1, a3, b1, middle, rootA, rootB } = twoFiles();
  const dag = new DagMembership(blocks, new Map());
  assert.equal(await dag.contains(rootA, [], rootA), true, 'the root itself');
  assert.equal(await dag.contains(rootA, [], a3), true, 'a child of the root');
  assert.equal(await dag.contains(rootA, [middle], a1), true, 'a grandchild along its path');
  assert.equal(await dag.contains(rootA, [], a1), false, 'a grandchild named as a child');
  assert.equal(await dag.contains(rootA, [], b1), false, "another file's leaf");
  assert.equal(await dag.contains(rootA, [], rootB), false, "another file's root");
  assert.equal(await dag.contains(rootA, [rootB], b1), false, 'a path through a node the root does not link');
  assert.equal(await dag.contains(rootA, [a3], a1), false, 'a path through a raw leaf');
  assert.equal(await dag.contains(rootA, [middle], middle), false, 'a node is not its own child');
});

test('each interior node is fetched once per process, leaves never; a crafted long path costs nothing', async () => {
  const { blocks, a1, a2, a3, middle, rootA } = twoFiles();
  const dag = new DagMembership(blocks, new Map());
  for (const [path, cid] of [
    [[], rootA],
    [[], middle],
    [[middle], a1],
    [[middle], a2],
    [[], a3],
  ] as const) {
    assert.equal(await dag.contains(rootA, path, cid), true);
  }
  assert.deepEqual(blocks.fetched.sort(), [middle, rootA].sort());
  blocks.fetched = [];
  const long = Array.from({ length: MAX_PATH_NODES + 1 }, () => middle);
  assert.equal(await dag.contains(rootA, long, a1), false);
  assert.deepEqual(blocks.fetched, []);
});

test("a provider that cannot deliver a node is the provider's error, not a refusal", async () => {
  const { blocks, a3, rootA } = twoFiles();
  blocks.down = true;
  await assert.rejects(new DagMembership(blocks, new Map()).contains(rootA, [], a3), /provider down/);
});
