/**
 * The two multibase encodings CIDs come in: base32 (RFC 4648 lower case, no padding; prefix `b`) and
 * base58btc (Bitcoin alphabet; prefix `z`, and bare for CIDv0).
 */

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function reverseTable(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}
const BASE32_REV = reverseTable(BASE32);
const BASE58_REV = reverseTable(BASE58);

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
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes base32 (either case, no padding, no prefix).
 * @throws SyntaxError on a character outside the alphabet or non-zero trailing bits.
 * @throws RangeError for more than {@link MAX_DECODE_CHARS} characters.
 */
export function decodeBase32(text: string): Uint8Array {
  checkLength(text);
  const s = text.toLowerCase();
  const out = new Uint8Array(Math.floor((s.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? BASE32_REV[c] : -1;
    if (v < 0) throw new SyntaxError('invalid base32 character');
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[j++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  if (bits >= 5 || (buffer & ((1 << bits) - 1)) !== 0) throw new SyntaxError('invalid base32 padding bits');
  return out;
}

/** Base58btc (no prefix). */
export function encodeBase58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let k = 0; k < digits.length; k++) {
      carry += digits[k] << 8;
      digits[k] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '1'.repeat(zeros);
  for (let k = digits.length - 1; k >= 0; k--) out += BASE58[digits[k]];
  return out;
}

/**
 * Decodes base58btc (no prefix).
 * @throws SyntaxError on a character outside the alphabet.
 * @throws RangeError for more than {@link MAX_DECODE_CHARS} characters.
 */
export function decodeBase58(text: string): Uint8Array {
  checkLength(text);
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const bytes: number[] = [];
  for (let i = zeros; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let carry = c < 128 ? BASE58_REV[c] : -1;
    if (carry < 0) throw new SyntaxError('invalid base58 character');
    for (let k = 0; k < bytes.length; k++) {
      carry += bytes[k] * 58;
      bytes[k] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let k = 0; k < bytes.length; k++) out[out.length - 1 - k] = bytes[k];
  return out;
}
