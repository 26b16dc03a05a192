import { UserFacingError, withoutUserinfo, type Sentence, type ShownValue } from '../errors';
import type { Translate } from '../i18n/translate';
import { formatBytes, formatDate, markdownLiteral } from './format';

/** One value as message markdown: user text literally, sizes and dates formatted, inner sentences translated. */
function shown(t: Translate, value: ShownValue): string | number {
  if (typeof value === 'string' || typeof value === 'number') {
    return value;
  }
  if ('userText' in value) {
    return markdownLiteral(value.userText);
  }
  if ('bytes' in value) {
    return formatBytes(value.bytes);
  }
  if ('epochMs' in value) {
    return formatDate(value.epochMs);
  }
  return sentenceText(t, value);
}

/** A sentence in the reader's language, as message markdown, its values formatted by what they are. */
export function sentenceText(t: Translate, sentence: Sentence): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(sentence.params ?? {})) {
    params[name] = shown(t, value);
  }
  return t(sentence.key, params);
}

/**
 * The sentence to show the user for an error, as message markdown: its own translated text (any URL credentials
 * removed, any text the user controls shown literally), or a generic sentence.
 */
export function describeError(t: Translate, error: unknown): string {
  if (error instanceof UserFacingError) {
    return withoutUserinfo(sentenceText(t, error.sentence));
  }
  return t('error_unexpected');
}
