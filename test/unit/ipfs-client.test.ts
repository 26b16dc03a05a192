import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IHttp, IHttpRequest, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';

import { formatCid } from '../../src/ipfs/cid';
import {
  CidMismatchError,
  ContentNotFoundError,
  InvalidCidError,
  ProviderAuthError,
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnreachableError,
} from '../../src/ipfs/errors';
import { KuboRpcClient, type ProviderConfig } from '../../src/ipfs/KuboRpcClient';
import { computeUnixfsCid } from '../../src/ipfs/unixfs';

type Handler = (url: string, request: IHttpRequest) => IHttpResponse | Promise<IHttpResponse>;

/** An IHttp whose POST answers come from `handler`; every call is recorded. */
class FakeHttp implements IHttp {
  calls: Array<{ method: string; url: string; request: IHttpRequest }> = [];
  constructor(private readonly handler: Handler) {}
  private record(method: string, url: string, request: IHttpRequest = {}): Promise<IHttpResponse> {
    this.calls.push({ method, url, request });
    return Promise.resolve().then(() => this.handler(url, request));
  }
  get(url: string, o?: IHttpRequest) {
    return this.record('get', url, o);
  }
  post(url: string, o?: IHttpRequest) {
    return this.record('post', url, o);
  }
  put(url: string, o?: IHttpRequest) {
    return this.record('put', url, o);
  }
  del(url: string, o?: IHttpRequest) {
    return this.record('del', url, o);
  }
  patch(url: string, o?: IHttpRequest) {
    return this.record('patch', url, o);
  }
}

function reply(statusCode: number, content: string | Buffer, headers: Record<string, string> = {}): IHttpResponse {
  return { url: '', method: RequestMethod.POST, statusCode, headers, content: content as string };
}

const config: ProviderConfig = { apiUrl: 'http://ipfs.test:5001/', auth: { kind: 'none' }, timeoutMs: 4000 };
const HELLO = new TextEncoder().encode('hello world');
const HELLO_CID = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';
// The same CID as js-ipfs prints it (base58btc CIDv1).
const HELLO_CID_B58 = 'zb2rhj7crUKTQYRGCRATFaQ6YFLTde2YzdqbbhAASkL9uRDXn';

function client(handler: Handler, cfg: ProviderConfig = config): { c: KuboRpcClient; http: FakeHttp } {
  const http = new FakeHttp(handler);
  return { c: new KuboRpcClient(http, cfg), http };
}

async function rejectsWith<T extends Error>(
  p: Promise<unknown>,
  type: new (...a: never[]) => T,
  key: string,
): Promise<T> {
  let caught: unknown;
  await p.then(
    () => assert.fail('expected a rejection'),
    (err: unknown) => (caught = err),
  );
  assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
  assert.equal((caught as { i18nKey?: string }).i18nKey, key);
  return caught;
}

void describe('KuboRpcClient requests', () => {
  void test('add: multipart Buffer body, all params in the URL, neutral file name, CIDv1 base32 back', async () => {
    const { c, http } = client(() => reply(200, `{"Name":"blob","Hash":"${HELLO_CID_B58}","Size":11}\n`));
    assert.equal(await c.add(HELLO), HELLO_CID);
    const { method, url, request } = http.calls[0];
    assert.equal(method, 'post');
    const u = new URL(url);
    assert.equal(u.origin + u.pathname, 'http://ipfs.test:5001/api/v0/add');
    for (const [k, v] of Object.entries({
      'cid-version': '1',
      'raw-leaves': 'true',
      chunker: 'size-1048576',
      pin: 'true',
      progress: 'false',
    })) {
      assert.equal(u.searchParams.get(k), v, k);
    }
    assert.ok(Buffer.isBuffer(request.content));
    const body = request.content as unknown as Buffer;
    assert.match(request.headers?.['Content-Type'] ?? '', /^multipart\/form-data; boundary=/);
    assert.ok(body.includes('filename="blob"'));
    assert.notEqual(body.indexOf(Buffer.from(HELLO)), -1);
    assert.equal(request.timeout, 4000);
    assert.equal(request.auth, undefined);
  });

  void test('basic auth goes in `auth`, bearer in an Authorization header; /api/v0 in the URL is accepted', async () => {
    const version = () => reply(200, '{"Version":"0.30.0"}');
    const basic = client(version, {
      ...config,
      apiUrl: 'http://h/api/v0',
      auth: { kind: 'basic', username: 'u', password: 'p:w' },
    });
    assert.deepEqual(await basic.c.version(), { version: '0.30.0' });
    assert.equal(basic.http.calls[0].url, 'http://h/api/v0/version');
    assert.equal(basic.http.calls[0].request.auth, 'u:p:w');
    const bearer = client(version, { ...config, auth: { kind: 'bearer', token: 'tok' } });
    await bearer.c.version();
    assert.equal(bearer.http.calls[0].request.headers?.Authorization, 'Bearer tok');
    assert.equal(bearer.http.calls[0].request.auth, undefined);
  });

  void test('cat: CID in the URL, encoding null, Kubo timeout, range as offset/length', async () => {
    const { c, http } = client(() => reply(200, Buffer.from('llo ')));
    const bytes = await c.cat(` ${HELLO_CID_B58} `, { offset: 2, length: 4 });
    assert.equal(Buffer.from(bytes).toString(), 'llo ');
    const { url, request } = http.calls[0];
    const u = new URL(url);
    assert.equal(u.pathname, '/api/v0/cat');
    assert.equal(u.searchParams.get('arg'), HELLO_CID);
    assert.equal(u.searchParams.get('offset'), '2');
    assert.equal(u.searchParams.get('length'), '4');
    assert.equal(u.searchParams.get('timeout'), '4000ms');
    assert.equal(request.encoding, null);
    assert.ok((request.timeout ?? 0) > 4000, 'HTTP outlives Kubo’s own timeout');
  });

  void test('cat without range verifies and returns the bytes', async () => {
    const { c } = client(() => reply(200, Buffer.from(HELLO)));
    assert.deepEqual(new Uint8Array(await c.cat(HELLO_CID)), HELLO);
  });

  void test('pinRm sends the CID; "not pinned" counts as done', async () => {
    const { c, http } = client(() => reply(200, `{"Pins":["${HELLO_CID}"]}`));
    await c.pinRm(HELLO_CID);
    assert.equal(new URL(http.calls[0].url).pathname, '/api/v0/pin/rm');
    assert.equal(new URL(http.calls[0].url).searchParams.get('arg'), HELLO_CID);
    const gone = client(() => reply(500, '{"Message":"not pinned or pinned indirectly","Code":0,"Type":"error"}'));
    await gone.c.pinRm(HELLO_CID);
  });
});

void describe('KuboRpcClient error mapping', () => {
  void test('connection refused (thrown) → ProviderUnreachableError', async () => {
    const { c } = client(() => {
      throw new Error(
        'request to http://ipfs.test:5001/api/v0/version failed, reason: connect ECONNREFUSED 127.0.0.1:5001',
      );
    });
    await rejectsWith(c.version(), ProviderUnreachableError, 'error_provider_unreachable');
  });

  void test('DNS failure and reset (thrown) → ProviderUnreachableError', async () => {
    for (const reason of ['getaddrinfo ENOTFOUND ipfs.test', 'socket hang up', 'read ECONNRESET']) {
      const { c } = client(() => {
        throw new Error(`request failed, reason: ${reason}`);
      });
      await rejectsWith(c.add(HELLO), ProviderUnreachableError, 'error_provider_unreachable');
    }
  });

  void test('timeout (thrown) → ProviderTimeoutError', async () => {
    for (const message of ['The user aborted a request.', 'network timeout at: http://x', 'ETIMEDOUT']) {
      const { c } = client(() => {
        throw new Error(message);
      });
      await rejectsWith(c.version(), ProviderTimeoutError, 'error_provider_timeout');
    }
  });

  void test('no response at all (missing permission) → ProviderUnreachableError', async () => {
    const { c } = client(() => undefined as unknown as IHttpResponse);
    await rejectsWith(c.version(), ProviderUnreachableError, 'error_provider_unreachable');
  });

  void test('401 and 403 → ProviderAuthError', async () => {
    for (const status of [401, 403]) {
      const { c } = client(() => reply(status, 'Unauthorized'));
      const err = await rejectsWith(c.add(HELLO), ProviderAuthError, 'error_provider_auth');
      assert.equal(err.statusCode, status);
    }
  });

  void test('500 with Kubo JSON → ProviderRejectedError carrying its Message', async () => {
    const { c } = client(() => reply(500, '{"Message":"merkledag: not found","Code":0,"Type":"error"}\n'));
    const err = await rejectsWith(c.pinRm(HELLO_CID), ProviderRejectedError, 'error_provider_rejected');
    assert.equal(err.providerMessage, 'merkledag: not found');
  });

  void test('500 with a text body → ProviderRejectedError carrying the text', async () => {
    const { c } = client(() => reply(500, 'upstream exploded\n'));
    const err = await rejectsWith(c.add(HELLO), ProviderRejectedError, 'error_provider_rejected');
    assert.equal(err.providerMessage, 'upstream exploded');
    const empty = client(() => reply(502, ''));
    const err2 = await rejectsWith(empty.c.version(), ProviderRejectedError, 'error_provider_rejected');
    assert.equal(err2.providerMessage, 'HTTP 502');
  });

  void test('the provider answering a different CID on add → CidMismatchError', async () => {
    const other = formatCid(computeUnixfsCid(new TextEncoder().encode('something else')));
    const { c } = client(() => reply(200, `{"Name":"blob","Hash":"${other}","Size":"14"}\n`));
    const err = await rejectsWith(c.add(HELLO), CidMismatchError, 'error_cid_mismatch');
    assert.equal(err.expected, HELLO_CID);
    assert.equal(err.actual, other);
    const garbage = client(() => reply(200, '{"Hash":"not-a-cid"}'));
    await rejectsWith(garbage.c.add(HELLO), CidMismatchError, 'error_cid_mismatch');
  });

  void test('cat returning bytes that do not hash to the CID → CidMismatchError', async () => {
    const { c } = client(() => reply(200, Buffer.from('hello worle')));
    await rejectsWith(c.cat(HELLO_CID), CidMismatchError, 'error_cid_mismatch');
    const long = client(() => reply(200, Buffer.from('hello')));
    await rejectsWith(long.c.cat(HELLO_CID, { offset: 0, length: 2 }), CidMismatchError, 'error_cid_mismatch');
  });

  void test('cat that times out on the provider → ContentNotFoundError', async () => {
    for (const message of ['Failed to cat file: request timed out', 'context deadline exceeded']) {
      const { c } = client(() =>
        reply(500, JSON.stringify({ Message: message, Code: 0, Type: 'error' }), {
          'content-type': 'application/json',
        }),
      );
      await rejectsWith(c.cat(HELLO_CID), ContentNotFoundError, 'error_content_not_found');
    }
  });

  void test('an invalid CID is refused before any request', async () => {
    const { c, http } = client(() => reply(200, ''));
    await rejectsWith(c.cat('nope'), InvalidCidError, 'error_invalid_cid');
    await rejectsWith(c.pinRm(''), InvalidCidError, 'error_invalid_cid');
    assert.equal(http.calls.length, 0);
  });
});
