import { UserFacingError, userText } from '../errors';

/** The text is not a CID this app can use (CIDv0 `Qm…`, or CIDv1 in base32 `b…` / base58btc `z…`). */
export class InvalidCidError extends UserFacingError {
  constructor(
    message = 'Invalid CID',
    options?: { cause?: unknown },
    i18nKey = 'error_invalid_cid',
    params: Record<string, string | number> = {},
  ) {
    super(i18nKey, message, params, options);
  }
}

/** The text is far longer than any CID: refused before decoding, with the limit in the message. */
export class CidTooLongError extends InvalidCidError {
  constructor(public readonly max: number) {
    super(`CID text longer than ${max} characters`, undefined, 'error_cid_too_long', { max });
  }
}

/** The provider could not be reached at all: connection refused, DNS failure, connection reset. */
export class ProviderUnreachableError extends UserFacingError {
  constructor(message = 'IPFS provider unreachable', options?: { cause?: unknown }) {
    super('error_provider_unreachable', message, {}, options);
  }
}

/**
 * Rocket.Chat's SSRF guard (8.2+) refused the app's HTTP call: the provider's address is loopback, private or
 * a docker address and not on the workspace's allowlist (setting `SSRF_Allowlist`). Its bridge throws
 * `error-ssrf-validation-failed`, and only that message reaches the app.
 */
export class ProviderBlockedBySsrfError extends UserFacingError {
  constructor(
    /** The provider's `host[:port]`, the value an admin adds to the allowlist. */
    public readonly host: string,
    options?: { cause?: unknown },
  ) {
    super('error_provider_ssrf_blocked', `Rocket.Chat's SSRF protection refused the provider at ${host}`, {}, options);
  }
}

/** Rocket.Chat's id of the allowlist setting its SSRF guard reads (apps/meteor/app/apps/server/bridges/http.ts). */
export const SSRF_ALLOWLIST_SETTING = 'SSRF_Allowlist';

/** The provider did not answer within the configured timeout. */
export class ProviderTimeoutError extends UserFacingError {
  constructor(message = 'IPFS provider timed out', options?: { cause?: unknown }) {
    super('error_provider_timeout', message, {}, options);
  }
}

/** The provider refused our credentials (HTTP 401 or 403). */
export class ProviderAuthError extends UserFacingError {
  constructor(
    public readonly statusCode: number,
    message = `IPFS provider refused the credentials (HTTP ${statusCode})`,
  ) {
    super('error_provider_auth', message);
  }
}

/**
 * The provider answered with an error. `params.message` is its own explanation (Kubo's JSON `Message`,
 * or the start of a text body), shown to the user as is.
 */
export class ProviderRejectedError extends UserFacingError {
  constructor(
    public readonly statusCode: number,
    /** The provider's own words: its text, shown literally. */
    public readonly providerMessage: string,
  ) {
    super('error_provider_rejected', `IPFS provider rejected the request (HTTP ${statusCode}): ${providerMessage}`, {
      message: userText(providerMessage),
    });
  }
}

/** The provider could not find the content of a CID within the timeout. */
export class ContentNotFoundError extends UserFacingError {
  constructor(cid: string, options?: { cause?: unknown }) {
    super('error_content_not_found', `Content not found for ${cid}`, {}, options);
  }
}

/**
 * Content and CID disagree: the provider reported another CID than we computed for what we sent, or it
 * returned bytes that do not hash to the CID we asked for.
 */
export class CidMismatchError extends UserFacingError {
  constructor(
    public readonly expected: string,
    public readonly actual: string,
    /** Where in a DAG the wrong block sits, e.g. `block 3 (bytes 2097152–3145727)`, when known. */
    public readonly where?: string,
  ) {
    super('error_cid_mismatch', `CID mismatch${where ? ` at ${where}` : ''}: expected ${expected}, got ${actual}`);
  }
}

/**
 * A CID names something that is not a file DAG this app can read: an unknown codec or UnixFS type, sizes
 * that do not add up, a tree deeper or wider than its size needs, or a block that does not decode.
 */
export class InvalidDagError extends UserFacingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('error_invalid_dag', `Invalid DAG: ${message}`, {}, options);
  }
}
