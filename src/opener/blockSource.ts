/**
 * Where the opener gets blocks: a Kubo RPC API (`POST /api/v0/block/get`) or any trustless gateway
 * (`GET /ipfs/<cid>?format=raw`). Either way every block is hashed here and compared with the CID asked for, so
 * neither the node nor the gateway has to be trusted. Plain node:http(s), so the bundle needs nothing but Node.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

import type { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';

import { withoutUserinfo } from '../errors';
import { CODEC_DAG_PB, CODEC_RAW, formatCid, HASH_SHA2_256, type Cid } from '../ipfs/cid';
import type { DagReadClient } from '../ipfs/DagReader';
import { CidMismatchError, ContentNotFoundError, ProviderRejectedError } from '../ipfs/errors';
import { errorFromResponse, errorFromThrow, providerMessage } from '../ipfs/rpcResponse';

/** Largest block accepted (bitswap's limit); a larger answer is cut off and refused. */
const MAX_BLOCK_BYTES = 2 * 1048576;
/** Kubo's words when it cannot find a block before its `timeout` argument ran out. */
const NOT_FOUND = /deadline exceeded|timed? ?out|timeout|not found|no link named|aborted/i;

/** How to reach the blocks. */
export interface BlockSourceConfig {
  kind: 'kubo' | 'gateway';
  /** Base URL: `http://127.0.0.1:5001` for Kubo (without `/api/v0`), `https://ipfs.io` for a gateway. */
  url: string;
  /** Per-request deadline in ms. */
  timeoutMs: number;
}

interface RawResponse {
  statusCode: number;
  body: Buffer;
}

/**
 * A {@link DagReadClient} over HTTP that verifies each block's sha2-256 digest against its CID (raw and dag-pb
 * codecs only: the opener reads nothing else).
 */
export class HttpBlockSource implements DagReadClient {
  private readonly base: URL;
  private readonly authorization?: string;

  /** @throws {TypeError} if the URL does not parse or is not http(s) */
  constructor(private readonly config: BlockSourceConfig) {
    const url = new URL(config.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('URL must be http(s)');
    if (url.username || url.password) {
      const user = decodeURIComponent(url.username);
      const pass = decodeURIComponent(url.password);
      this.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.base = url;
  }

  /**
   * Fetches one block and checks it hashes to `cid`.
   * @throws CidMismatchError if the bytes do not match (or the CID's hash is not sha2-256)
   * @throws ContentNotFoundError | ProviderUnreachableError | ProviderTimeoutError | ProviderAuthError |
   *   ProviderRejectedError for what the node or gateway answered
   */
  async blockGet(cid: Cid): Promise<Uint8Array> {
    const text = formatCid(cid);
    if (cid.hashCode !== HASH_SHA2_256 || (cid.codec !== CODEC_RAW && cid.codec !== CODEC_DAG_PB)) {
      throw new CidMismatchError(text, 'a block that cannot be verified');
    }
    const response = this.config.kind === 'kubo' ? await this.kuboGet(text) : await this.gatewayGet(text);
    const digest = createHash('sha256').update(response).digest();
    if (!digest.equals(Buffer.from(cid.digest))) {
      throw new CidMismatchError(text, `a block whose sha2-256 is ${digest.toString('hex').slice(0, 16)}…`);
    }
    return new Uint8Array(response.buffer, response.byteOffset, response.byteLength);
  }

  private async kuboGet(cid: string): Promise<Buffer> {
    const url = this.endpoint(`api/v0/block/get`);
    url.searchParams.set('arg', cid);
    url.searchParams.set('timeout', `${this.config.timeoutMs}ms`);
    const response = await this.request('POST', url, {});
    if (response.statusCode === 200) return response.body;
    const asEngine = engineResponse(response);
    if (response.statusCode === 500 && NOT_FOUND.test(providerMessage(asEngine))) throw new ContentNotFoundError(cid);
    throw errorFromResponse(asEngine);
  }

  private async gatewayGet(cid: string): Promise<Buffer> {
    const url = this.endpoint(`ipfs/${cid}`);
    url.searchParams.set('format', 'raw');
    const response = await this.request('GET', url, { accept: 'application/vnd.ipld.raw' });
    if (response.statusCode === 200) return response.body;
    if (response.statusCode === 404 || response.statusCode === 410) throw new ContentNotFoundError(cid);
    throw errorFromResponse(engineResponse(response));
  }

  private endpoint(path: string): URL {
    const url = new URL(this.base.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
    url.search = '';
    return url;
  }

  /** One request with a deadline; the body is capped at {@link MAX_BLOCK_BYTES} (+ room for an error text). */
  private request(method: string, url: URL, headers: Record<string, string>): Promise<RawResponse> {
    const get = url.protocol === 'https:' ? https.request : http.request;
    const allHeaders = this.authorization ? { ...headers, authorization: this.authorization } : headers;
    return new Promise<RawResponse>((resolve, reject) => {
      const fail = (err: unknown) => reject(errorFromThrow(err, url.href));
      const req = get(url, { method, headers: allHeaders, timeout: this.config.timeoutMs }, (res) => {
        // one buffer of the announced size (a block is at most 2 MiB), filled in place: no list of parts to join
        const announced = Number(res.headers['content-length']);
        let body = Buffer.allocUnsafe(announced >= 0 && announced <= MAX_BLOCK_BYTES ? announced : 65536);
        let length = 0;
        res.on('data', (part: Buffer) => {
          if (length + part.length > MAX_BLOCK_BYTES) {
            req.destroy();
            reject(new ProviderRejectedError(res.statusCode ?? 0, `answered more than ${MAX_BLOCK_BYTES} bytes`));
            return;
          }
          if (length + part.length > body.length) {
            const grown = Buffer.allocUnsafe(
              Math.min(MAX_BLOCK_BYTES, Math.max(2 * body.length, length + part.length)),
            );
            body.copy(grown, 0, 0, length);
            body = grown;
          }
          part.copy(body, length);
          length += part.length;
        });
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: body.subarray(0, length) }));
        res.on('error', fail);
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${this.config.timeoutMs} ms`)));
      req.on('error', fail);
      req.end();
    });
  }

  /** The URL as shown to the user (no credentials). */
  describe(): string {
    return withoutUserinfo(this.base.href);
  }
}

/** A raw answer in the shape the app's response helpers read. */
function engineResponse(response: RawResponse): IHttpResponse {
  return { statusCode: response.statusCode, content: response.body, headers: {} } as unknown as IHttpResponse;
}
