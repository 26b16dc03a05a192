import { UserFacingError } from '../errors';

/**
 * Upper bounds on text users type, checked at the edge before anything parses it: every parser after this
 * point is then linear in a small number, so no submit can keep the app's one process busy.
 */
export const INPUT_LIMITS = Object.freeze({
  /** Any single form field (passwords included) without a tighter limit of its own. */
  field: 1000,
  /** The whole argument text of one slash command. */
  commandLine: 1000,
  /** The directory panel's search box. */
  search: 200,
  /** A share's duration ("7d", "2 weeks", …). */
  duration: 40,
  /** The value of a button or menu entry (`<action>|<cid>`, a page number). */
  actionValue: 300,
});

/** Text longer than its field allows; shown with the limit so the user knows what to fix. */
export class InputTooLongError extends UserFacingError {
  constructor(
    public readonly max: number,
    message = `input longer than ${max} characters`,
  ) {
    super('error_input_too_long', message, { max });
  }
}

/**
 * The generic length guard: returns `text` when it has at most `max` characters.
 * @throws InputTooLongError otherwise.
 */
export function boundedText(text: string, max: number): string {
  if (text.length > max) throw new InputTooLongError(max);
  return text;
}

/**
 * The first string value in a view's state `{ [blockId]: { [actionId]: value } }` longer than its limit,
 * with the actionId to key the error to (always a field of the submitted form).
 */
export function firstOverlongField(
  state: Record<string, Record<string, unknown> | undefined> | undefined,
  limitOf: (actionId: string) => number,
): { actionId: string; max: number } | undefined {
  for (const block of Object.values(state ?? {})) {
    for (const [actionId, value] of Object.entries(block ?? {})) {
      const max = limitOf(actionId);
      if (typeof value === 'string' && value.length > max) return { actionId, max };
    }
  }
  return undefined;
}
