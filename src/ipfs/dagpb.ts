import { CODEC_DAG_PB, HASH_SHA2_256, cidFromBytes, cidToBytes, type Cid } from './cid';
import { readVarint, varintLength, writeVarint } from './varint';

/**
 * The one dag-pb node shape a UnixFS file needs: a `file` node linking to its children, in the canonical
 * encoding Kubo and js-ipfs produce (PBNode.Links before PBNode.Data, every link with an empty Name), and a
 * decoder for the file nodes a reader walks.
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

/** UnixFS `Data.Type` values a file's DAG may use. */
export const UNIXFS_TYPE = { raw: 0, file: UNIXFS_TYPE_FILE } as const;

/** What a reader needs of a dag-pb UnixFS node. */
export interface DecodedFileNode {
  /** Children in order. */
  links: Cid[];
  /** UnixFS `Type` (see {@link UNIXFS_TYPE}; anything else is not a file). */
  type: number;
  /** Inline file bytes of this node (UnixFS `Data`), before its children's; usually empty. */
  data: Uint8Array;
  /** UnixFS `filesize`, if present. */
  filesize: number | undefined;
  /** UnixFS `blocksizes`: content bytes under each child. */
  blocksizes: number[];
}

/** Calls `field` for each protobuf field of `bytes`; skips fixed-width fields. */
function eachField(
  bytes: Uint8Array,
  field: (num: number, wire: number, value: number, body: Uint8Array | undefined) => void,
): void {
  let i = 0;
  while (i < bytes.length) {
    const key = readVarint(bytes, i);
    const num = Math.floor(key.value / 8);
    const wire = key.value % 8;
    i = key.next;
    if (wire === WIRE_VARINT) {
      const v = readVarint(bytes, i);
      i = v.next;
      field(num, wire, v.value, undefined);
    } else if (wire === WIRE_BYTES) {
      const len = readVarint(bytes, i);
      const end = len.next + len.value;
      if (end > bytes.length) throw new RangeError('field runs past the end');
      i = end;
      field(num, wire, len.value, bytes.subarray(len.next, end));
    } else if (wire === 1 || wire === 5) {
      i += wire === 1 ? 8 : 4;
      if (i > bytes.length) throw new RangeError('field runs past the end');
    } else {
      throw new RangeError(`unsupported protobuf wire type ${wire}`);
    }
  }
}

/** A link's Hash: binary CIDv1, or a bare sha2-256 multihash (CIDv0). */
function linkCid(hash: Uint8Array): Cid {
  if (hash.length === 34 && hash[0] === 0x12 && hash[1] === 0x20) {
    return { version: 0, codec: CODEC_DAG_PB, hashCode: HASH_SHA2_256, digest: hash.slice(2) };
  }
  return cidFromBytes(hash);
}

/**
 * Decodes a dag-pb block holding a UnixFS node: its links and the UnixFS fields a file reader uses.
 * @throws RangeError | InvalidCidError for malformed protobuf, a link without a CID, or missing UnixFS data.
 */
export function decodeFileNode(bytes: Uint8Array): DecodedFileNode {
  const links: Cid[] = [];
  let unixfs: Uint8Array | undefined;
  eachField(bytes, (num, wire, _value, body) => {
    if (num === 2 && body) {
      let hash: Uint8Array | undefined;
      eachField(body, (n, _w, _v, b) => {
        if (n === 1 && b) hash = b;
      });
      if (!hash) throw new RangeError('link without a Hash');
      links.push(linkCid(hash));
    } else if (num === 1 && body) {
      unixfs = body;
    } else {
      throw new RangeError(`unexpected dag-pb field ${num} (wire ${wire})`);
    }
  });
  if (!unixfs) throw new RangeError('dag-pb node without UnixFS data');
  const node: DecodedFileNode = { links, type: -1, data: new Uint8Array(0), filesize: undefined, blocksizes: [] };
  eachField(unixfs, (num, wire, value, body) => {
    if (num === 1 && wire === WIRE_VARINT) node.type = value;
    else if (num === 2 && body) node.data = body;
    else if (num === 3 && wire === WIRE_VARINT) node.filesize = value;
    else if (num === 4 && wire === WIRE_VARINT) node.blocksizes.push(value);
    else if (num === 4 && body) {
      // packed form, which some encoders write
      for (let i = 0; i < body.length;) {
        const v = readVarint(body, i);
        node.blocksizes.push(v.value);
        i = v.next;
      }
    }
  });
  return node;
}
