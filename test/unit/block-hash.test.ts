import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { blockSha256, useBlockHasher } from '../../src/ipfs/blockHash';
import { leafBlock } from '../../src/ipfs/unixfs';
import { formatCid } from '../../src/ipfs/cid';

test('an installed native SHA-256 names every block exactly as the portable one does', () => {
  const blocks = [new Uint8Array(0), randomBytes(1), randomBytes(1 << 20), randomBytes(262_145)];
  const portable = blocks.map((bytes) => formatCid(leafBlock(bytes).block.cid));
  useBlockHasher((bytes) => createHash('sha256').update(bytes).digest());
  assert.deepEqual(
    blocks.map((bytes) => formatCid(leafBlock(bytes).block.cid)),
    portable,
  );
  assert.deepEqual([...blockSha256(blocks[2])], [...sha256(blocks[2])]);
});

test('a hasher that disagrees with SHA-256 is refused and the previous one stays', () => {
  const before = blockSha256(new Uint8Array([1, 2, 3]));
  assert.throws(() => useBlockHasher(() => new Uint8Array(32)), /disagrees/);
  assert.deepEqual(blockSha256(new Uint8Array([1, 2, 3])), before);
});
