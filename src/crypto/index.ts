/**
 * Encryption format v1 of the app (see docs/FORMAT.md): a password-wrapped random file key, a fixed-size
 * authenticated header with the sealed file metadata, and the content as a STREAM of secretbox chunks.
 */
export {
  CorruptObjectError,
  ForeignObjectError,
  KdfTooExpensiveError,
  UnsupportedVersionError,
  WrongPasswordError,
} from './errors';
export {
  checkKdfParams,
  DEFAULT_KDF,
  INTERACTIVE_KDF_BUDGET,
  KDF_LIMITS,
  scryptInputs,
  useScrypt,
  withinKdfBudget,
  type Scrypt,
  type ScryptInputs,
  type KdfBudget,
  type KdfParams,
} from './kdf';
export { MAX_MEDIA_TYPE_BYTES, MAX_NAME_BYTES, MAX_PREVIOUS_CID_BYTES, type FileMetadata } from './metadata';
export {
  fileKeyWithPassword,
  parseHeader,
  unlockHeader,
  unlockHeaderAsync,
  unlockHeaderWith,
  unlockWithFileKey,
  type ObjectHeader,
  type UnlockedObject,
} from './header';
export { ChunkDecryptor, ChunkEncryptor } from './stream';
export {
  beginEncryption,
  beginSealing,
  beginSealingAsync,
  decryptObject,
  decryptWithPassword,
  encryptedSize,
  encryptObject,
  sealObject,
  type EncryptionStart,
} from './object';
export { randomBytes } from './random';

import { HEADER_BYTES } from './header';

/** A prefix of this many bytes always holds the complete header (v1 headers have exactly this fixed length). */
export const HEADER_PROBE_BYTES: number = HEADER_BYTES;
