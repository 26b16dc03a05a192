import { base32 } from 'multiformats/bases/base32';
import { base58btc } from 'multiformats/bases/base58';

/**
 * The two multibase encodings CIDs come in, without their prefix: base32 (RFC 4648 lower case, no padding;
 * prefix `b`) and base58btc (Bitcoin alphabet; prefix `z`, and bare for CIDv0). multiformats does the work;
 * this file adds the length limit and case-insensitive base32 decoding.
 */

/**
 * Longest text either decoder accepts: these decoders serve CIDs (at most ~110 characters) only, and base58
 * decoding costs the square of the length, so longer input is refused before any work.
 */
export const MAX_DECODE_CHARS = 256;

function checkLength(text: string): void {
  if (text.length > MAX_DECODE_CHARS) throw new RangeError(`more than ${MAX_DECODE_CHARS} characters to decode`);
}

/** Base32 lower case without padding (no multibase prefix). */
export function encodeBase32(bytes: Uint8Array): string {
  return base32.baseEncode(bytes);
}

/**
 * Decodes base32 (either case, no padding, no prefix).
 * @throws SyntaxError on a character outside the alphabet or non-zero trailing bits.
 * @throws RangeError for more than {@link MAX_DECODE_CHARS} characters.
 */
export function decodeBase32(text: string): Uint8Array {
  checkLength(text);
  return base32.baseDecode(text.toLowerCase());
}

/** Base58btc (no prefix). */
export function encodeBase58(bytes: Uint8Array): string {
  return base58btc.baseEncode(bytes);
}

/**
 * Decodes base58btc (no prefix).
 * @throws Error on a character outside the alphabet.
 * @throws RangeError for more than {@link MAX_DECODE_CHARS} characters.
 */
export function decodeBase58(text: string): Uint8Array {
  checkLength(text);
  return base58btc.baseDecode(text);
}
