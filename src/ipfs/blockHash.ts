import { sha256 as portableSha256 } from '@noble/hashes/sha2.js';

/** A SHA-256 function: bytes in, 32-byte digest out. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

let blockHasher: Sha256 = portableSha256;

/**
 * SHA-256 of one block, as CIDs name it. Every byte stored or read passes through here, so the speed matters: the
 * portable hash (@noble/hashes) runs about 80 MiB/s in the app's Deno sandbox, the runtime's native one about
 * 700 MiB/s. Code shared with the browser page cannot import `crypto`, so the app installs the native hash at
 * load time with {@link useBlockHasher}; everything else gets the portable one.
 */
export function blockSha256(bytes: Uint8Array): Uint8Array {
  return blockHasher(bytes);
}

/** Installs a faster SHA-256 for {@link blockSha256} (it must give the same digests: checked once, here). */
export function useBlockHasher(hasher: Sha256): void {
  const probe = new TextEncoder().encode('ipfs-storage block hash probe');
  const expected = portableSha256(probe);
  const actual = hasher(probe);
  if (actual.length !== expected.length || actual.some((byte, i) => byte !== expected[i])) {
    throw new Error('the installed SHA-256 disagrees with the portable one');
  }
  blockHasher = hasher;
}
