import { CidTooLongError, InvalidCidError } from './errors';
import { decodeBase32, decodeBase58, encodeBase32 } from './multibase';
import { readVarint, writeVarint } from './varint';

/** Multicodec of a raw block (a file's leaf with `raw-leaves=true`). */
export const CODEC_RAW = 0x55;
/** Multicodec of a dag-pb block (UnixFS nodes; every CIDv0). */
export const CODEC_DAG_PB = 0x70;
/** Multihash code of sha2-256. */
export const HASH_SHA2_256 = 0x12;

/** A parsed content identifier. Compare with `cidEquals`, print with `formatCid`. */
export interface Cid {
  /** 0 for `Qm…` (always dag-pb + sha2-256), 1 otherwise. */
  readonly version: 0 | 1;
  /** Multicodec of the block's format. */
  readonly codec: number;
  /** Multihash function code. */
  readonly hashCode: number;
  /** The hash digest itself. */
  readonly digest: Uint8Array;
}

/** Longest digest accepted (sha2-512 is 64 bytes): anything longer is not a CID we could have made. */
const MAX_DIGEST = 64;

/**
 * Longest CID text accepted: a CIDv1 of a 64-byte digest is ~110 characters in base32, ~100 in base58.
 * Checked before decoding, because base58 decoding costs the square of the length (100 000 characters ≈ 4 s).
 */
export const MAX_CID_CHARS = 128;

/** A CIDv1 of a sha2-256 digest. */
export function cidV1Sha256(codec: number, digest: Uint8Array): Cid {
  return { version: 1, codec, hashCode: HASH_SHA2_256, digest };
}

/** Binary CIDv1 form: version, codec, multihash (code, length, digest), each a varint but the digest. */
export function cidToBytes(cid: Cid): Uint8Array {
  const head: number[] = [];
  writeVarint(head, 1);
  writeVarint(head, cid.codec);
  writeVarint(head, cid.hashCode);
  writeVarint(head, cid.digest.length);
  const out = new Uint8Array(head.length + cid.digest.length);
  out.set(head, 0);
  out.set(cid.digest, head.length);
  return out;
}

/** Reads a multihash that must span exactly `bytes` from `offset`. */
function readMultihash(bytes: Uint8Array, offset: number): { hashCode: number; digest: Uint8Array } {
  const code = readVarint(bytes, offset);
  const len = readVarint(bytes, code.next);
  if (len.value > MAX_DIGEST || len.next + len.value !== bytes.length) {
    throw new RangeError('multihash length does not match');
  }
  return { hashCode: code.value, digest: bytes.slice(len.next) };
}

/**
 * Parses a CID as users and providers write it: CIDv0 (`Qm…`, base58btc sha2-256 dag-pb) or CIDv1 with
 * multibase prefix `b`/`B` (base32) or `z` (base58btc). Surrounding whitespace is ignored.
 * @throws CidTooLongError (an InvalidCidError) for text over {@link MAX_CID_CHARS}, before any decoding.
 * @throws InvalidCidError for anything else (empty, other bases, bad characters, bad lengths).
 */
export function parseCid(text: string): Cid {
  const s = typeof text === 'string' ? text.trim() : '';
  if (s.length === 0) throw new InvalidCidError('Empty CID');
  if (s.length > MAX_CID_CHARS) throw new CidTooLongError(MAX_CID_CHARS);
  try {
    if (s.length === 46 && s.startsWith('Qm')) {
      const mh = readMultihash(decodeBase58(s), 0);
      if (mh.hashCode !== HASH_SHA2_256 || mh.digest.length !== 32) throw new RangeError('CIDv0 must be sha2-256');
      return { version: 0, codec: CODEC_DAG_PB, ...mh };
    }
    let bytes: Uint8Array;
    if (s[0] === 'b' || s[0] === 'B') bytes = decodeBase32(s.slice(1));
    else if (s[0] === 'z') bytes = decodeBase58(s.slice(1));
    else throw new SyntaxError('unsupported multibase prefix');
    return readCidV1(bytes);
  } catch (err) {
    throw invalid(err);
  }
}

/**
 * Parses the binary CIDv1 form that {@link cidToBytes} writes (version, codec and multihash, nothing after it).
 * @throws InvalidCidError for anything else (empty, another version, truncated or trailing bytes).
 */
export function cidFromBytes(bytes: Uint8Array): Cid {
  try {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('not bytes');
    return readCidV1(bytes);
  } catch (err) {
    throw invalid(err);
  }
}

/** Reads a binary CIDv1 spanning all of `bytes`; throws plain errors (callers wrap them). */
function readCidV1(bytes: Uint8Array): Cid {
  const version = readVarint(bytes, 0);
  if (version.value !== 1) throw new RangeError(`unsupported CID version ${version.value}`);
  const codec = readVarint(bytes, version.next);
  return { version: 1, codec: codec.value, ...readMultihash(bytes, codec.next) };
}

function invalid(err: unknown): InvalidCidError {
  if (err instanceof InvalidCidError) return err;
  return new InvalidCidError(`Invalid CID: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** True when both name the same block: same codec and multihash (so `Qm…` equals its CIDv1 dag-pb form). */
export function cidEquals(a: Cid, b: Cid): boolean {
  if (a.codec !== b.codec || a.hashCode !== b.hashCode || a.digest.length !== b.digest.length) return false;
  for (let i = 0; i < a.digest.length; i++) if (a.digest[i] !== b.digest[i]) return false;
  return true;
}

/** The CIDv1 base32 string (`b…`), whatever version was parsed. */
export function formatCid(cid: Cid): string {
  return 'b' + encodeBase32(cidToBytes(cid));
}
