/**
 * Whole-object operations, thin wrappers over the header functions and the chunk streams. Each writes into ONE
 * preallocated output, so memory stays at input + output + a few chunks.
 */
import type { KdfParams } from './kdf';
import { DEFAULT_KDF, deriveWrapKeyAsync } from './kdf';
import {
  buildHeader,
  buildHeaderWithWrapKey,
  DEFAULT_CHUNK_LOG2,
  HEADER_BYTES,
  parseHeader,
  SALT_BYTES,
  unlockHeader,
  type UnlockedObject,
} from './header';
import { deriveSubKeys, KEY_BYTES } from './keys';
import type { FileMetadata } from './metadata';
import { randomBytes, type RandomSource } from './random';
import { ChunkDecryptor, ChunkEncryptor, payloadLength } from './stream';
import { CorruptObjectError } from './errors';

/** Internal knobs for test vectors; not part of the app's API. */
export interface EncryptOptions {
  /** Source of the file key and salt (default: {@link randomBytes}). */
  random?: RandomSource;
  /** log2 of the chunk size (default 16). */
  chunkLog2?: number;
}

/** A started encryption: write `header`, then the encryptor's output. */
export interface EncryptionStart {
  readonly header: Uint8Array;
  readonly encryptor: ChunkEncryptor;
  /** Total object length once all `metadata.size` bytes are pushed and finished. */
  readonly objectLength: number;
}

/**
 * Total length of the object that holds `size` plaintext bytes (with the default 64 KiB chunks).
 *
 * @param size - plaintext length in bytes
 * @returns header + sealed chunks
 */
export function encryptedSize(size: number, chunkLog2 = DEFAULT_CHUNK_LOG2): number {
  return HEADER_BYTES + payloadLength(size, 2 ** chunkLog2);
}

/**
 * Starts encrypting a file whose bytes will be pushed incrementally: draws a fresh file key and salt, runs
 * scrypt once and builds the header.
 *
 * @param metadata - name, media type and exact size of the file
 * @param password - the password that will open the object
 * @param kdf - scrypt parameters (default {@link DEFAULT_KDF})
 * @returns the header bytes and an encryptor for the content
 * @throws {KdfTooExpensiveError} if `kdf` exceeds the cap
 * @throws {RangeError} if the name or media type is too long, or a parameter is malformed
 */
export function beginEncryption(metadata: FileMetadata, password: string, kdf?: KdfParams): EncryptionStart {
  return beginEncryptionWith(metadata, password, kdf ?? DEFAULT_KDF, {});
}

/**
 * Like {@link beginEncryption}, but also hands back the file key, so the app can wrap it to the owner's public
 * key while the content is still streaming. The caller owns the key and should wipe it when done.
 *
 * @throws {KdfTooExpensiveError} if `kdf` exceeds the cap
 * @throws {RangeError} if the name or media type is too long, or a parameter is malformed
 */
export function beginSealing(
  metadata: FileMetadata,
  password: string,
  kdf?: KdfParams,
): EncryptionStart & { readonly fileKey: Uint8Array } {
  const fileKey = randomBytes(KEY_BYTES);
  return { ...beginWithFileKey(fileKey, metadata, password, kdf ?? DEFAULT_KDF, {}), fileKey };
}

/**
 * {@link beginSealing} with the password's scrypt run through the scrypt the app installed (off the main thread;
 * see `useScrypt`): what the app's own jobs call.
 *
 * @throws as {@link beginSealing}
 */
export async function beginSealingAsync(
  metadata: FileMetadata,
  password: string,
  kdf: KdfParams = DEFAULT_KDF,
): Promise<EncryptionStart & { readonly fileKey: Uint8Array }> {
  const salt = randomBytes(SALT_BYTES);
  const wrapKey = await deriveWrapKeyAsync(password, salt, kdf);
  const fileKey = randomBytes(KEY_BYTES);
  try {
    const chunkLog2 = DEFAULT_CHUNK_LOG2;
    const header = buildHeaderWithWrapKey(fileKey, salt, wrapKey, kdf, chunkLog2, metadata);
    const encryptor = new ChunkEncryptor(deriveSubKeys(fileKey).payload, 2 ** chunkLog2, metadata.size);
    return { header, encryptor, objectLength: encryptedSize(metadata.size, chunkLog2), fileKey };
  } finally {
    wrapKey.fill(0);
  }
}

/** {@link beginEncryption} with internal options (deterministic randomness, chunk size). */
export function beginEncryptionWith(
  metadata: FileMetadata,
  password: string,
  kdf: KdfParams,
  options: EncryptOptions,
): EncryptionStart {
  const fileKey = (options.random ?? randomBytes)(KEY_BYTES);
  try {
    return beginWithFileKey(fileKey, metadata, password, kdf, options);
  } finally {
    fileKey.fill(0);
  }
}

/** Builds the header around a given file key (the salt still comes from `options.random`). */
function beginWithFileKey(
  fileKey: Uint8Array,
  metadata: FileMetadata,
  password: string,
  kdf: KdfParams,
  options: EncryptOptions,
): EncryptionStart {
  const random = options.random ?? randomBytes;
  const chunkLog2 = options.chunkLog2 ?? DEFAULT_CHUNK_LOG2;
  const salt = random(SALT_BYTES);
  const header = buildHeader(fileKey, salt, password, kdf, chunkLog2, metadata);
  const { payload } = deriveSubKeys(fileKey);
  const encryptor = new ChunkEncryptor(payload, 2 ** chunkLog2, metadata.size);
  return { header, encryptor, objectLength: encryptedSize(metadata.size, chunkLog2) };
}

/**
 * Encrypts a whole file into one object.
 *
 * @param plaintext - the file's bytes
 * @param metadata - name, media type, size (`size` must equal `plaintext.length`) and optional previous CID
 * @param password - the password that will open the object
 * @param kdf - scrypt parameters (default {@link DEFAULT_KDF})
 * @returns the object: header followed by the sealed chunks
 * @throws {KdfTooExpensiveError} if `kdf` exceeds the cap
 * @throws {RangeError} if the metadata does not fit or disagrees with the plaintext length
 */
export function encryptObject(
  plaintext: Uint8Array,
  metadata: FileMetadata,
  password: string,
  kdf?: KdfParams,
): Uint8Array {
  return encryptObjectWith(plaintext, metadata, password, kdf ?? DEFAULT_KDF, {});
}

/** {@link encryptObject} with internal options (deterministic randomness, chunk size). */
export function encryptObjectWith(
  plaintext: Uint8Array,
  metadata: FileMetadata,
  password: string,
  kdf: KdfParams,
  options: EncryptOptions,
): Uint8Array {
  const { object, fileKey } = sealObjectWith(plaintext, metadata, password, kdf, options);
  fileKey.fill(0);
  return object;
}

/**
 * Encrypts a whole file like {@link encryptObject} and also hands back its file key, so the caller can wrap
 * that key to public keys and later open the object with `unlockWithFileKey` instead of the password.
 *
 * @param plaintext - the file's bytes
 * @param metadata - name, media type, size (`size` must equal `plaintext.length`) and optional previous CID
 * @param password - the password that will open the object
 * @param kdf - scrypt parameters (default {@link DEFAULT_KDF})
 * @returns the object and its fresh 32-byte file key (a secret: never log or store it unwrapped)
 * @throws {KdfTooExpensiveError} if `kdf` exceeds the cap
 * @throws {RangeError} if the metadata does not fit or disagrees with the plaintext length
 */
export function sealObject(
  plaintext: Uint8Array,
  metadata: FileMetadata,
  password: string,
  kdf?: KdfParams,
): { object: Uint8Array; fileKey: Uint8Array } {
  return sealObjectWith(plaintext, metadata, password, kdf ?? DEFAULT_KDF, {});
}

/** {@link sealObject} with internal options (deterministic randomness, chunk size). */
export function sealObjectWith(
  plaintext: Uint8Array,
  metadata: FileMetadata,
  password: string,
  kdf: KdfParams,
  options: EncryptOptions,
): { object: Uint8Array; fileKey: Uint8Array } {
  if (metadata.size !== plaintext.length) throw new RangeError('metadata.size differs from the plaintext length');
  const fileKey = (options.random ?? randomBytes)(KEY_BYTES);
  const { header, encryptor, objectLength } = beginWithFileKey(fileKey, metadata, password, kdf, options);
  const out = new Uint8Array(objectLength);
  out.set(header);
  let offset = header.length;
  offset += encryptor.pushInto(plaintext, out, offset);
  offset += encryptor.finishInto(out, offset);
  if (offset !== out.length) throw new Error('internal: object length mismatch');
  return { object: out, fileKey };
}

/**
 * Decrypts the content of a whole object whose header was unlocked.
 *
 * @param object - the complete object, header included
 * @param unlocked - result of `unlockHeader` on this object's header
 * @returns the plaintext (`unlocked.metadata.size` bytes)
 * @throws {CorruptObjectError} if the length is wrong or any chunk fails authentication
 */
export function decryptObject(object: Uint8Array, unlocked: UnlockedObject): Uint8Array {
  const { header, metadata } = unlocked;
  // Checked first so a truncated or extended object costs nothing; STREAM would catch it too.
  if (object.length !== header.headerLength + payloadLength(metadata.size, header.chunkSize)) {
    throw new CorruptObjectError('object length does not match its metadata');
  }
  const out = new Uint8Array(metadata.size);
  const decryptor = new ChunkDecryptor(unlocked);
  let offset = decryptor.pushInto(object.subarray(header.headerLength), out, 0);
  offset += decryptor.finishInto(out, offset);
  if (offset !== out.length) throw new CorruptObjectError('content length does not match its metadata');
  return out;
}

/**
 * Parses, unlocks and decrypts a whole object in one call.
 *
 * @param object - the complete object
 * @param password - the password it was encrypted with
 * @returns the metadata and the plaintext
 * @throws {ForeignObjectError} | {UnsupportedVersionError} | {KdfTooExpensiveError} from `parseHeader`
 * @throws {WrongPasswordError} if the password is wrong
 * @throws {CorruptObjectError} on any damage or tampering
 */
export function decryptWithPassword(
  object: Uint8Array,
  password: string,
): { metadata: FileMetadata; plaintext: Uint8Array } {
  const unlocked = unlockHeader(parseHeader(object), password);
  return { metadata: unlocked.metadata, plaintext: decryptObject(object, unlocked) };
}
