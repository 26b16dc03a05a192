/// <reference lib="dom" />
import { CODEC_DAG_PB, formatCid, HASH_SHA2_256, parseCid, type Cid } from '../../ipfs/cid';
import type { DagReadClient } from '../../ipfs/DagReader';
import { decodeFileNode } from '../../ipfs/dagpb';
import { CidMismatchError } from '../../ipfs/errors';

/** The app refused the link's capability (expired, unknown, or for another file): HTTP 403. */
export class LinkRefusedError extends Error {}

/** A block could not be fetched (network error or an HTTP status other than 200/403). */
export class BlockFetchError extends Error {}

/** Where the page gets raw blocks: the app's block endpoint (with the link's capability) or a public gateway. */
export type BlockRoute =
  | { readonly kind: 'app'; readonly blockUrl: string; readonly root: string; readonly capability: string }
  | { readonly kind: 'gateway'; readonly gatewayUrl: string };

function requestFor(route: BlockRoute, cid: string, path: readonly string[]): { url: string; init: RequestInit } {
  if (route.kind === 'gateway') {
    // a trustless gateway answers the raw block (https://specs.ipfs.tech/http-gateways/trustless-gateway/)
    const url = `${route.gatewayUrl.replace(/\/+$/, '')}/ipfs/${cid}?format=raw`;
    return { url, init: { headers: { accept: 'application/vnd.ipld.raw' }, credentials: 'omit' } };
  }
  // the interior nodes walked from the root to this block: the app serves only blocks of the link's file
  const query = new URLSearchParams({ root: route.root, cid, ...(path.length > 0 && { path: path.join(',') }) });
  // the capability travels in a header: it never lands in a URL the server or a proxy logs
  return {
    url: `${route.blockUrl}?${query.toString()}`,
    init: { headers: { 'x-page-capability': route.capability }, credentials: 'omit' },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Blocks fetched one request each and checked in the browser: the SHA-256 of the bytes (WebCrypto) must equal
 * the digest in the CID asked for, so neither the app, its provider nor a gateway can change a byte unnoticed.
 */
export class VerifiedBlocks implements DagReadClient {
  /** Bytes received so far (progress and the benchmark read it). */
  received = 0;

  /** For each block linked so far, the interior nodes between the root and it (the app checks that walk). */
  private readonly paths = new Map<string, readonly string[]>();

  constructor(private readonly route: BlockRoute) {}

  async blockGet(cid: Cid | string): Promise<Uint8Array> {
    const wanted = typeof cid === 'string' ? parseCid(cid) : cid;
    const text = formatCid(wanted);
    if (wanted.hashCode !== HASH_SHA2_256) throw new CidMismatchError(text, 'a block that cannot be verified');
    const path = this.paths.get(text) ?? [];
    const { url, init } = requestFor(this.route, text, path);
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      throw new BlockFetchError(error instanceof Error ? error.message : String(error));
    }
    if (response.status === 403) throw new LinkRefusedError();
    if (response.status !== 200) throw new BlockFetchError(`HTTP ${response.status} for ${text}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    if (!sameBytes(digest, wanted.digest)) throw new CidMismatchError(text, 'a block with another SHA-256');
    this.received += bytes.length;
    if (this.route.kind === 'app' && wanted.codec === CODEC_DAG_PB) this.rememberLinks(text, path, bytes);
    return bytes;
  }

  /** Notes the path to each child of a verified node (a node that does not decode fails the reader anyway). */
  private rememberLinks(node: string, path: readonly string[], bytes: Uint8Array): void {
    const childPath = this.route.kind === 'app' && node === this.route.root ? [] : [...path, node];
    try {
      for (const link of decodeFileNode(bytes).links) this.paths.set(formatCid(link), childPath);
    } catch {
      // DagReader reports a block that is no file node, with its place in the tree
    }
  }
}
