import { UserFacingError, moment, userText } from '../errors';

/** One of several files a name could mean. */
export interface FileChoice {
  readonly cid: string;
  readonly name: string;
  readonly ownerId?: string;
  readonly version?: number;
}

export class InvalidDurationError extends UserFacingError {
  constructor(text: string) {
    super('error_invalid_duration', 'malformed share duration', { duration: userText(text) });
  }
}

export class FileNotFoundError extends UserFacingError {
  constructor(what: string) {
    super('error_file_not_found', 'no such file in the directory', { name: userText(what) });
  }
}

export class NotOwnerError extends UserFacingError {
  constructor() {
    super('error_not_owner', 'only the owner may do this');
  }
}

export class UnknownUserError extends UserFacingError {
  constructor(username: string) {
    super('error_unknown_user', 'no such user', { user: userText(username) });
  }
}

export class ShareWithSelfError extends UserFacingError {
  constructor() {
    super('error_share_self', 'sharing with oneself');
  }
}

export class ShareExpiredError extends UserFacingError {
  constructor(name: string, expiredAt: number) {
    super('error_share_expired', 'the share expired', { name: userText(name), date: moment(expiredAt) });
  }
}

export class UsageError extends UserFacingError {
  constructor(usageKey: string) {
    super(usageKey, 'wrong command usage');
  }
}

/** A name that files of more than one owner carry; the choices let the edge list them. */
export class AmbiguousNameError extends UserFacingError {
  constructor(
    name: string,
    public readonly choices: readonly FileChoice[],
  ) {
    super('error_ambiguous_name', 'a name matches files of several owners', { name: userText(name) });
  }
}
