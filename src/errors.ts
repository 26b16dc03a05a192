import type { ILogger } from '@rocket.chat/apps-engine/definition/accessors';

/** Text a user typed or named (a file or room name, a duration): shown literally, never read as markup. */
export interface UserText {
  readonly userText: string;
}

/** A size in bytes, shown in units a reader takes in. */
export interface ByteCount {
  readonly bytes: number;
}

/** A moment, shown as a date. */
export interface Moment {
  readonly epochMs: number;
}

/** A sentence of its own (an i18n key and its values), translated and filled into the sentence around it. */
export interface Sentence {
  readonly key: string;
  readonly params?: Readonly<Record<string, ShownValue>>;
}

/**
 * A value a sentence carries. Code that decides (sharing, policies, crypto, IPFS) says what a value is; only the
 * code that shows it to a person formats it (src/ui/describeError.ts), so no rule depends on how a view looks.
 */
export type ShownValue = string | number | UserText | ByteCount | Moment | Sentence;

export const userText = (text: string): UserText => ({ userText: text });
export const byteCount = (bytes: number): ByteCount => ({ bytes });
export const moment = (epochMs: number): Moment => ({ epochMs });

/**
 * The one error type the app's entry points know how to show. Library code throws a subclass; the edge
 * (command, view submit, action button) catches it and shows `i18nKey` translated with `params`.
 * The message is for logs and must never contain a password, key or plaintext.
 */
export class UserFacingError extends Error {
  constructor(
    /** Key in i18n/*.json of the sentence shown to the user. */
    public readonly i18nKey: string,
    message: string,
    /** Values for the `{name}` placeholders of the sentence, formatted where it is shown. */
    public readonly params: Readonly<Record<string, ShownValue>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** The sentence this error shows. */
  public get sentence(): Sentence {
    return { key: this.i18nKey, params: this.params };
  }
}

/**
 * `text` with the userinfo (`user:password@`) removed from every URL in it: admins sometimes put provider
 * credentials into the API URL, and URLs end up in error messages, answers and logs.
 */
export function withoutUserinfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1');
}

/** What may be logged about an error: its type and key, never values that could hold a secret. */
export function errorSummary(error: unknown): string {
  if (error instanceof UserFacingError) {
    return withoutUserinfo(`${error.name} (${error.i18nKey}): ${error.message}`);
  }
  if (error instanceof Error) {
    return withoutUserinfo(`${error.name}: ${error.message}`);
  }
  return 'non-Error thrown';
}

/**
 * Logs a failure for the admin: a known condition the user was told about (wrong password, provider down)
 * as a warning, anything unexpected as an error. Only the summary is logged, never values.
 */
export function logFailure(logger: ILogger, what: string, error: unknown): void {
  if (error instanceof UserFacingError) {
    logger.warn(what, errorSummary(error));
  } else {
    logger.error(what, errorSummary(error));
  }
}
