/**
 * The scrypt of Node's `crypto` (also what the app's Deno sandbox offers as a built-in): native code on a worker
 * thread, so the caller's thread stays free. Imported only where `crypto` exists — the app's wiring and the
 * command-line opener — never by code the browser page bundles.
 */
import { scrypt } from 'crypto';
import type { ScryptInputs } from './kdf';

/** scrypt of exactly `inputs`, off the calling thread; its memory (128·N·r bytes) is freed when it returns. */
export function nativeScrypt(inputs: ScryptInputs): Promise<Uint8Array> {
  const maxmem = 128 * inputs.N * inputs.r + 128 * inputs.r * inputs.p + 16 * 1048576;
  return new Promise((resolve, reject) => {
    scrypt(inputs.password, inputs.salt, inputs.dkLen, { N: inputs.N, r: inputs.r, p: inputs.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)),
    );
  });
}
