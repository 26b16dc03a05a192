import { cidToBytes, type Cid } from './cid';
import { varintLength, writeVarint } from './varint';

/**
 * CARv1 files (https://ipld.io/specs/transport/car/carv1/) holding a few blocks, for Kubo RPC `dag/import`.
 * The header is the fixed dag-cbor map `{roots: [CID…], version: 1}`; each block follows as
 * varint(length) · binary CID · bytes.
 */

/** A block to carry: its CID and exactly the bytes that hash to it. */
export interface CarBlock {
  cid: Cid;
  bytes: Uint8Array;
}

/** dag-cbor head of a major type with a length argument (only the sizes a header needs). */
function cborHead(out: number[], major: number, length: number): void {
  if (length < 24) out.push((major << 5) | length);
  else if (length < 0x100) out.push((major << 5) | 24, length);
  else if (length < 0x10000) out.push((major << 5) | 25, length >> 8, length & 0xff);
  else throw new RangeError('CAR header value too long');
}

function cborText(out: number[], text: string): void {
  cborHead(out, 3, text.length);
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
}

/** The header block: dag-cbor `{"roots": [tag 42 (0x00 · CID)…], "version": 1}` (keys in canonical order). */
function encodeHeader(roots: readonly Cid[]): number[] {
  const out: number[] = [];
  cborHead(out, 5, 2);
  cborText(out, 'roots');
  cborHead(out, 4, roots.length);
  for (const root of roots) {
    const cid = cidToBytes(root);
    out.push(0xd8, 42);
    cborHead(out, 2, cid.length + 1);
    out.push(0);
    for (const b of cid) out.push(b);
  }
  cborText(out, 'version');
  out.push(1);
  return out;
}

/**
 * Encodes `blocks` into one CARv1. Importers want at least one root; the root need not be in the file
 * (import without pinning roots ignores it).
 * @throws RangeError if `roots` is empty.
 */
export function encodeCar(roots: readonly Cid[], blocks: readonly CarBlock[]): Uint8Array {
  if (roots.length === 0) throw new RangeError('a CAR needs a root');
  const header = encodeHeader(roots);
  const prefix: number[] = [];
  writeVarint(prefix, header.length);
  let total = prefix.length + header.length;
  const cids = blocks.map((b) => cidToBytes(b.cid));
  blocks.forEach((b, i) => {
    const len = cids[i].length + b.bytes.length;
    total += varintLength(len) + len;
  });
  const out = new Uint8Array(total);
  out.set(prefix, 0);
  out.set(header, prefix.length);
  let at = prefix.length + header.length;
  blocks.forEach((b, i) => {
    const head: number[] = [];
    writeVarint(head, cids[i].length + b.bytes.length);
    out.set(head, at);
    at += head.length;
    out.set(cids[i], at);
    at += cids[i].length;
    out.set(b.bytes, at);
    at += b.bytes.length;
  });
  return out;
}
