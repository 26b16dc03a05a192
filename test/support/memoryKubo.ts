import { computeUnixfsCid } from '../../src/ipfs/unixfs';
import { sha256 } from '@noble/hashes/sha2.js';
import type { IHttp, IHttpRequest, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';

import {
  CODEC_DAG_PB,
  CODEC_RAW,
  cidEquals,
  cidFromBytes,
  cidV1Sha256,
  formatCid,
  parseCid,
  type Cid,
} from '../../src/ipfs/cid';
import { decodeFileNode } from '../../src/ipfs/dagpb';
import { readVarint } from '../../src/ipfs/varint';

/**
 * An in-memory stand-in for a Kubo node's block, dag/import and pin calls, behind the engine's IHttp, so
 * unit tests run the real KuboRpcClient. It checks what it is sent (multipart framing, CAR structure,
 * hashes) and can misbehave on demand.
 */

/** One request as the fake saw it. */
export interface SeenRequest {
  command: string;
  query: URLSearchParams;
  requestBytes: number;
  responseBytes: number;
}

/** Ways to misbehave. */
export interface MemoryKuboFaults {
  /** Answer 413 to a block/put whose body is longer (js-ipfs: 1048576). */
  maxPutBody?: number;
  /** Answer 500 to every block/put and dag/import after this many. */
  refuseStoresAfter?: number;
  /** Rewrites a block/get answer (e.g. flips a byte). */
  corruptGet?: (cid: string, bytes: Uint8Array) => Uint8Array;
  /** Reports this Key for block/put instead of the real one. */
  lieOnPut?: (cid: string) => string;
  /** Like a hosted RPC without block/put and dag/import: those answer 404, only `add` stores. */
  noBlockApi?: boolean;
}

/** The multicodec names block/put understands. */
const CODECS: Record<string, number> = { raw: CODEC_RAW, 'dag-pb': CODEC_DAG_PB };

function reply(statusCode: number, content: string | Buffer): IHttpResponse {
  return { url: '', method: RequestMethod.POST, statusCode, headers: {}, content: content as string };
}

function failure(statusCode: number, message: string): IHttpResponse {
  return reply(statusCode, JSON.stringify({ Message: message, Code: 0, Type: 'error' }));
}

/** The single part's content of a multipart body (the client sends exactly one). */
function multipartContent(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) throw new Error('no multipart boundary');
  const start = body.indexOf('\r\n\r\n') + 4;
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  if (!body.subarray(body.length - tail.length).equals(tail)) throw new Error('bad multipart tail');
  return body.subarray(start, body.length - tail.length);
}

/** The blocks of a CARv1 (header skipped). */
function carBlocks(car: Uint8Array): Array<{ cid: Cid; bytes: Uint8Array }> {
  const header = readVarint(car, 0);
  let at = header.next + header.value;
  const out: Array<{ cid: Cid; bytes: Uint8Array }> = [];
  while (at < car.length) {
    const len = readVarint(car, at);
    const section = car.subarray(len.next, len.next + len.value);
    const version = readVarint(section, 0);
    const codec = readVarint(section, version.next);
    const hash = readVarint(section, codec.next);
    const digestLen = readVarint(section, hash.next);
    const cidEnd = digestLen.next + digestLen.value;
    out.push({ cid: cidFromBytes(section.subarray(0, cidEnd)), bytes: section.subarray(cidEnd) });
    at = len.next + len.value;
  }
  return out;
}

/** An IHttp answering Kubo RPC block/put, block/get, dag/import, pin/add and pin/ls from memory. */
export class MemoryKubo implements IHttp {
  /** Stored blocks by CIDv1 base32. */
  readonly blocks = new Map<string, Uint8Array>();
  /** Recursive pins, CIDv1 base32. */
  readonly pins = new Set<string>();
  readonly seen: SeenRequest[] = [];
  private stores = 0;

  constructor(public faults: MemoryKuboFaults = {}) {}

  post(url: string, request: IHttpRequest = {}): Promise<IHttpResponse> {
    const u = new URL(url);
    const command = u.pathname.replace(/^\/api\/v0\//, '');
    const body = (request.content as unknown as Buffer | undefined) ?? Buffer.alloc(0);
    const response = this.answer(command, u.searchParams, body, request);
    const out = response.content as unknown;
    this.seen.push({
      command,
      query: u.searchParams,
      requestBytes: body.length,
      responseBytes: Buffer.isBuffer(out) ? out.length : Buffer.byteLength(typeof out === 'string' ? out : ''),
    });
    return Promise.resolve(response);
  }

  get(): Promise<IHttpResponse> {
    return Promise.reject(new Error('GET not supported'));
  }
  put(): Promise<IHttpResponse> {
    return this.get();
  }
  del(): Promise<IHttpResponse> {
    return this.get();
  }
  patch(): Promise<IHttpResponse> {
    return this.get();
  }

  private answer(command: string, query: URLSearchParams, body: Buffer, request: IHttpRequest): IHttpResponse {
    const contentType = request.headers?.['Content-Type'] ?? '';
    const store = command === 'block/put' || command === 'dag/import';
    if (store && this.faults.noBlockApi) {
      return reply(404, '404 page not found');
    }
    if (command === 'add') {
      const data = multipartContent(body, contentType);
      const cid = formatCid(computeUnixfsCid(data));
      this.pins.add(cid);
      return reply(200, JSON.stringify({ Name: 'blob', Hash: cid, Size: String(data.length) }));
    }
    if (store && this.faults.refuseStoresAfter !== undefined && this.stores >= this.faults.refuseStoresAfter) {
      return failure(500, 'refused by the test');
    }
    if (command === 'block/put') {
      if (this.faults.maxPutBody !== undefined && body.length > this.faults.maxPutBody) {
        return reply(413, `Payload content length greater than maximum allowed: ${this.faults.maxPutBody}`);
      }
      this.stores++;
      const data = multipartContent(body, contentType);
      const codec = CODECS[query.get('cid-codec') ?? 'raw'];
      if (codec === undefined) return failure(400, 'unknown codec');
      const cid = formatCid(cidV1Sha256(codec, sha256(data)));
      this.blocks.set(cid, Uint8Array.from(data));
      return reply(200, JSON.stringify({ Key: this.faults.lieOnPut?.(cid) ?? cid, Size: data.length }));
    }
    if (command === 'dag/import') {
      this.stores++;
      if (query.get('pin-roots') !== 'false') return failure(400, 'the test wants pin-roots=false');
      for (const b of carBlocks(multipartContent(body, contentType))) {
        if (!cidEquals(b.cid, cidV1Sha256(b.cid.codec, sha256(b.bytes)))) return failure(500, 'block hash mismatch');
        this.blocks.set(formatCid(b.cid), Uint8Array.from(b.bytes));
      }
      return reply(200, '');
    }
    const arg = query.get('arg') ?? '';
    if (command === 'block/get') {
      const key = formatCid(parseCid(arg));
      const bytes = this.blocks.get(key);
      if (!bytes) return failure(500, 'context deadline exceeded');
      const out = this.faults.corruptGet?.(key, Uint8Array.from(bytes)) ?? bytes;
      return reply(200, Buffer.from(out));
    }
    if (command === 'pin/add') {
      const key = formatCid(parseCid(arg));
      if (!this.complete(key)) return failure(500, 'context deadline exceeded: block not found');
      this.pins.add(key);
      return reply(200, JSON.stringify({ Pins: [key] }));
    }
    if (command === 'pin/ls') {
      const key = formatCid(parseCid(arg));
      if (!this.pins.has(key)) return failure(500, `path '${arg}' is not pinned`);
      return reply(200, JSON.stringify({ Keys: { [key]: { Type: 'recursive' } } }));
    }
    return failure(404, `no ${command} here`);
  }

  /** True if the block and everything below it is stored. */
  private complete(key: string): boolean {
    const bytes = this.blocks.get(key);
    if (!bytes) return false;
    const cid = parseCid(key);
    if (cid.codec !== CODEC_DAG_PB) return true;
    return decodeFileNode(bytes).links.every((l) => this.complete(formatCid(l)));
  }
}
