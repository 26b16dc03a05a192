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
  /** Deepest level allowed below the root (default: what a balanced tree of 256 KiB chunks would need). */
  maxDepth?: number;
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

/** Levels below the root that a balanced tree of `MIN_CHUNK` chunks and 174 links needs for `size` bytes. */
function defaultMaxDepth(size: number): number {
  let nodes = Math.max(1, Math.ceil(size / MIN_CHUNK));
  let depth = 0;
  while (nodes > 1) {
    nodes = Math.ceil(nodes / MAX_LINKS);
    depth++;
  }
  return depth;
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
 *   than 2 MiB or a tree deeper than its size needs.
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
  const maxDepth = options.maxDepth ?? defaultMaxDepth(total);
  let received = 0;
  let leaves = 0;

  async function* walk(n: Node, place: Place): AsyncGenerator<Uint8Array, void, undefined> {
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
      if (at.depth > maxDepth) throw new InvalidDagError(`${where} is deeper than a file of ${total} bytes needs`);
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
