import { CODEC_DAG_PB, CODEC_RAW, parseCid, type Cid } from './cid';
import { UNIXFS_TYPE, decodeFileNode } from './dagpb';
import { CidMismatchError, InvalidDagError } from './errors';
import type { KuboRpcClient } from './KuboRpcClient';
import { MAX_LINKS } from './unixfs';

/**
 * Reads a UnixFS file block by block (each request and response about one chunk), checking every block
 * against the CID its parent names, so a provider that lies is caught at its first wrong block.
 */

/** What the reader needs of a provider: a `blockGet` that verifies each block against its CID. */
export type DagReadClient = Pick<KuboRpcClient, 'blockGet'>;

/** Options of {@link readDag}. */
export interface ReadDagOptions {
  /** Called as each leaf arrives, with the file bytes received so far and the file's size. */
  onProgress?: (bytes: number, total: number) => void;
  /** Deepest level allowed below the root (default: what a balanced tree of `minLeafBytes` chunks needs). */
  maxDepth?: number;
  /** Smallest full leaf the tree may be built of (default 256 KiB, Kubo's default chunker; ours are 1 MiB). */
  minLeafBytes?: number;
  /** Most children a node may have (default 174, Kubo's and the importer's balanced layout). */
  maxLinks?: number;
}

/** Largest block fetched: Kubo's hard limit (bitswap's 2 MiB); our own leaves are 1 MiB. */
const MAX_BLOCK = 2 * 1048576;
/** Smallest chunk the default depth allows for (Kubo's default chunker). */
const MIN_CHUNK = 262144;

/** One block of the tree as the reader sees it. */
interface Node {
  /** Inline file bytes of a dag-pb node, or the whole raw leaf. */
  data: Uint8Array;
  children: Array<{ cid: Cid; size: number }>;
  /** File bytes under this node. */
  size: number;
}

/** Where a block sits, for error messages. */
interface Place {
  depth: number;
  offset: number;
  /** Index of the leaf (raw block) among the file's leaves, if this block is one. */
  leaf?: number;
}

function describePlace(p: Place, size: number): string {
  const range = size > 0 ? ` (bytes ${p.offset}–${p.offset + size - 1})` : ` (offset ${p.offset})`;
  if (p.depth === 0) return `the root block${range}`;
  return p.leaf !== undefined ? `block ${p.leaf}${range}` : `the node at depth ${p.depth}${range}`;
}

/** Fetches one block; a wrong block's CidMismatchError says where it sits. */
async function fetchBlock(client: DagReadClient, cid: Cid, place: string): Promise<Uint8Array> {
  try {
    return await client.blockGet(cid);
  } catch (err) {
    if (err instanceof CidMismatchError && err.where === undefined) {
      throw new CidMismatchError(err.expected, err.actual, place);
    }
    throw err;
  }
}

/** Interprets a verified block as a file node. @throws InvalidDagError */
function interpret(cid: Cid, bytes: Uint8Array, place: string): Node {
  if (cid.codec === CODEC_RAW) return { data: bytes, children: [], size: bytes.length };
  if (cid.codec !== CODEC_DAG_PB) throw new InvalidDagError(`${place} has codec 0x${cid.codec.toString(16)}`);
  let decoded;
  try {
    decoded = decodeFileNode(bytes);
  } catch (err) {
    throw new InvalidDagError(`${place} does not decode: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const { links, blocksizes, data, type, filesize } = decoded;
  if (type !== UNIXFS_TYPE.file && type !== UNIXFS_TYPE.raw) {
    throw new InvalidDagError(`${place} is not a file (UnixFS type ${type})`);
  }
  if (links.length !== blocksizes.length) {
    throw new InvalidDagError(`${place} has ${links.length} links but ${blocksizes.length} sizes`);
  }
  const size = blocksizes.reduce((sum, s) => sum + s, data.length);
  if (!Number.isSafeInteger(size) || (filesize !== undefined && filesize !== size)) {
    throw new InvalidDagError(`${place} says ${String(filesize)} bytes but its parts add up to ${size}`);
  }
  return { data, children: links.map((l, i) => ({ cid: l, size: blocksizes[i] })), size };
}

/** Blocks and levels below the root of the balanced tree over `size` bytes in `minLeaf` chunks. */
function balancedShape(size: number, minLeaf: number, maxLinks: number): { blocks: number; depth: number } {
  let nodes = Math.max(1, Math.ceil(size / minLeaf));
  let blocks = nodes;
  let depth = 0;
  while (nodes > 1) {
    nodes = Math.ceil(nodes / maxLinks);
    blocks += nodes;
    depth++;
  }
  return { blocks, depth };
}

/** What a file of a given size may need: a valid tree never exceeds these, a crafted one is cut off. */
interface Bounds {
  minLeaf: number;
  maxLinks: number;
  maxDepth: number;
  /** Blocks fetched in all, the root included. */
  maxBlocks: number;
}

function boundsFor(size: number, options: ReadDagOptions): Bounds {
  const minLeaf = options.minLeafBytes ?? MIN_CHUNK;
  const maxLinks = options.maxLinks ?? MAX_LINKS;
  const balanced = balancedShape(size, minLeaf, maxLinks);
  const maxDepth = options.maxDepth ?? balanced.depth;
  // a caller allowing a deeper tree allows one more block per extra level
  return { minLeaf, maxLinks, maxDepth, maxBlocks: balanced.blocks + Math.max(0, maxDepth - balanced.depth) };
}

/**
 * Refuses a node with more children than its size needs (at most `maxLinks`, and one per `minLeaf` bytes) or
 * an empty child: both only serve to make a reader issue requests.
 */
function checkChildren(n: Node, where: string, bounds: Bounds): void {
  const needed = Math.min(bounds.maxLinks, Math.max(1, Math.ceil(n.size / bounds.minLeaf)));
  if (n.children.length > needed) {
    throw new InvalidDagError(`${where} has ${n.children.length} links where ${n.size} bytes need at most ${needed}`);
  }
  if (n.children.some((child) => child.size === 0)) throw new InvalidDagError(`${where} links to an empty child`);
}

async function fetchRoot(client: DagReadClient, cid: string): Promise<{ root: Cid; node: Node }> {
  const root = parseCid(cid);
  const place = describePlace({ depth: 0, offset: 0 }, 0);
  const bytes = await fetchBlock(client, root, place);
  return { root, node: interpret(root, bytes, place) };
}

/**
 * The file's size from its root block alone (UnixFS `filesize`, or a raw leaf's length), so a caller can
 * check limits and preallocate before downloading the rest.
 * @throws InvalidCidError | InvalidDagError | CidMismatchError | ContentNotFoundError | the provider's errors
 */
export async function dagFileSize(client: DagReadClient, cid: string): Promise<number> {
  return (await fetchRoot(client, cid)).node.size;
}

/**
 * Yields the file's bytes in order, one block's worth at a time, as the blocks arrive (depth first); the
 * empty file yields nothing.
 * @throws InvalidCidError if `cid` does not parse.
 * @throws CidMismatchError naming the first block whose bytes do not match the CID its parent gave.
 * @throws InvalidDagError for an unknown codec, a non-file node, sizes that do not add up, a block larger
 *   than 2 MiB, an empty child, or a tree deeper, wider or of more blocks than its size needs (so the
 *   requests one read makes are bounded by the root's declared size).
 * @throws ContentNotFoundError | ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError |
 *   ProviderRejectedError from the provider.
 */
export async function* readDag(
  client: DagReadClient,
  cid: string,
  options: ReadDagOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const { node } = await fetchRoot(client, cid);
  const total = node.size;
  const bounds = boundsFor(total, options);
  let received = 0;
  let leaves = 0;
  let fetched = 1;

  async function* walk(n: Node, place: Place): AsyncGenerator<Uint8Array, void, undefined> {
    checkChildren(n, describePlace(place, n.size), bounds);
    if (n.data.length > 0) {
      received += n.data.length;
      options.onProgress?.(received, total);
      yield n.data;
    }
    let offset = place.offset + n.data.length;
    for (const child of n.children) {
      const at: Place = { depth: place.depth + 1, offset };
      if (child.cid.codec === CODEC_RAW) at.leaf = leaves++;
      const where = describePlace(at, child.size);
      if (at.depth > bounds.maxDepth) {
        throw new InvalidDagError(`${where} is deeper than a file of ${total} bytes needs`);
      }
      if (++fetched > bounds.maxBlocks) {
        throw new InvalidDagError(
          `${where} is one block more than the ${bounds.maxBlocks} a file of ${total} bytes needs`,
        );
      }
      if (child.cid.codec === CODEC_RAW && child.size > MAX_BLOCK) {
        throw new InvalidDagError(`${where} claims ${child.size} bytes in one block`);
      }
      const bytes = await fetchBlock(client, child.cid, where);
      const sub = interpret(child.cid, bytes, where);
      if (sub.size !== child.size) {
        throw new InvalidDagError(`${where} holds ${sub.size} bytes where its parent says ${child.size}`);
      }
      yield* walk(sub, at);
      offset += child.size;
    }
  }

  yield* walk(node, { depth: 0, offset: 0 });
}
