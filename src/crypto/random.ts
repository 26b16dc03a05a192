/**
 * The only source of randomness for the crypto code. Inside the Apps-Engine sandbox `globalThis` is undefined,
 * so libraries that look for `globalThis.crypto` fail; the bare global `crypto` works there and in Node 20.
 */

/** The part of the Web Crypto global this module uses (declared here: the project's Node 16 types lack it). */
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

/** Web Crypto refuses requests above this many bytes, so larger requests are filled piece by piece. */
const MAX_PIECE = 65536;

/** A function returning `n` fresh random bytes; injectable for deterministic test vectors. */
export type RandomSource = (n: number) => Uint8Array;

/**
 * Returns `n` cryptographically secure random bytes from `crypto.getRandomValues`.
 *
 * @param n - number of bytes, a non-negative integer
 * @returns a new array of `n` random bytes
 * @throws {RangeError} if `n` is not a non-negative safe integer
 * @throws {Error} if the platform offers no `crypto.getRandomValues`
 */
export function randomBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`randomBytes: bad length ${n}`);
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += MAX_PIECE) {
    crypto.getRandomValues(out.subarray(off, Math.min(n, off + MAX_PIECE)));
  }
  return out;
}
