import type { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';

import { withoutUserinfo } from '../errors';
import {
  ProviderAuthError,
  ProviderBlockedBySsrfError,
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnreachableError,
} from './errors';

/**
 * Reading what came back through the engine's HTTP accessor, and turning failures into typed errors.
 * Only an error's message survives the trip from Rocket.Chat's bridge into the app (the Deno runtime
 * rebuilds it from the JSON-RPC error), so thrown errors are classified by their text.
 */

/** Longest provider message passed on to the user. */
const MAX_MESSAGE = 300;

/**
 * The response body as bytes, whichever form the bridge delivered (`Buffer` for `encoding: null`, a string
 * otherwise, or a Buffer that was serialised to JSON on its way).
 */
export function responseBytes(response: IHttpResponse): Uint8Array {
  const content: unknown = response.content;
  if (content instanceof Uint8Array) return content;
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content === undefined || content === null) return new Uint8Array(0);
  const maybe = content as { type?: unknown; data?: unknown };
  if (maybe.type === 'Buffer' && Array.isArray(maybe.data)) return Uint8Array.from(maybe.data as number[]);
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  return Buffer.from(JSON.stringify(content), 'utf8');
}

/** The response body as UTF-8 text. */
export function responseText(response: IHttpResponse): string {
  const content: unknown = response.content;
  if (typeof content === 'string') return content;
  const bytes = responseBytes(response);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The provider's explanation of a failed call: Kubo's JSON `Message`, else the (shortened) text body. */
export function providerMessage(response: IHttpResponse): string {
  const text = responseText(response).trim();
  let message = text;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { Message?: unknown }).Message === 'string') {
      message = (parsed as { Message: string }).Message;
    }
  } catch {
    // Not JSON: some providers and proxies answer with text or HTML.
  }
  message = message.replace(/\s+/g, ' ').trim();
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}…`;
  return message || `HTTP ${response.statusCode}`;
}

/** True for a 2xx status. */
export function isSuccess(response: IHttpResponse): boolean {
  return response.statusCode >= 200 && response.statusCode < 300;
}

/**
 * The typed error for a non-2xx answer: 401/403 → ProviderAuthError, 408/504 → ProviderTimeoutError,
 * anything else → ProviderRejectedError with the provider's message.
 */
export function errorFromResponse(response: IHttpResponse): Error {
  const status = response.statusCode;
  if (status === 401 || status === 403) return new ProviderAuthError(status);
  if (status === 408 || status === 504) return new ProviderTimeoutError(`IPFS provider timed out (HTTP ${status})`);
  return new ProviderRejectedError(status, providerMessage(response));
}

/** What Rocket.Chat's SSRF guard throws (packages/server-fetch); the app's accessor rethrows the message. */
const SSRF_REFUSAL = /error-ssrf-validation-failed/;

/** `host[:port]` of a URL, as Rocket.Chat's SSRF allowlist takes it; '' if it does not parse. */
export function allowlistEntryOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/**
 * The typed error for an HTTP call that threw instead of answering: Rocket.Chat's SSRF guard refusing
 * `url` → ProviderBlockedBySsrfError, a timeout (our own deadline aborting the request) →
 * ProviderTimeoutError, anything else (refused, DNS, reset, TLS) → ProviderUnreachableError. Messages keep
 * no URL credentials.
 */
export function errorFromThrow(err: unknown, url = ''): Error {
  const message = withoutUserinfo(err instanceof Error ? err.message : String(err));
  if (SSRF_REFUSAL.test(message)) return new ProviderBlockedBySsrfError(allowlistEntryOf(url), { cause: err });
  const name = err instanceof Error ? err.name : '';
  // the failing URL is quoted in the message and carries Kubo's own `timeout=` parameter: judge the reason only
  const reason = message.replace(/\bhttps?:\/\/\S+/gi, '');
  if (/abort|timed? ?out|timeout|ETIMEDOUT/i.test(`${name} ${reason}`)) {
    return new ProviderTimeoutError(`IPFS provider timed out: ${message}`, { cause: err });
  }
  return new ProviderUnreachableError(`IPFS provider unreachable: ${message}`, { cause: err });
}
