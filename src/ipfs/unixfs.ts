import { sha256 } from '@noble/hashes/sha2.js';

import { CODEC_DAG_PB, CODEC_RAW, cidV1Sha256, type Cid } from './cid';
import { encodeFileNode, type FileLink } from './dagpb';

/**
 * UnixFS file DAGs exactly as Kubo's `add?cid-version=1&raw-leaves=true&chunker=size-1048576` builds them
 * (= ipfs-unixfs-importer with rawLeaves, 1 MiB fixed chunks, balanced layout, 174 links per node).
 */

/** Kubo's `size-1048576` chunker. */
export const CHUNK_SIZE = 1048576;
/** Kubo's and the importer's default maximum children of a balanced-layout node. */
export const MAX_LINKS = 174;

/** One block of the DAG: what a blockstore would store under `cid`. */
export interface UnixfsBlock {
  cid: Cid;
  bytes: Uint8Array;
}

/** Layout knobs, for tests of the tree shape on small inputs. Defaults match what the client sends. */
export interface UnixfsLayout {
  chunkSize?: number;
  maxLinks?: number;
}

/**
 * Yields every block of the file's DAG, leaves first (in file order), then each level of parents; returns
 * the root CID. Leaves are views into `content` (no copy) and nothing is kept once yielded apart from one
 * small link record per node of the level being built, so draining it costs ~1 chunk of extra memory.
 * A file of at most one chunk (including the empty file) is a single raw leaf.
 * @throws RangeError if a layout value is not a positive integer (or `maxLinks` < 2).
 */
export function* unixfsBlocks(content: Uint8Array, layout: UnixfsLayout = {}): Generator<UnixfsBlock, Cid, void> {
  const chunkSize = layout.chunkSize ?? CHUNK_SIZE;
  const maxLinks = layout.maxLinks ?? MAX_LINKS;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError('chunkSize must be >= 1');
  if (!Number.isSafeInteger(maxLinks) || maxLinks < 2) throw new RangeError('maxLinks must be >= 2');

  let level: FileLink[] = [];
  let offset = 0;
  do {
    const leaf = content.subarray(offset, offset + chunkSize);
    const cid = cidV1Sha256(CODEC_RAW, sha256(leaf));
    yield { cid, bytes: leaf };
    level.push({ cid, tsize: leaf.length, contentSize: leaf.length });
    offset += chunkSize;
  } while (offset < content.length);

  if (level.length === 1) return level[0].cid;

  // Balanced layout: group each level into parents of at most maxLinks children until one root remains.
  // A lone trailing child still gets its own parent; only a one-chunk file is its leaf.
  do {
    const parents: FileLink[] = [];
    for (let i = 0; i < level.length; i += maxLinks) {
      const links = level.slice(i, i + maxLinks);
      const bytes = encodeFileNode(links);
      const cid = cidV1Sha256(CODEC_DAG_PB, sha256(bytes));
      yield { cid, bytes };
      parents.push({
        cid,
        tsize: links.reduce((sum, l) => sum + l.tsize, bytes.length),
        contentSize: links.reduce((sum, l) => sum + l.contentSize, 0),
      });
    }
    level = parents;
  } while (level.length > 1);
  return level[0].cid;
}

/**
 * The CID Kubo reports when adding `content` with the client's parameters, computed locally without
 * keeping the blocks.
 */
export function computeUnixfsCid(content: Uint8Array, layout?: UnixfsLayout): Cid {
  const blocks = unixfsBlocks(content, layout);
  for (;;) {
    const step = blocks.next();
    if (step.done) return step.value;
  }
}
