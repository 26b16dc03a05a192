import * as CarBufferWriter from '@ipld/car/buffer-writer';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { equals } from 'multiformats/bytes';

import type { CarBlock } from '../../src/ipfs/car';
import { fromLibraryCid, toLibraryCid, type Cid } from '../../src/ipfs/cid';
import type { DecodedFileNode, FileLink } from '../../src/ipfs/dagpb';

/**
 * What src/ipfs/dagpb.ts and car.ts would be on @ipld/dag-pb, ipfs-unixfs and @ipld/car, same API and same
 * checks, kept for the benchmark (dev/bench/ipfsLibs.ts) that weighs them against ours. They do not ship: the
 * project's Node tools cannot load these ESM-only packages (docs/PERFORMANCE.md, "IPFS libraries").
 */

/** encodeFileNode through @ipld/dag-pb + ipfs-unixfs. */
export function encodeFileNodeWithLibs(links: readonly FileLink[]): Uint8Array {
  const data = new UnixFS({ type: 'file', blockSizes: links.map((l) => BigInt(l.contentSize)) }).marshal();
  return dagPb.encode({
    Data: data,
    Links: links.map((l) => ({ Hash: toLibraryCid(l.cid), Name: '', Tsize: l.tsize })),
  });
}

const TYPE_NUMBERS: Record<string, number> = { raw: 0, directory: 1, file: 2, metadata: 3, symlink: 4 };

/**
 * decodeFileNode through the libraries. ipfs-unixfs reads a missing or unknown Type as `file` and recomputes
 * `filesize`, so the checks ours makes need a round trip: the message must re-encode to itself.
 */
export function decodeFileNodeWithLibs(bytes: Uint8Array): DecodedFileNode {
  const node = dagPb.decode(bytes);
  if (!node.Data) throw new RangeError('dag-pb node without UnixFS data');
  const links = node.Links.map((l) => fromLibraryCid(l.Hash));
  const unixfs = UnixFS.unmarshal(node.Data);
  if (!equals(unixfs.marshal(), node.Data)) throw new RangeError('UnixFS data not in canonical form');
  return {
    links,
    type: TYPE_NUMBERS[unixfs.type] ?? -1,
    data: unixfs.data ?? new Uint8Array(0),
    filesize: Number(unixfs.fileSize()),
    blocksizes: unixfs.blockSizes.map(Number),
  };
}

/** encodeCar through @ipld/car's buffer writer (one buffer of the exact size). */
export function encodeCarWithLibs(roots: readonly Cid[], blocks: readonly CarBlock[]): Uint8Array {
  const libRoots = roots.map(toLibraryCid);
  const libBlocks = blocks.map((b) => ({ cid: toLibraryCid(b.cid), bytes: b.bytes }));
  const total = libBlocks.reduce(
    (sum, b) => sum + CarBufferWriter.blockLength(b),
    CarBufferWriter.headerLength({ roots: libRoots }),
  );
  const writer = CarBufferWriter.createWriter(new ArrayBuffer(total), { roots: libRoots });
  for (const b of libBlocks) writer.write(b);
  return writer.close();
}
