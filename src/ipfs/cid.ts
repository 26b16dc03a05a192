import { base32 } from 'multiformats/bases/base32';
import { base58btc } from 'multiformats/bases/base58';
import { equals } from 'multiformats/bytes';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';

import { CidTooLongError, InvalidCidError } from './errors';

/**
 * CIDs as plain records, parsed and written by multiformats (the IPFS world's reference implementation). The
 * record stays our API so callers never depend on the library's class; this file adds the checks the library
 * leaves to its callers: a length limit before decoding, the bases users may write, digests of at most 64
 * bytes, exact codes only (a varint past 2^53 decodes to a rounded number there) and canonical bytes.
 */

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

/**
 * The library's CIDv1 for `cid` (a CIDv0 becomes its CIDv1 dag-pb form), for the libraries' encoders.
 * @throws Error if a code is not a safe non-negative integer.
 */
export function toLibraryCid(cid: Cid): CID {
  return CID.createV1(cid.codec, Digest.create(cid.hashCode, cid.digest));
}

/**
 * Our record of a CID the library decoded, refusing what {@link parseCid} and {@link cidFromBytes} refuse.
 * @throws RangeError for a digest over 64 bytes, a CIDv0 that is not a 32-byte sha2-256, or a code past 2^53
 *   (the library decodes such a varint to a rounded number and carries on).
 */
export function fromLibraryCid(cid: CID): Cid {
  const { code: hashCode, digest } = cid.multihash;
  if (!Number.isSafeInteger(cid.code) || !Number.isSafeInteger(hashCode)) throw new RangeError('code past 2^53');
  if (digest.length > MAX_DIGEST) throw new RangeError('multihash digest longer than 64 bytes');
  if (cid.version === 0) {
    if (hashCode !== HASH_SHA2_256 || digest.length !== 32) throw new RangeError('CIDv0 must be sha2-256');
  } else if (cid.version !== 1) {
    throw new RangeError(`unsupported CID version ${String(cid.version)}`);
  }
  return { version: cid.version, codec: cid.code, hashCode, digest };
}

/** Binary CIDv1 form: version, codec, multihash (code, length, digest), each a varint but the digest. */
export function cidToBytes(cid: Cid): Uint8Array {
  return toLibraryCid(cid).bytes;
}

/**
 * Parses a CID as users and providers write it: CIDv0 (`Qm…`, base58btc sha2-256 dag-pb) or CIDv1 with
 * multibase prefix `b`/`B` (base32, either case) or `z` (base58btc). Surrounding whitespace is ignored.
 * @throws CidTooLongError (an InvalidCidError) for text over {@link MAX_CID_CHARS}, before any decoding.
 * @throws InvalidCidError for anything else (empty, other bases, bad characters, bad lengths).
 */
export function parseCid(text: string): Cid {
  const s = typeof text === 'string' ? text.trim() : '';
  if (s.length === 0) throw new InvalidCidError('Empty CID');
  if (s.length > MAX_CID_CHARS) throw new CidTooLongError(MAX_CID_CHARS);
  try {
    if (s.length === 46 && s.startsWith('Qm')) {
      const cid = CID.parse(s, base58btc);
      if (cid.version !== 0) throw new RangeError('not a CIDv0');
      return fromLibraryCid(cid);
    }
    // base32 in either case, as before the library: users retype CIDs
    if (s[0] === 'b' || s[0] === 'B') return readCidV1(base32.baseDecode(s.slice(1).toLowerCase()));
    if (s[0] === 'z') return readCidV1(base58btc.decode(s));
    throw new SyntaxError('unsupported multibase prefix');
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
  const cid = CID.decode(bytes);
  if (cid.version !== 1) throw new RangeError(`unsupported CID version ${cid.version}`);
  const ours = fromLibraryCid(cid);
  // the library's bytes are re-encoded: only the canonical form reads back as itself
  if (!equals(cid.bytes, bytes)) throw new RangeError('CID bytes are not in canonical form');
  return ours;
}

function invalid(err: unknown): InvalidCidError {
  if (err instanceof InvalidCidError) return err;
  return new InvalidCidError(`Invalid CID: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** True when both name the same block: same codec and multihash (so `Qm…` equals its CIDv1 dag-pb form). */
export function cidEquals(a: Cid, b: Cid): boolean {
  return a.codec === b.codec && a.hashCode === b.hashCode && equals(a.digest, b.digest);
}

/** The CIDv1 base32 string (`b…`), whatever version was parsed. */
export function formatCid(cid: Cid): string {
  return toLibraryCid(cid).toString(base32);
}
