import { UserFacingError } from '../errors';

export class InvalidDurationError extends UserFacingError {
  constructor(text: string) {
    super('error_invalid_duration', 'malformed share duration', { duration: text }, { userText: ['duration'] });
  }
}

export class FileNotFoundError extends UserFacingError {
  constructor(what: string) {
    super('error_file_not_found', 'no such file in the directory', { name: what }, { userText: ['name'] });
  }
}

export class NotOwnerError extends UserFacingError {
  constructor() {
    super('error_not_owner', 'only the owner may do this');
  }
}

export class UnknownUserError extends UserFacingError {
  constructor(username: string) {
    super('error_unknown_user', 'no such user', { user: username }, { userText: ['user'] });
  }
}

export class ShareWithSelfError extends UserFacingError {
  constructor() {
    super('error_share_self', 'sharing with oneself');
  }
}

export class ShareExpiredError extends UserFacingError {
  constructor(name: string, expiredAt: string) {
    super('error_share_expired', 'the share expired', { name, date: expiredAt }, { userText: ['name'] });
  }
}

export class UsageError extends UserFacingError {
  constructor(usageKey: string) {
    super(usageKey, 'wrong command usage');
  }
}
