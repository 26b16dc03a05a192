import { cidToBytes, type Cid } from './cid';
import { varintLength, writeVarint } from './varint';

/**
 * The one dag-pb node shape a UnixFS file needs: a `file` node linking to its children, in the canonical
 * encoding Kubo and js-ipfs produce (PBNode.Links before PBNode.Data, every link with an empty Name).
 */

/** A child of a file node. */
export interface FileLink {
  cid: Cid;
  /** Total bytes of the child's DAG (its block plus everything below it): PBLink.Tsize. */
  tsize: number;
  /** Bytes of file content under the child: the UnixFS `blocksizes` entry. */
  contentSize: number;
}

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const UNIXFS_TYPE_FILE = 2;

function tag(out: number[], field: number, wire: number): void {
  writeVarint(out, (field << 3) | wire);
}

/** UnixFS `Data` message of a non-leaf file node: Type=file, filesize, one `blocksizes` entry per child. */
function encodeUnixfsFileData(links: readonly FileLink[]): number[] {
  const out: number[] = [];
  tag(out, 1, WIRE_VARINT);
  writeVarint(out, UNIXFS_TYPE_FILE);
  tag(out, 3, WIRE_VARINT);
  writeVarint(
    out,
    links.reduce((sum, l) => sum + l.contentSize, 0),
  );
  // proto2 `repeated uint64 blocksizes = 4` is not packed: one tag per entry.
  for (const l of links) {
    tag(out, 4, WIRE_VARINT);
    writeVarint(out, l.contentSize);
  }
  return out;
}

/**
 * Encodes a dag-pb UnixFS file node over `links`.
 * @throws RangeError if a size is not a safe non-negative integer.
 */
export function encodeFileNode(links: readonly FileLink[]): Uint8Array {
  const out: number[] = [];
  for (const l of links) {
    const hash = cidToBytes(l.cid);
    // PBLink: Hash (1), Name (2, empty), Tsize (3).
    const body = 1 + varintLength(hash.length) + hash.length + 2 + 1 + varintLength(l.tsize);
    tag(out, 2, WIRE_BYTES);
    writeVarint(out, body);
    tag(out, 1, WIRE_BYTES);
    writeVarint(out, hash.length);
    for (const b of hash) out.push(b);
    tag(out, 2, WIRE_BYTES);
    out.push(0);
    tag(out, 3, WIRE_VARINT);
    writeVarint(out, l.tsize);
  }
  const data = encodeUnixfsFileData(links);
  tag(out, 1, WIRE_BYTES);
  writeVarint(out, data.length);
  for (const b of data) out.push(b);
  return Uint8Array.from(out);
}
