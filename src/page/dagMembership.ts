import { CODEC_DAG_PB, formatCid, parseCid } from '../ipfs/cid';
import { decodeFileNode } from '../ipfs/dagpb';
import type { DagReadClient } from '../ipfs/DagReader';

/**
 * Most interior nodes a path may name between the root and a block. A balanced tree of 174-link nodes over
 * 256 KiB chunks is 4 levels deep at 200 TiB; the bound only stops a crafted path from costing many fetches.
 */
export const MAX_PATH_NODES = 8;

/** Interior nodes whose links this process remembers (a 1 GiB file of 1 MiB leaves has 7). */
const CACHED_NODES = 1024;

/** Links of interior nodes by canonical CID, least recently used first; lives as long as the app's process. */
const PROCESS_CACHE = new Map<string, ReadonlySet<string>>();

/**
 * Whether a block belongs to a root's DAG, proven by the path the page walked to it: the root links to the first
 * node of `path`, each node links to the next, the last (or the root, for an empty path) links to the block.
 *
 * The links of every interior node are kept in a per-process cache. A block's links never change (its CID is
 * its hash), so an entry is true for every root and every link that names it; a cluster's other instances
 * simply fetch the node once more. Nothing is written to persistence, and opening a file fetches each of its
 * interior nodes once more on the server (a few KiB per 174 MiB of file), never a leaf.
 */
export class DagMembership {
  /**
   * @param client - fetches a block and checks it against its CID (the app's provider client)
   * @param linksByNode - the cache (default: this process's, shared by every request)
   */
  constructor(
    private readonly client: DagReadClient,
    private readonly linksByNode: Map<string, ReadonlySet<string>> = PROCESS_CACHE,
  ) {}

  /**
   * @param root - the root CID the link's capability was issued for
   * @param path - interior nodes from just below the root down to the block's parent (empty: a child of the root)
   * @param cid - the block asked for
   * @returns true when `cid` is the root itself (with an empty path) or linked along `path` from the root
   * @throws the client's error when a node on the path cannot be fetched (the provider's fault, not the page's)
   */
  async contains(root: string, path: readonly string[], cid: string): Promise<boolean> {
    if (path.length === 0 && cid === root) return true;
    if (path.length > MAX_PATH_NODES) return false;
    const chain = [root, ...path, cid];
    for (let i = 0; i + 1 < chain.length; i++) {
      if (!(await this.linksOf(chain[i])).has(chain[i + 1])) return false;
    }
    return true;
  }

  /** The canonical CIDs a node links to; empty for a raw block or a block that is no dag-pb file node. */
  private async linksOf(node: string): Promise<ReadonlySet<string>> {
    const known = this.linksByNode.get(node);
    if (known) {
      // re-inserted: the map's order is then least recently used first
      this.linksByNode.delete(node);
      this.linksByNode.set(node, known);
      return known;
    }
    const cid = parseCid(node);
    if (cid.codec !== CODEC_DAG_PB) return new Set();
    const bytes = await this.client.blockGet(cid);
    let links: ReadonlySet<string>;
    try {
      links = new Set(decodeFileNode(bytes).links.map((link) => formatCid(link)));
    } catch {
      links = new Set(); // no file node: it links to nothing the page may ask for
    }
    this.linksByNode.set(node, links);
    if (this.linksByNode.size > CACHED_NODES) {
      this.linksByNode.delete(this.linksByNode.keys().next().value as string);
    }
    return links;
  }
}
