import { CODEC_DAG_PB, CODEC_RAW, cidV1Sha256, type Cid } from './cid';
import { blockSha256 } from './blockHash';
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
 * The layout with defaults filled in.
 * @throws RangeError if a layout value is not a positive integer (or `maxLinks` < 2).
 */
export function resolveLayout(layout: UnixfsLayout = {}): Required<UnixfsLayout> {
  const chunkSize = layout.chunkSize ?? CHUNK_SIZE;
  const maxLinks = layout.maxLinks ?? MAX_LINKS;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError('chunkSize must be >= 1');
  if (!Number.isSafeInteger(maxLinks) || maxLinks < 2) throw new RangeError('maxLinks must be >= 2');
  return { chunkSize, maxLinks };
}

/** A raw leaf over `bytes` (no copy) and the link a parent keeps to it. */
export function leafBlock(bytes: Uint8Array): { block: UnixfsBlock; link: FileLink } {
  const cid = cidV1Sha256(CODEC_RAW, blockSha256(bytes));
  return { block: { cid, bytes }, link: { cid, tsize: bytes.length, contentSize: bytes.length } };
}

/** A dag-pb file node over `links` and the link its own parent keeps to it. */
function parentBlock(links: readonly FileLink[]): { block: UnixfsBlock; link: FileLink } {
  const bytes = encodeFileNode(links);
  const cid = cidV1Sha256(CODEC_DAG_PB, blockSha256(bytes));
  return {
    block: { cid, bytes },
    link: {
      cid,
      tsize: links.reduce((sum, l) => sum + l.tsize, bytes.length),
      contentSize: links.reduce((sum, l) => sum + l.contentSize, 0),
    },
  };
}

/**
 * Builds the balanced tree above a stream of leaves, holding only the pending link list of each level
 * (at most `maxLinks - 1` small records per level). A node is emitted as soon as its `maxLinks` children are
 * known; `finish` closes the partial nodes bottom-up. Same tree as {@link unixfsBlocks}, other block order.
 */
export class UnixfsTreeBuilder {
  private readonly maxLinks: number;
  /** levels[0] holds leaf links not yet under a parent, levels[1] their parents' links, … */
  private readonly levels: FileLink[][] = [[]];
  private finished = false;

  /** @throws RangeError for a bad layout (see {@link resolveLayout}). */
  constructor(layout?: UnixfsLayout) {
    this.maxLinks = resolveLayout(layout).maxLinks;
  }

  /**
   * Adds the next leaf, in file order.
   * @returns the parent blocks this leaf completed, children before parents: store them in that order.
   */
  addLeaf(link: FileLink): UnixfsBlock[] {
    if (this.finished) throw new Error('tree already finished');
    const out: UnixfsBlock[] = [];
    let level = 0;
    this.levels[0].push(link);
    while (this.levels[level].length === this.maxLinks) {
      const { block, link: up } = parentBlock(this.levels[level]);
      out.push(block);
      this.levels[level] = [];
      if (this.levels.length === level + 1) this.levels.push([]);
      this.levels[++level].push(up);
    }
    return out;
  }

  /**
   * Closes the tree. A single leaf is its own root; otherwise every level is grouped until one node remains.
   * @returns the remaining parent blocks (children before parents, the root last if it is a parent) and the root.
   * @throws Error if no leaf was added (the empty file is one empty leaf) or the tree is already finished.
   */
  finish(): { blocks: UnixfsBlock[]; root: FileLink } {
    if (this.finished) throw new Error('tree already finished');
    if (this.levels.length === 1 && this.levels[0].length === 0) throw new Error('a file has at least one leaf');
    this.finished = true;
    const blocks: UnixfsBlock[] = [];
    for (let level = 0; ; level++) {
      const pending = this.levels[level];
      const top = level === this.levels.length - 1;
      // The only node of the top level is the root (a full node was already pushed one level up).
      if (top && pending.length === 1) return { blocks, root: pending[0] };
      if (pending.length === 0) continue;
      const { block, link } = parentBlock(pending);
      blocks.push(block);
      if (top) this.levels.push([]);
      this.levels[level + 1].push(link);
    }
  }
}

/**
 * Yields every block of the file's DAG, leaves first (in file order), then each level of parents; returns
 * the root CID. Leaves are views into `content` (no copy) and nothing is kept once yielded apart from one
 * small link record per node of the level being built, so draining it costs ~1 chunk of extra memory.
 * A file of at most one chunk (including the empty file) is a single raw leaf.
 * @throws RangeError if a layout value is not a positive integer (or `maxLinks` < 2).
 */
export function* unixfsBlocks(content: Uint8Array, layout: UnixfsLayout = {}): Generator<UnixfsBlock, Cid, void> {
  const { chunkSize, maxLinks } = resolveLayout(layout);

  let level: FileLink[] = [];
  let offset = 0;
  do {
    const leaf = leafBlock(content.subarray(offset, offset + chunkSize));
    yield leaf.block;
    level.push(leaf.link);
    offset += chunkSize;
  } while (offset < content.length);

  if (level.length === 1) return level[0].cid;

  // Balanced layout: group each level into parents of at most maxLinks children until one root remains.
  // A lone trailing child still gets its own parent; only a one-chunk file is its leaf.
  do {
    const parents: FileLink[] = [];
    for (let i = 0; i < level.length; i += maxLinks) {
      const parent = parentBlock(level.slice(i, i + maxLinks));
      yield parent.block;
      parents.push(parent.link);
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
