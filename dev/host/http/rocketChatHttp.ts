import http from 'node:http';
import https from 'node:https';

import type { IHttp, IHttpRequest, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';

/**
 * What Rocket.Chat's HTTP bridge (apps/meteor/app/apps/server/bridges/http.ts on top of
 * @rocket.chat/server-fetch and node-fetch 2) does with an app's request, re-written on node:http so that
 * tests see the same behaviour:
 * - the body is `content`, else an object `data`; GET/HEAD send none;
 * - `params` go into the URL when there is a body (or for GET/HEAD), otherwise they BECOME the body as
 *   `application/x-www-form-urlencoded` (even when empty: the engine's accessor always sets `params: {}`);
 * - `query` is ignored (the current bridge never reads it);
 * - `auth: "user:pass"` becomes a Basic Authorization header (no colon → throws);
 * - for POST/PUT/DELETE a non-Buffer object body is JSON-stringified (a plain Uint8Array too!) with
 *   `Content-Type: application/json` unless the caller set one; a Buffer is sent as is;
 * - `timeout` (default 3 min) aborts the whole exchange with node-fetch's AbortError;
 * - redirects are followed (up to 20, 301/302 of a POST and 303 turn into GET without body);
 * - any status is a response, not a throw; network failures throw node-fetch-like errors;
 * - `encoding: null` → `content` is the body Buffer; otherwise `content` is the decoded text and `data`
 *   the parsed JSON when the response's content type is JSON-ish (else null).
 * - one connection per request (`Connection: close`, as node-fetch sends without an agent).
 * - `checkUrl` (the host's SSRF guard, dev/host/http/ssrf.ts) vets the first URL and every redirect target, as
 *   server-fetch validates each hop.
 * Not modelled: proxies from the environment, gzip (no Accept-Encoding is sent).
 */

/** Rocket.Chat's default when the app sets no timeout. */
export const DEFAULT_TIMEOUT_MS = 3 * 60 * 1000;
const MAX_REDIRECTS = 20;
const JSON_TYPES = ['application/json', 'text/javascript', 'application/javascript', 'application/x-javascript'];

type Body = string | Buffer | undefined;

function isGetOrHead(method: string): boolean {
  return ['GET', 'HEAD'].includes(method.toUpperCase());
}

/** Builds the body and headers the way the bridge and server-fetch do. */
function prepare(
  method: RequestMethod,
  url: URL,
  request: IHttpRequest,
): { body: Body; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  let content: unknown = request.content;
  if (!content && typeof request.data === 'object') content = request.data;

  if (request.auth) {
    if (request.auth.indexOf(':') < 0) throw new Error('auth option should be of the form "username:password"');
    headers.Authorization = `Basic ${Buffer.from(request.auth, 'ascii').toString('base64')}`;
  }

  let paramsForBody: Record<string, string> | undefined;
  if (content || isGetOrHead(method)) {
    for (const [key, value] of Object.entries(request.params ?? {})) {
      if (value) url.searchParams.append(key, value);
    }
  } else {
    paramsForBody = request.params;
  }
  if (paramsForBody) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(paramsForBody)) form.append(key, value);
    content = form.toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  if (isGetOrHead(method)) content = undefined;

  const contentType = (headers['Content-Type'] || headers['content-type'] || '').toLowerCase();
  const withJsonParser = ['post', 'put', 'delete'].includes(method.toLowerCase());
  if (content != null && typeof content === 'object' && !Buffer.isBuffer(content)) {
    if (withJsonParser && contentType !== 'application/x-www-form-urlencoded') {
      content = JSON.stringify(content);
      if (!headers['Content-Type'] && !headers['content-type']) headers['Content-Type'] = 'application/json';
    } else if (ArrayBuffer.isView(content)) {
      content = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    } else {
      // node-fetch 2 stringifies any other object body ("[object Object]"), and so do we.
      content = Object.prototype.toString.call(content);
    }
  }
  let body: Body;
  if (typeof content === 'string' || Buffer.isBuffer(content)) body = content;
  else if (typeof content === 'number' || content === true) body = String(content);
  if (typeof body === 'string' && !hasHeader(headers, 'content-type'))
    headers['Content-Type'] = 'text/plain;charset=UTF-8';
  return { body, headers };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One exchange without redirects; rejects on network failure or when `signal` fires. */
function exchange(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: Body,
  signal: AbortSignal,
  insecure: boolean,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const outHeaders: Record<string, string> = {
      Accept: '*/*',
      'User-Agent': 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
      // node-fetch 2 without an agent asks for a fresh connection each time (and so avoids stale sockets).
      Connection: 'close',
      ...headers,
    };
    if (body !== undefined) outHeaders['Content-Length'] = String(Buffer.byteLength(body));
    const req = lib.request(
      url,
      {
        method: method.toUpperCase(),
        headers: outHeaders,
        agent: false,
        ...(insecure ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(fetchError(url, err)));
        res.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) });
        });
      },
    );
    const onAbort = (): void => {
      const err = new Error('The user aborted a request.');
      err.name = 'AbortError';
      req.destroy(err);
      reject(err);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => reject(signal.aborted ? err : fetchError(url, err)));
    req.on('close', () => signal.removeEventListener('abort', onAbort));
    req.end(body);
  });
}

function fetchError(url: URL, err: Error & { code?: string }): Error {
  const e = new Error(`request to ${url.href} failed, reason: ${err.message}`) as Error & {
    code?: string;
    type?: string;
  };
  e.name = 'FetchError';
  e.code = err.code;
  e.type = 'system';
  return e;
}

/**
 * Performs an app's HTTP request as Rocket.Chat's AppHttpBridge would.
 * @throws Error for a malformed URL or `auth`, a network failure (`FetchError`, message naming the
 *   reason) or the timeout (`AbortError`, "The user aborted a request.").
 */
export async function performHttpRequest(
  method: RequestMethod,
  url: string,
  request: IHttpRequest,
  checkUrl?: (url: string) => Promise<void>,
): Promise<IHttpResponse> {
  let target = new URL(url);
  const prepared = prepare(method, target, request);
  let { body } = prepared;
  const { headers } = prepared;
  const insecure =
    (Object.prototype.hasOwnProperty.call(request, 'strictSSL') && !request.strictSSL) ||
    (Object.prototype.hasOwnProperty.call(request, 'rejectUnauthorized') && !!request.rejectUnauthorized); // sic: as in Rocket.Chat
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeout || DEFAULT_TIMEOUT_MS);
  let verb: string = method;
  let raw: RawResponse;
  try {
    for (let hops = 0; ; hops++) {
      await checkUrl?.(target.href);
      raw = await exchange(verb, target, headers, body, controller.signal, insecure);
      const location = raw.headers.location;
      if (![301, 302, 303, 307, 308].includes(raw.status) || !location) break;
      if (hops >= MAX_REDIRECTS) throw fetchError(target, new Error('maximum redirect reached'));
      target = new URL(location, target);
      if (raw.status === 303 || ((raw.status === 301 || raw.status === 302) && verb.toUpperCase() === 'POST')) {
        verb = 'GET';
        body = undefined;
        for (const k of Object.keys(headers)) if (/^content-(type|length)$/i.test(k)) delete headers[k];
      }
    }
  } finally {
    clearTimeout(timer);
  }

  const result: IHttpResponse = { url, method, statusCode: raw.status, headers: raw.headers };
  if (request.encoding === null) {
    // As in Rocket.Chat: the engine's type says string, the value is a Buffer.
    result.content = raw.body as unknown as string;
  } else {
    result.content = raw.body.toString((request.encoding as BufferEncoding | undefined) ?? 'utf8');
    const type = (raw.headers['content-type'] || '').split(';')[0];
    result.data = null;
    if (JSON_TYPES.includes(type)) {
      try {
        result.data = JSON.parse(result.content) as unknown;
      } catch {
        result.data = null;
      }
    }
  }
  return result;
}

/**
 * An `IHttp` for Node-side tests that behaves like the app's accessor inside the engine: the request gets
 * `headers: {}` and `params: {}` filled in as the Deno runtime does, the call goes through
 * `performHttpRequest`, and a failure reaches the caller as a plain Error with only the message (all that
 * crosses the engine's JSON-RPC).
 */
export class NodeHttpAccessor implements IHttp {
  get(url: string, options?: IHttpRequest): Promise<IHttpResponse> {
    return this.call(RequestMethod.GET, url, options);
  }
  post(url: string, options?: IHttpRequest): Promise<IHttpResponse> {
    return this.call(RequestMethod.POST, url, options);
  }
  put(url: string, options?: IHttpRequest): Promise<IHttpResponse> {
    return this.call(RequestMethod.PUT, url, options);
  }
  del(url: string, options?: IHttpRequest): Promise<IHttpResponse> {
    return this.call(RequestMethod.DELETE, url, options);
  }
  patch(url: string, options?: IHttpRequest): Promise<IHttpResponse> {
    return this.call(RequestMethod.PATCH, url, options);
  }

  private async call(method: RequestMethod, url: string, options?: IHttpRequest): Promise<IHttpResponse> {
    const request: IHttpRequest = { ...(options ?? {}) };
    request.headers = request.headers ?? {};
    request.params = request.params ?? {};
    try {
      return await performHttpRequest(method, url, request);
    } catch (err) {
      throw new Error(err instanceof Error ? err.message : String(err));
    }
  }
}
