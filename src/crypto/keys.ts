/**
 * Sub-keys of the file key. The random 32-byte file key is never used directly: each purpose gets its own key
 * from HKDF-SHA256 (RFC 5869) with an empty salt and a distinct label as `info`.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** Length of the file key and of every derived key, in bytes. */
export const KEY_BYTES = 32;

/** HKDF `info` labels (ASCII), one per purpose. */
export const LABELS = Object.freeze({
  headerMac: 'rc-ipfs-storage v1 header-mac',
  metadata: 'rc-ipfs-storage v1 metadata',
  payload: 'rc-ipfs-storage v1 payload',
});

/** The three keys derived from one file key. */
export interface SubKeys {
  headerMac: Uint8Array;
  metadata: Uint8Array;
  payload: Uint8Array;
}

/**
 * Derives the sub-keys of a file key.
 *
 * @param fileKey - the object's 32-byte file key
 * @returns the header-MAC, metadata and payload keys (32 bytes each)
 * @throws {RangeError} if `fileKey` is not 32 bytes
 */
export function deriveSubKeys(fileKey: Uint8Array): SubKeys {
  if (fileKey.length !== KEY_BYTES) throw new RangeError('file key must be 32 bytes');
  const derive = (label: string) => hkdf(sha256, fileKey, new Uint8Array(0), new TextEncoder().encode(label), 32);
  return { headerMac: derive(LABELS.headerMac), metadata: derive(LABELS.metadata), payload: derive(LABELS.payload) };
}

/**
 * Compares two byte arrays in time that depends only on their lengths.
 *
 * @returns true if both have the same length and bytes
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
