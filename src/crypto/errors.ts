/**
 * Errors of the encryption format. Each carries the i18n key the app's edge shows; messages never contain
 * passwords, keys or plaintext.
 */
import { UserFacingError } from '../errors';

/** The password does not unwrap the file key (or the salt / KDF parameters were altered: indistinguishable). */
export class WrongPasswordError extends UserFacingError {
  constructor(message = 'wrong password', options?: { cause?: unknown }) {
    super('error_wrong_password', message, {}, options);
  }
}

/** The bytes are not an object of this format: magic mismatch, or too short to hold magic and version. */
export class ForeignObjectError extends UserFacingError {
  constructor(message = 'not an encrypted object of this app', options?: { cause?: unknown }) {
    super('error_foreign_object', message, {}, options);
  }
}

/** The object carries our magic but a format version this code cannot read. */
export class UnsupportedVersionError extends UserFacingError {
  constructor(
    public readonly version: number,
    message = `unsupported format version ${version}`,
    options?: { cause?: unknown },
  ) {
    super('error_unsupported_version', message, { version }, options);
  }
}

/**
 * The object is damaged or was tampered with: a truncated header, an invalid header field, a bad header MAC,
 * or any authentication failure of the content (altered, truncated, reordered, duplicated or appended chunks).
 */
export class CorruptObjectError extends UserFacingError {
  constructor(message = 'object is corrupt', options?: { cause?: unknown }) {
    super('error_corrupt_object', message, {}, options);
  }
}

/** The header asks for scrypt parameters above the cap; refused before any derivation work. */
export class KdfTooExpensiveError extends UserFacingError {
  constructor(message = 'KDF parameters exceed the cap', options?: { cause?: unknown }) {
    super('error_kdf_too_expensive', message, {}, options);
  }
}
