import { UserFacingError, userText } from '../errors';

/** The longest file name stored, in characters (code points). */
export const NAME_MAX_LENGTH = 200;

/**
 * The longest text read where a file is named (a name, `name@n` or a CID): a name, "@" and a version
 * number. Anything longer cannot match and is refused before any parsing.
 */
export const TYPED_FILE_MAX_LENGTH = NAME_MAX_LENGTH + 12;

/**
 * Characters no file name may hold: control characters (line breaks, tabs, NUL…), the Unicode line and
 * paragraph separators, and the bidirectional overrides that make a name read differently from what it is.
 */
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export class InvalidNameError extends UserFacingError {
  constructor(name: string) {
    super('error_name_invalid', 'file name with control or direction characters', { name: userText(name) });
  }
}

export class NameTooLongError extends UserFacingError {
  constructor() {
    super('error_name_too_long', 'file name over the length limit', { max: NAME_MAX_LENGTH });
  }
}

/**
 * The name a file is stored under: Unicode-normalised (NFC) and trimmed, so names that look alike compare
 * alike. Checked before anything is stored.
 * @throws InvalidNameError when it is empty or holds a forbidden character.
 * @throws NameTooLongError when it is longer than {@link NAME_MAX_LENGTH} characters.
 */
export function checkedFileName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (!name || FORBIDDEN.test(name)) {
    throw new InvalidNameError(raw);
  }
  if (Array.from(name).length > NAME_MAX_LENGTH) {
    throw new NameTooLongError();
  }
  return name;
}
