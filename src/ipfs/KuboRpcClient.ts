import type { IHttp } from '@rocket.chat/apps-engine/definition/accessors';

import { CODEC_DAG_PB, CODEC_RAW, HASH_SHA2_256, cidEquals, cidV1Sha256, formatCid, parseCid, type Cid } from './cid';
import { blockSha256 } from './blockHash';
import { encodeCar, type CarBlock } from './car';
import { CidMismatchError, ContentNotFoundError, ProviderRejectedError } from './errors';
import { encodeMultipart } from './multipart';
import { providerMessage, responseBytes, responseText } from './rpcResponse';
import { RpcEndpoint } from './rpcEndpoint';
import { computeUnixfsCid } from './unixfs';

/** How to authenticate to the provider. */
export type ProviderAuth =
  { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

/** Where and how to reach a Kubo-RPC-speaking provider. */
export interface ProviderConfig {
  /** Base URL, e.g. `http://127.0.0.1:5001` (a trailing `/api/v0` is accepted too). */
  apiUrl: string;
  auth: ProviderAuth;
  /** Deadline of each call, in milliseconds. */
  timeoutMs: number;
}

/** Parameters that make the provider's CID reproducible by `computeUnixfsCid`. */
const ADD_PARAMS = {
  'cid-version': '1',
  'raw-leaves': 'true',
  chunker: 'size-1048576',
  pin: 'true',
  progress: 'false',
};

/** Extra time the HTTP request gets over Kubo's own `timeout`, so Kubo's answer arrives first. */
const HTTP_GRACE_MS = 2000;

/** Kubo's words for a lookup that ran out of time or found nothing. */
const NOT_FOUND = /deadline exceeded|timed? ?out|timeout|not found|no link named|aborted/i;

/**
 * A Kubo RPC client speaking only through the Apps-Engine's `IHttp`. Every call carries a timeout; every
 * failure is one of the typed errors of `./errors`.
 */
export class KuboRpcClient {
  private readonly rpc: RpcEndpoint;

  constructor(
    http: IHttp,
    private readonly config: ProviderConfig,
  ) {
    this.rpc = new RpcEndpoint(http, config);
  }

  /** The provider's base URL as configured: identifies the provider, e.g. to remember what it supports. */
  get apiUrl(): string {
    return this.config.apiUrl;
  }

  /**
   * Adds and pins `content`; the file part carries a neutral name, never the real file name.
   * @returns the CIDv1 base32 string, computed locally and confirmed by the provider.
   * @throws CidMismatchError if the provider reports another CID.
   * @throws ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError | ProviderRejectedError
   */
  async add(content: Uint8Array): Promise<string> {
    const expected = computeUnixfsCid(content);
    const form = encodeMultipart({
      name: 'file',
      filename: 'blob',
      contentType: 'application/octet-stream',
      content,
    });
    const response = await this.rpc.post('add', ADD_PARAMS, {
      // The bridge passes a Buffer through untouched; the engine's type says string.
      content: form.body as unknown as string,
      headers: { 'Content-Type': form.contentType },
    });
    // NDJSON, one object per added entry; the file's is the last one carrying a Hash.
    const lines = responseText(response)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    let reported: string | undefined;
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as { Hash?: unknown };
        if (typeof entry.Hash === 'string') reported = entry.Hash;
      } catch {
        // Ignore lines that are not JSON.
      }
    }
    if (reported === undefined) {
      throw new ProviderRejectedError(response.statusCode, 'add answered without a CID');
    }
    let actual: Cid;
    try {
      actual = parseCid(reported);
    } catch {
      throw new CidMismatchError(formatCid(expected), reported);
    }
    if (!cidEquals(expected, actual)) throw new CidMismatchError(formatCid(expected), reported);
    return formatCid(expected);
  }

  /**
   * Reads a file's bytes, or `range.length` bytes from `range.offset` (fewer at the end of the file).
   * Without a range the bytes are checked against the CID.
   * @throws InvalidCidError if `cid` does not parse; RangeError for a negative or fractional range.
   * @throws ContentNotFoundError if the provider cannot find the content within the timeout.
   * @throws CidMismatchError if the whole file does not hash back to `cid` (or a range comes back too long).
   * @throws ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError | ProviderRejectedError
   */
  async cat(cid: string, range?: { offset: number; length: number }): Promise<Uint8Array> {
    const wanted = parseCid(cid);
    const arg = formatCid(wanted);
    const query: Record<string, string> = { arg, timeout: `${this.config.timeoutMs}ms` };
    if (range) {
      if (!isCount(range.offset) || !isCount(range.length)) throw new RangeError('invalid range');
      if (range.length === 0) return new Uint8Array(0);
      query.offset = String(range.offset);
      query.length = String(range.length);
    }
    const response = await this.rpc.post('cat', query, { encoding: null }, HTTP_GRACE_MS, (r) =>
      r.statusCode === 500 && NOT_FOUND.test(providerMessage(r)) ? new ContentNotFoundError(arg) : undefined,
    );
    const bytes = responseBytes(response);
    if (range) {
      if (bytes.length > range.length)
        throw new CidMismatchError(arg, `${bytes.length} bytes for a range of ${range.length}`);
      return bytes;
    }
    const verifiable =
      wanted.hashCode === HASH_SHA2_256 && (wanted.codec === CODEC_RAW || wanted.codec === CODEC_DAG_PB);
    const actual = verifiable ? computeUnixfsCid(bytes) : undefined;
    if (!actual || !cidEquals(actual, wanted)) {
      throw new CidMismatchError(arg, actual ? formatCid(actual) : 'content that cannot be verified');
    }
    return bytes;
  }

  /**
   * Stores one block (at most 1 MiB: Kubo refuses bigger ones) under its CIDv1 sha2-256 of `codec`.
   * Sends `cid-codec` (Kubo) and, for raw, the legacy `format=raw` as well: js-ipfs reads only `format`
   * (default dag-pb, answered as CIDv0, which names the same block). Not pinned.
   * @returns the CID computed locally, once the provider reported the same block.
   * @throws CidMismatchError if the provider reports another CID.
   * @throws ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError | ProviderRejectedError
   */
  async blockPut(bytes: Uint8Array, codec: 'raw' | 'dag-pb'): Promise<Cid> {
    const expected = cidV1Sha256(codec === 'raw' ? CODEC_RAW : CODEC_DAG_PB, blockSha256(bytes));
    const form = encodeMultipart({
      name: 'data',
      filename: 'block',
      contentType: 'application/octet-stream',
      content: bytes,
    });
    const query: Record<string, string> = { 'cid-codec': codec, mhtype: 'sha2-256' };
    if (codec === 'raw') query.format = 'raw';
    const response = await this.rpc.post('block/put', query, {
      content: form.body as unknown as string,
      headers: { 'Content-Type': form.contentType },
    });
    let reported: unknown;
    try {
      reported = (JSON.parse(responseText(response)) as { Key?: unknown }).Key;
    } catch {
      // handled below
    }
    if (typeof reported !== 'string') {
      throw new ProviderRejectedError(response.statusCode, 'block/put answered without a Key');
    }
    let actual: Cid | undefined;
    try {
      actual = parseCid(reported);
    } catch {
      // a Key that is not a CID counts as another CID
    }
    if (!actual || !cidEquals(expected, actual)) throw new CidMismatchError(formatCid(expected), reported);
    return expected;
  }

  /**
   * Stores `blocks` as one CAR through `dag/import` without pinning anything (`pin-roots=false`): the way
   * for 1 MiB leaves to providers whose request limit leaves no room for block/put's multipart framing
   * (js-ipfs: 1 MiB per body), and for several small blocks in one request. The provider reports no CIDs
   * here; the final recursive pin of the root proves every block arrived intact.
   * @throws ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError | ProviderRejectedError
   */
  async dagImport(blocks: readonly CarBlock[]): Promise<void> {
    if (blocks.length === 0) return;
    const car = encodeCar([blocks[blocks.length - 1].cid], blocks);
    const form = encodeMultipart({
      name: 'file',
      filename: 'blocks.car',
      contentType: 'application/vnd.ipld.car',
      content: car,
    });
    await this.rpc.post(
      'dag/import',
      { 'pin-roots': 'false' },
      {
        content: form.body as unknown as string,
        headers: { 'Content-Type': form.contentType },
      },
    );
  }

  /**
   * Reads one block and checks that it hashes to `cid`'s sha2-256 digest.
   * @throws InvalidCidError if `cid` does not parse.
   * @throws CidMismatchError if the bytes do not hash to the CID (or the CID's hash is not sha2-256).
   * @throws ContentNotFoundError if the provider cannot find the block within the timeout.
   * @throws ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError | ProviderRejectedError
   */
  async blockGet(cid: Cid | string): Promise<Uint8Array> {
    const wanted = typeof cid === 'string' ? parseCid(cid) : cid;
    const arg = formatCid(wanted);
    if (wanted.hashCode !== HASH_SHA2_256) throw new CidMismatchError(arg, 'a block that cannot be verified');
    const query = { arg, timeout: `${this.config.timeoutMs}ms` };
    const response = await this.rpc.post('block/get', query, { encoding: null }, HTTP_GRACE_MS, (r) =>
      r.statusCode === 500 && NOT_FOUND.test(providerMessage(r)) ? new ContentNotFoundError(arg) : undefined,
    );
    const bytes = responseBytes(response);
    const actual = cidV1Sha256(wanted.codec, blockSha256(bytes));
    if (!cidEquals(actual, wanted)) throw new CidMismatchError(arg, formatCid(actual));
    return bytes;
  }

  /**
   * Pins `cid` and everything below it (the provider must hold every block, or find it within the timeout).
   * @throws InvalidCidError if `cid` does not parse.
   * @throws ContentNotFoundError if a block of the DAG cannot be found within the timeout.
   * @throws ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError | ProviderRejectedError
   */
  async pinAdd(cid: Cid | string): Promise<void> {
    const wanted = typeof cid === 'string' ? parseCid(cid) : cid;
    const arg = formatCid(wanted);
    const query = { arg, recursive: 'true', timeout: `${this.config.timeoutMs}ms` };
    const response = await this.rpc.post('pin/add', query, {}, HTTP_GRACE_MS, (r) =>
      r.statusCode === 500 && NOT_FOUND.test(providerMessage(r)) ? new ContentNotFoundError(arg) : undefined,
    );
    let pins: unknown;
    try {
      pins = (JSON.parse(responseText(response)) as { Pins?: unknown }).Pins;
    } catch {
      // an answer without a body is taken as done, as Kubo's exit status would be
    }
    if (Array.isArray(pins) && pins.length > 0 && !pins.some((p) => typeof p === 'string' && samePin(p, wanted))) {
      throw new ProviderRejectedError(response.statusCode, `pin/add pinned ${String(pins[0])} instead of ${arg}`);
    }
  }

  /**
   * Unpins `cid`. Content that is not pinned (already removed) counts as done.
   * @throws InvalidCidError if `cid` does not parse.
   * @throws ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError | ProviderRejectedError
   */
  async pinRm(cid: string): Promise<void> {
    const arg = formatCid(parseCid(cid));
    try {
      await this.rpc.post('pin/rm', { arg });
    } catch (err) {
      if (err instanceof ProviderRejectedError && /not pinned/i.test(err.providerMessage)) return;
      throw err;
    }
  }

  /**
   * The provider's version, a cheap check of URL and credentials.
   * @throws ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError | ProviderRejectedError
   */
  async version(): Promise<{ version: string }> {
    const response = await this.rpc.post('version', {});
    try {
      const parsed = JSON.parse(responseText(response)) as { Version?: unknown };
      if (typeof parsed.Version === 'string') return { version: parsed.Version };
    } catch {
      // fall through
    }
    throw new ProviderRejectedError(response.statusCode, 'version answered without a Version');
  }
}

function samePin(reported: string, wanted: Cid): boolean {
  try {
    return cidEquals(parseCid(reported), wanted);
  } catch {
    return false;
  }
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
