import { CODEC_RAW, formatCid } from './cid';
import { ProviderRejectedError } from './errors';
import type { KuboRpcClient } from './KuboRpcClient';
import { UnixfsTreeBuilder, leafBlock, resolveLayout, type UnixfsBlock, type UnixfsLayout } from './unixfs';

/** What the uploader needs of a provider (a {@link KuboRpcClient}, or a test double). */
export type DagUploadClient = Pick<KuboRpcClient, 'blockPut' | 'dagImport' | 'pinAdd'>;

/**
 * How blocks travel. `block/put`: one request per block, the provider confirming each CID. `dag/import`:
 * one CAR per leaf together with the parents that leaf completed. `auto` (default): block/put until the
 * provider refuses a request's size (HTTP 413; js-ipfs caps block/put bodies at exactly 1 MiB, which a
 * 1 MiB leaf plus multipart framing exceeds), then dag/import for the rest.
 */
export type DagTransport = 'auto' | 'block/put' | 'dag/import';

/** Options of a {@link DagUploader}; `chunkSize`/`maxLinks` are for tests of the tree shape. */
export interface DagUploaderOptions extends UnixfsLayout {
  /** Called after each leaf is stored, with the file bytes stored so far. */
  onProgress?: (bytesSent: number) => void;
  transport?: DagTransport;
}

/**
 * Uploads one file as a UnixFS DAG in requests of about one chunk each: the same DAG, and so the same root
 * CID, as Kubo's `add?cid-version=1&raw-leaves=true&chunker=size-1048576`. Bytes come in pieces of any
 * size; each full leaf is stored at once, so memory holds one leaf plus the tree's pending link lists.
 * The root is pinned last: an upload that fails on the way leaves nothing pinned (its blocks are garbage
 * for the provider to collect). Calls must not overlap; after a failure every call rethrows it.
 */
export class DagUploader {
  /** The progress callback given to the constructor. */
  readonly onProgress?: (bytesSent: number) => void;
  private readonly chunkSize: number;
  private readonly tree: UnixfsTreeBuilder;
  private transport: DagTransport;
  private leaf: Uint8Array | undefined;
  private fill = 0;
  private leaves = 0;
  private written = 0;
  private sent = 0;
  private busy = false;
  private done = false;
  private failure: { error: unknown } | undefined;

  /** @throws RangeError for a bad layout. */
  constructor(
    private readonly client: DagUploadClient,
    options: DagUploaderOptions = {},
  ) {
    const layout = resolveLayout(options);
    this.chunkSize = layout.chunkSize;
    this.tree = new UnixfsTreeBuilder(layout);
    this.transport = options.transport ?? 'auto';
    this.onProgress = options.onProgress;
  }

  /** File bytes accepted by `write` so far. */
  get bytesWritten(): number {
    return this.written;
  }

  /** How blocks travel now: `auto` until the provider refused a block's size, then `dag/import`. */
  get transportInUse(): DagTransport {
    return this.transport;
  }

  /** File bytes stored at the provider so far. */
  get bytesSent(): number {
    return this.sent;
  }

  /**
   * Appends `piece` (copied: the caller may reuse it) and stores every leaf it fills.
   * @throws the provider's typed error (ProviderUnreachableError when the connection drops, …) or
   *   CidMismatchError; Error if called while another call runs or after `finish`.
   */
  async write(piece: Uint8Array): Promise<void> {
    await this.guard(async () => {
      let offset = 0;
      while (offset < piece.length) {
        this.leaf ??= new Uint8Array(this.chunkSize);
        const n = Math.min(piece.length - offset, this.chunkSize - this.fill);
        this.leaf.set(piece.subarray(offset, offset + n), this.fill);
        this.fill += n;
        offset += n;
        this.written += n;
        if (this.fill === this.chunkSize) await this.storeLeaf();
      }
    });
  }

  /**
   * Stores the last leaf and the remaining parents, then pins the root recursively.
   * @returns the root CID (CIDv1 base32), the one `add` would report for the same bytes.
   * @throws as `write`, and ContentNotFoundError if the provider cannot pin the root (a block is missing).
   */
  async finish(): Promise<string> {
    return this.guard(async () => {
      // The empty file is one empty leaf, as with `add`.
      if (this.fill > 0 || this.leaves === 0) await this.storeLeaf();
      const { blocks, root } = this.tree.finish();
      await this.store(blocks);
      await this.client.pinAdd(root.cid);
      this.done = true;
      return formatCid(root.cid);
    });
  }

  /** Runs one call at a time; remembers the first failure. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    if (this.failure) throw this.failure.error;
    if (this.busy) throw new Error('DagUploader: a call is still running');
    if (this.done) throw new Error('DagUploader: already finished');
    this.busy = true;
    try {
      return await run();
    } catch (error) {
      this.failure = { error };
      throw error;
    } finally {
      this.busy = false;
    }
  }

  private async storeLeaf(): Promise<void> {
    const bytes = (this.leaf ?? new Uint8Array(0)).subarray(0, this.fill);
    const { block, link } = leafBlock(bytes);
    await this.store([block, ...this.tree.addLeaf(link)]);
    this.leaves++;
    this.sent += bytes.length;
    this.fill = 0;
    this.onProgress?.(this.sent);
  }

  /** Stores blocks children first, by the current transport. */
  private async store(blocks: UnixfsBlock[]): Promise<void> {
    if (blocks.length === 0) return;
    if (this.transport === 'dag/import') return this.client.dagImport(blocks);
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      try {
        await this.client.blockPut(b.bytes, b.cid.codec === CODEC_RAW ? 'raw' : 'dag-pb');
      } catch (err) {
        if (this.transport !== 'auto' || !(err instanceof ProviderRejectedError) || err.statusCode !== 413) throw err;
        this.transport = 'dag/import';
        return this.client.dagImport(blocks.slice(i));
      }
    }
  }
}
