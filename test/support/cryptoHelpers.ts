/** Small helpers shared by the crypto unit tests. */
import { ChunkDecryptor, HEADER_PROBE_BYTES, parseHeader, unlockHeader, type FileMetadata } from '../../src/crypto';

/**
 * A cheap KDF for tests (readers accept low costs). Kept tiny because tsx, loading test files as CommonJS,
 * transpiles @noble/hashes into a form whose scrypt runs ~6x slower than the ESM original or a bundle.
 */
export const FAST_KDF = { logN: 6, r: 1, p: 1 };

/** Deterministic PRNG (xorshift32) so a failing randomized test can be replayed from its seed. */
export function prng(seed: number): (max: number) => number {
  let s = seed >>> 0 || 1;
  return (max) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % max;
  };
}

/** Non-repeating, non-random-looking content: 16-byte windows are all distinct and easy to search for. */
export function textLike(size: number): Uint8Array {
  const out = new Uint8Array(size);
  const words = new TextEncoder().encode(
    Array.from({ length: 4096 }, (_, i) => `line ${i} of the secret memo; `).join(''),
  );
  for (let i = 0; i < size; i++) out[i] = words[i % words.length];
  return out;
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Decrypts through the streaming path: header probe, unlock, then the payload in pieces of `pieceSize`. */
export function streamDecrypt(
  object: Uint8Array,
  password: string,
  pieceSize: number,
): { metadata: FileMetadata; plaintext: Uint8Array } {
  const unlocked = unlockHeader(parseHeader(object.subarray(0, HEADER_PROBE_BYTES)), password);
  const dec = new ChunkDecryptor(unlocked);
  const out: Uint8Array[] = [];
  const payload = object.subarray(unlocked.header.headerLength);
  for (let off = 0; off < payload.length; off += pieceSize) out.push(dec.push(payload.subarray(off, off + pieceSize)));
  out.push(dec.finish());
  return { metadata: unlocked.metadata, plaintext: concat(out) };
}

/** Same bytes? (assert.deepEqual on multi-MB arrays is slow and prints huge diffs) */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
