import crypto from 'node:crypto';
import type { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';

/** Raw IPFS from Node (no engine): add of `size` random bytes, then a cat of what was added. */
export async function rawAddCat(ipfs: KuboRpcClient, size: number): Promise<{ addMs: number; catMs: number }> {
  // fresh random bytes: the same bytes twice would let the node skip storing the blocks again
  const bytes = crypto.randomBytes(size);
  let t = performance.now();
  const cid = await ipfs.add(bytes);
  const addMs = performance.now() - t;
  t = performance.now();
  const back = await ipfs.cat(cid);
  const catMs = performance.now() - t;
  if (back.length !== size) throw new Error(`raw cat returned ${back.length} of ${size} bytes`);
  return { addMs: Math.round(addMs), catMs: Math.round(catMs) };
}
