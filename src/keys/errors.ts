/**
 * Errors of the per-user keys. Like every library error they carry an i18n key for the user and a log message
 * that never contains a key.
 */
import { UserFacingError } from '../errors';

/**
 * A wrapped file key does not open for this user: it was wrapped to someone else, altered, bound to another
 * CID, or the user's own key record does not open (for instance a record copied from another user).
 */
export class KeyUnwrapError extends UserFacingError {
  constructor(message = 'the wrapped file key does not open', options?: { cause?: unknown }) {
    super('error_key_unwrap', message, {}, options);
  }
}
