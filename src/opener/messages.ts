/**
 * What the opener tells its user, in their language (the app's i18n files, `opener_*` keys): every error it can
 * meet becomes one sentence that says what happened and what to do.
 */
import {
  CorruptObjectError,
  ForeignObjectError,
  KdfTooExpensiveError,
  UnsupportedVersionError,
  WrongPasswordError,
} from '../crypto';
import {
  CidMismatchError,
  ContentNotFoundError,
  InvalidCidError,
  InvalidDagError,
  ProviderAuthError,
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnreachableError,
} from '../ipfs/errors';
import { pickLanguage, translate, type Language } from '../i18n/translate';
import { UsageError } from './args';
import { quoteForTerminal } from './fileName';
import { FileKeyMismatchError } from './openObject';
import { SecretInputError } from './secrets';

/** A sentence to show: an i18n key and its values. */
export interface Said {
  key: string;
  params: Record<string, string | number>;
}

/** What the opener was doing when it failed, for sentences that name it. */
export interface FailureContext {
  cid: string;
  /** The node or gateway, without credentials. */
  url: string;
}

/** The language to speak: `--lang`, else the locale variables, else English. */
export function languageFrom(option: string | undefined, env: Record<string, string | undefined>): Language {
  for (const tag of [option, env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    const language = pickLanguage(tag);
    if (language) return language;
  }
  return 'en';
}

const reasonOf = (err: Error) => err.message.replace(/^IPFS provider (unreachable|timed out): /, '');

/** The sentence for an error the opener met. */
export function describeFailure(err: unknown, context: FailureContext): Said {
  const say = (key: string, params: Record<string, string | number> = {}): Said => ({ key, params });
  if (err instanceof UsageError) return say(err.key, err.params);
  if (err instanceof SecretInputError) return say(err.reason);
  if (err instanceof WrongPasswordError) return say('opener_wrong_password');
  if (err instanceof FileKeyMismatchError) return say('opener_wrong_file_key');
  if (err instanceof CorruptObjectError) return say('opener_corrupt', { detail: err.message });
  if (err instanceof ForeignObjectError) return say('opener_foreign');
  if (err instanceof UnsupportedVersionError) return say('opener_unsupported_version', { version: err.version });
  if (err instanceof KdfTooExpensiveError) return say('opener_kdf_too_expensive');
  if (err instanceof CidMismatchError) return say('opener_cid_mismatch', { where: err.where ?? err.expected });
  if (err instanceof InvalidCidError) return say('opener_invalid_cid', { cid: quoteForTerminal(context.cid) });
  if (err instanceof InvalidDagError) return say('opener_invalid_dag', { detail: err.message });
  if (err instanceof ContentNotFoundError) return say('opener_not_found', { url: context.url });
  if (err instanceof ProviderUnreachableError)
    return say('opener_unreachable', { url: context.url, reason: reasonOf(err) });
  if (err instanceof ProviderTimeoutError) return say('opener_timeout', { url: context.url });
  if (err instanceof ProviderAuthError) return say('opener_auth', { url: context.url, status: err.statusCode });
  if (err instanceof ProviderRejectedError) {
    return say('opener_rejected', { url: context.url, message: quoteForTerminal(err.providerMessage) });
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && code.startsWith('E')) return say('opener_file_error', { reason: message });
  return say('opener_failed', { reason: message });
}

/** `said` in `language`. */
export function render(language: Language, said: Said): string {
  return translate(language, said.key, said.params);
}

/** A byte count for people: `512 B`, `3.4 MiB`, `1.0 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
