import type { ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import { UserFacingError, withoutUserinfo } from '../errors';
import type { Translate } from '../i18n/translate';
import { PolicyRefusedError } from '../policy/errors';
import { markdownLiteral } from '../ui/format';

/**
 * The sentence to show the user for an error, as message markdown: its own translated text with any text
 * the user controls shown literally, or a generic sentence.
 */
export function describeError(t: Translate, error: unknown): string {
  if (error instanceof PolicyRefusedError) {
    const inner: Record<string, string> = {};
    for (const [name, sentence] of Object.entries(error.sentences)) {
      inner[name] = t(sentence.key, sentence.params);
    }
    return t(error.i18nKey, { ...error.params, ...inner });
  }
  if (error instanceof UserFacingError) {
    const params = { ...error.params };
    for (const name of error.userText) {
      params[name] = markdownLiteral(String(params[name] ?? ''));
    }
    return withoutUserinfo(t(error.i18nKey, params));
  }
  return t('error_unexpected');
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
