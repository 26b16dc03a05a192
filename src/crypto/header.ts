/**
 * The v1 header: magic, version, chunk size, scrypt parameters and salt, the wrapped file key, the sealed
 * metadata and an HMAC over everything before it. Fixed length ({@link HEADER_BYTES}); see docs/FORMAT.md.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import nacl from 'tweetnacl';
import { CorruptObjectError, ForeignObjectError, UnsupportedVersionError, WrongPasswordError } from './errors';
import {
  checkKdfParams,
  deriveWrapKey,
  deriveWrapKeyAsync,
  scryptInputs,
  type KdfParams,
  type ScryptInputs,
} from './kdf';
import { constantTimeEqual, deriveSubKeys, KEY_BYTES } from './keys';
import { decodeMetadata, encodeMetadata, METADATA_BLOCK_BYTES, type FileMetadata } from './metadata';

/** First eight bytes of every object: 0x89 "RCIPFS" 0x0A. */
export const MAGIC = Uint8Array.of(0x89, 0x52, 0x43, 0x49, 0x50, 0x46, 0x53, 0x0a);
/** The format version this code writes and reads. */
export const VERSION = 1;
/** Accepted chunk sizes are 2^10 … 2^20 bytes; the writer uses 2^16 (64 KiB). */
export const MIN_CHUNK_LOG2 = 10;
export const MAX_CHUNK_LOG2 = 20;
export const DEFAULT_CHUNK_LOG2 = 16;
/** Length of the salt stored in the header. */
export const SALT_BYTES = 16;
const TAG = nacl.secretbox.overheadLength; // 16
const ZERO_NONCE = new Uint8Array(nacl.secretbox.nonceLength); // every header box uses a single-use key

/** Byte offsets of the header fields. */
export const OFFSETS = Object.freeze({
  magic: 0,
  version: 8,
  chunkLog2: 9,
  logN: 10,
  r: 11,
  p: 12,
  salt: 13,
  wrappedKey: 13 + SALT_BYTES, // 29
  metadata: 29 + KEY_BYTES + TAG, // 77
  mac: 77 + METADATA_BLOCK_BYTES + TAG, // 1448
});
/** Total header length; the payload starts here. */
export const HEADER_BYTES = OFFSETS.mac + 32; // 1480

/** A parsed header whose secrets are still locked. */
export interface ObjectHeader {
  /** Format version (1). */
  readonly version: number;
  /** Header length in bytes = offset of the first payload chunk. */
  readonly headerLength: number;
  /** scrypt parameters the password must be stretched with. */
  readonly kdf: KdfParams;
  /** Plaintext bytes per chunk (the last chunk may be shorter). */
  readonly chunkSize: number;
}

/** A header opened with the right password: metadata readable, payload key kept inside. */
export interface UnlockedObject {
  readonly header: ObjectHeader;
  readonly metadata: FileMetadata;
}

// Secrets and raw bytes live outside the objects so they never show up in logs or JSON.
const headerBytes = new WeakMap<ObjectHeader, Uint8Array>();
const payloadKeys = new WeakMap<UnlockedObject, Uint8Array>();

/**
 * Builds a complete header for a new object.
 *
 * @param fileKey - fresh random 32-byte file key
 * @param salt - fresh random 16-byte scrypt salt
 * @param password - the password the file key is wrapped with
 * @param kdf - scrypt parameters (checked against the cap)
 * @param chunkLog2 - log2 of the chunk size
 * @param metadata - file name, media type and size to seal inside
 * @returns the {@link HEADER_BYTES}-byte header
 * @throws {KdfTooExpensiveError} if `kdf` exceeds the cap
 * @throws {RangeError} on malformed parameters or metadata that does not fit
 */
export function buildHeader(
  fileKey: Uint8Array,
  salt: Uint8Array,
  password: string,
  kdf: KdfParams,
  chunkLog2: number,
  metadata: FileMetadata,
): Uint8Array {
  checkKdfParams(kdf);
  const wrapKey = deriveWrapKey(password, salt, kdf);
  try {
    return buildHeaderWithWrapKey(fileKey, salt, wrapKey, kdf, chunkLog2, metadata);
  } finally {
    wrapKey.fill(0);
  }
}

/** {@link buildHeader} with the wrap key already derived from the password and `salt` (e.g. off the main thread). */
export function buildHeaderWithWrapKey(
  fileKey: Uint8Array,
  salt: Uint8Array,
  wrapKey: Uint8Array,
  kdf: KdfParams,
  chunkLog2: number,
  metadata: FileMetadata,
): Uint8Array {
  if (salt.length !== SALT_BYTES) throw new RangeError('salt must be 16 bytes');
  if (!Number.isInteger(chunkLog2) || chunkLog2 < MIN_CHUNK_LOG2 || chunkLog2 > MAX_CHUNK_LOG2) {
    throw new RangeError(`chunk size 2^${chunkLog2} out of range`);
  }
  checkKdfParams(kdf);
  const keys = deriveSubKeys(fileKey);
  const out = new Uint8Array(HEADER_BYTES);
  out.set(MAGIC, OFFSETS.magic);
  out.set([VERSION, chunkLog2, kdf.logN, kdf.r, kdf.p], OFFSETS.version);
  out.set(salt, OFFSETS.salt);
  out.set(nacl.secretbox(fileKey, ZERO_NONCE, wrapKey), OFFSETS.wrappedKey);
  out.set(nacl.secretbox(encodeMetadata(metadata), ZERO_NONCE, keys.metadata), OFFSETS.metadata);
  out.set(hmac(sha256, keys.headerMac, out.subarray(0, OFFSETS.mac)), OFFSETS.mac);
  return out;
}

/**
 * Parses a header from a prefix of an object, without any key derivation.
 *
 * @param prefix - the first bytes of an object; {@link HEADER_BYTES} bytes always suffice (more are ignored)
 * @returns the locked header
 * @throws {ForeignObjectError} if the prefix is shorter than magic + version or the magic differs
 * @throws {UnsupportedVersionError} if the version byte is not 1
 * @throws {CorruptObjectError} if the header is truncated or a field is out of range
 * @throws {KdfTooExpensiveError} if the scrypt parameters exceed the cap
 */
export function parseHeader(prefix: Uint8Array): ObjectHeader {
  if (prefix.length < OFFSETS.version + 1) throw new ForeignObjectError('too short to be an encrypted object');
  if (!constantTimeEqual(prefix.subarray(0, MAGIC.length), MAGIC)) throw new ForeignObjectError('magic mismatch');
  const version = prefix[OFFSETS.version];
  if (version !== VERSION) throw new UnsupportedVersionError(version);
  if (prefix.length < HEADER_BYTES) throw new CorruptObjectError('header is truncated');
  const chunkLog2 = prefix[OFFSETS.chunkLog2];
  if (chunkLog2 < MIN_CHUNK_LOG2 || chunkLog2 > MAX_CHUNK_LOG2) throw new CorruptObjectError('bad chunk size');
  const kdf: KdfParams = Object.freeze({ logN: prefix[OFFSETS.logN], r: prefix[OFFSETS.r], p: prefix[OFFSETS.p] });
  if (kdf.logN < 1 || kdf.r < 1 || kdf.p < 1) throw new CorruptObjectError('bad scrypt parameters');
  checkKdfParams(kdf); // throws KdfTooExpensiveError before anyone derives
  const header: ObjectHeader = Object.freeze({ version, headerLength: HEADER_BYTES, kdf, chunkSize: 2 ** chunkLog2 });
  headerBytes.set(header, prefix.slice(0, HEADER_BYTES));
  return header;
}

/**
 * Unlocks a header with a password: one scrypt derivation, then the header MAC and the metadata are checked.
 *
 * @param header - a header returned by {@link parseHeader}
 * @param password - the password the object was encrypted with
 * @returns the unlocked object with its metadata
 * @throws {WrongPasswordError} if the password does not unwrap the file key (also if salt or KDF were altered)
 * @throws {CorruptObjectError} if the header MAC or the sealed metadata does not verify
 * @throws {TypeError} if `header` did not come from {@link parseHeader}
 */
export function unlockHeader(header: ObjectHeader, password: string): UnlockedObject {
  const bytes = headerBytes.get(header);
  if (!bytes) throw new TypeError('unlockHeader needs a header returned by parseHeader');
  const salt = bytes.subarray(OFFSETS.salt, OFFSETS.wrappedKey);
  return unwrap(header, bytes, deriveWrapKey(password, salt, header.kdf));
}

/**
 * {@link unlockHeader} with a scrypt of the caller's (e.g. Node's native one, which runs off the main thread and
 * frees its memory at once); everything else is the same code.
 *
 * @param scrypt - computes scrypt of exactly the given inputs
 * @throws as {@link unlockHeader}
 */
export async function unlockHeaderWith(
  header: ObjectHeader,
  password: string,
  scrypt: (inputs: ScryptInputs) => Promise<Uint8Array>,
): Promise<UnlockedObject> {
  const bytes = headerBytes.get(header);
  if (!bytes) throw new TypeError('unlockHeaderWith needs a header returned by parseHeader');
  const salt = bytes.subarray(OFFSETS.salt, OFFSETS.wrappedKey);
  return unwrap(header, bytes, await scrypt(scryptInputs(password, salt, header.kdf)));
}

/**
 * {@link unlockHeader} through the scrypt the app installed (off the main thread; see `useScrypt`), else the
 * portable one: what the app's own entry points call.
 *
 * @throws as {@link unlockHeader}
 */
export async function unlockHeaderAsync(header: ObjectHeader, password: string): Promise<UnlockedObject> {
  const bytes = headerBytes.get(header);
  if (!bytes) throw new TypeError('unlockHeaderAsync needs a header returned by parseHeader');
  const salt = bytes.subarray(OFFSETS.salt, OFFSETS.wrappedKey);
  return unwrap(header, bytes, await deriveWrapKeyAsync(password, salt, header.kdf));
}

/**
 * The file key of an object, unwrapped with the password and proven by the header MAC and metadata, for a holder
 * who must hand the key on (e.g. the browser page of a room archive's member) rather than decrypt here.
 *
 * @returns a fresh copy of the 32-byte file key; the caller should zero it when done
 * @throws as {@link unlockHeader}
 */
export async function fileKeyWithPassword(header: ObjectHeader, password: string): Promise<Uint8Array> {
  const bytes = headerBytes.get(header);
  if (!bytes) throw new TypeError('fileKeyWithPassword needs a header returned by parseHeader');
  const salt = bytes.subarray(OFFSETS.salt, OFFSETS.wrappedKey);
  const wrapKey = await deriveWrapKeyAsync(password, salt, header.kdf);
  const fileKey = nacl.secretbox.open(bytes.subarray(OFFSETS.wrappedKey, OFFSETS.metadata), ZERO_NONCE, wrapKey);
  if (!fileKey) throw new WrongPasswordError();
  try {
    openWithFileKey(header, bytes, fileKey);
  } catch (error) {
    fileKey.fill(0);
    throw error;
  }
  return fileKey;
}

/** Opens the wrapped file key with `wrapKey`, then the MAC and the metadata. */
function unwrap(header: ObjectHeader, bytes: Uint8Array, wrapKey: Uint8Array): UnlockedObject {
  const fileKey = nacl.secretbox.open(bytes.subarray(OFFSETS.wrappedKey, OFFSETS.metadata), ZERO_NONCE, wrapKey);
  if (!fileKey) throw new WrongPasswordError();
  try {
    return openWithFileKey(header, bytes, fileKey);
  } finally {
    fileKey.fill(0);
  }
}

/**
 * Unlocks a header with its file key instead of a password (no scrypt), e.g. a key the app kept wrapped to a
 * user's public key. The header MAC proves the key belongs to this object.
 *
 * @param header - a header returned by {@link parseHeader}
 * @param fileKey - the object's 32-byte file key (not modified)
 * @returns the unlocked object with its metadata
 * @throws {CorruptObjectError} if the key does not fit this object (wrong length, header MAC or metadata fails)
 * @throws {TypeError} if `header` did not come from {@link parseHeader}
 */
export function unlockWithFileKey(header: ObjectHeader, fileKey: Uint8Array): UnlockedObject {
  const bytes = headerBytes.get(header);
  if (!bytes) throw new TypeError('unlockWithFileKey needs a header returned by parseHeader');
  if (fileKey.length !== KEY_BYTES) throw new CorruptObjectError('file key has the wrong length');
  return openWithFileKey(header, bytes, fileKey);
}

/** Checks the header MAC and opens the metadata with the sub-keys of `fileKey`. */
function openWithFileKey(header: ObjectHeader, bytes: Uint8Array, fileKey: Uint8Array): UnlockedObject {
  const keys = deriveSubKeys(fileKey);
  const mac = hmac(sha256, keys.headerMac, bytes.subarray(0, OFFSETS.mac));
  if (!constantTimeEqual(mac, bytes.subarray(OFFSETS.mac, HEADER_BYTES))) {
    throw new CorruptObjectError('header MAC does not verify');
  }
  const block = nacl.secretbox.open(bytes.subarray(OFFSETS.metadata, OFFSETS.mac), ZERO_NONCE, keys.metadata);
  if (!block) throw new CorruptObjectError('metadata does not verify');
  const unlocked: UnlockedObject = Object.freeze({ header, metadata: Object.freeze(decodeMetadata(block)) });
  payloadKeys.set(unlocked, keys.payload);
  return unlocked;
}

/**
 * The payload key of an unlocked object (internal to src/crypto).
 *
 * @throws {TypeError} if `unlocked` did not come from {@link unlockHeader}
 */
export function payloadKeyOf(unlocked: UnlockedObject): Uint8Array {
  const key = payloadKeys.get(unlocked);
  if (!key) throw new TypeError('needs an object returned by unlockHeader');
  return key;
}
