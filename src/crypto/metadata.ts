/**
 * The metadata block: file name, media type, size and the previous version's CID in a FIXED-size record, so
 * that the encrypted header has the same length for every object and leaks nothing about the name.
 */
import { CorruptObjectError } from './errors';

/** What the object says about the file it holds. */
export interface FileMetadata {
  name: string;
  mediaType: string;
  size: number;
  /** Binary CID (as `cidToBytes` makes it, 1…64 bytes) of the version this object replaces; absent for a first version. */
  previousCid?: Uint8Array;
}

/** Longest file name, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 1024;
/** Longest media type, in UTF-8 bytes. */
export const MAX_MEDIA_TYPE_BYTES = 255;
/** Longest previous-version CID, in bytes (a sha2-256 CIDv1 takes 36). */
export const MAX_PREVIOUS_CID_BYTES = 64;

// size u64 | nameLen u16 | mediaTypeLen u8 | name[1024] | mediaType[255] | prevLen u8 | previousCid[64]
const NAME_OFF = 11;
const TYPE_OFF = NAME_OFF + MAX_NAME_BYTES; // 1035
const PREV_LEN_OFF = TYPE_OFF + MAX_MEDIA_TYPE_BYTES; // 1290
const PREV_OFF = PREV_LEN_OFF + 1; // 1291
/** Length of the plaintext metadata record. */
export const METADATA_BLOCK_BYTES = PREV_OFF + MAX_PREVIOUS_CID_BYTES; // 1355

/**
 * Encodes metadata into the fixed-size record (unused bytes are zero).
 *
 * @param meta - name, media type and size of the file
 * @returns a new {@link METADATA_BLOCK_BYTES}-byte record
 * @throws {RangeError} if the name or media type is too long, the size is not a non-negative safe integer, or
 *   `previousCid` is empty or longer than {@link MAX_PREVIOUS_CID_BYTES}
 */
export function encodeMetadata(meta: FileMetadata): Uint8Array {
  const name = new TextEncoder().encode(meta.name);
  const type = new TextEncoder().encode(meta.mediaType);
  if (name.length > MAX_NAME_BYTES) throw new RangeError(`file name longer than ${MAX_NAME_BYTES} UTF-8 bytes`);
  if (type.length > MAX_MEDIA_TYPE_BYTES) throw new RangeError(`media type longer than ${MAX_MEDIA_TYPE_BYTES} bytes`);
  if (!Number.isSafeInteger(meta.size) || meta.size < 0) throw new RangeError(`bad file size ${meta.size}`);
  const prev = meta.previousCid;
  if (prev !== undefined && (prev.length < 1 || prev.length > MAX_PREVIOUS_CID_BYTES)) {
    throw new RangeError(`previous CID must be 1…${MAX_PREVIOUS_CID_BYTES} bytes`);
  }
  const out = new Uint8Array(METADATA_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(meta.size / 2 ** 32));
  view.setUint32(4, meta.size >>> 0);
  view.setUint16(8, name.length);
  view.setUint8(10, type.length);
  out.set(name, NAME_OFF);
  out.set(type, TYPE_OFF);
  if (prev) {
    out[PREV_LEN_OFF] = prev.length;
    out.set(prev, PREV_OFF);
  }
  return out;
}

/**
 * Decodes and strictly validates an authenticated metadata record.
 *
 * @param block - the opened record
 * @returns the metadata it holds
 * @throws {CorruptObjectError} on a wrong length, out-of-range field, non-zero padding or invalid UTF-8
 *   (the previous CID's bytes are returned as stored; parsing them as a CID is the caller's job)
 */
export function decodeMetadata(block: Uint8Array): FileMetadata {
  if (block.length !== METADATA_BLOCK_BYTES) throw new CorruptObjectError('metadata record has the wrong length');
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const high = view.getUint32(0);
  const size = high * 2 ** 32 + view.getUint32(4);
  const nameLen = view.getUint16(8);
  const typeLen = view.getUint8(10);
  const prevLen = block[PREV_LEN_OFF];
  if (high >= 2 ** 21 || nameLen > MAX_NAME_BYTES || prevLen > MAX_PREVIOUS_CID_BYTES) {
    throw new CorruptObjectError('metadata field out of range');
  }
  const nameField = block.subarray(NAME_OFF, TYPE_OFF);
  const typeField = block.subarray(TYPE_OFF, PREV_LEN_OFF);
  const prevField = block.subarray(PREV_OFF);
  if (
    !isZero(nameField.subarray(nameLen)) ||
    !isZero(typeField.subarray(typeLen)) ||
    !isZero(prevField.subarray(prevLen))
  ) {
    throw new CorruptObjectError('metadata padding is not zero');
  }
  let meta: FileMetadata;
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    meta = {
      name: decoder.decode(nameField.subarray(0, nameLen)),
      mediaType: decoder.decode(typeField.subarray(0, typeLen)),
      size,
    };
  } catch (cause) {
    throw new CorruptObjectError('metadata is not valid UTF-8', { cause });
  }
  if (prevLen > 0) meta.previousCid = prevField.slice(0, prevLen);
  return meta;
}

function isZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i];
  return acc === 0;
}
