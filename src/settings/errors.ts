import { UserFacingError, byteCount } from '../errors';

/** A file above the admin's maximum file size: refused before it is read, downloaded or delivered. */
export class FileTooLargeError extends UserFacingError {
  constructor(size: number, max: number) {
    super('error_file_too_large', 'file exceeds the configured maximum', {
      size: byteCount(size),
      max: byteCount(max),
    });
  }
}
