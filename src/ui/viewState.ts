import type { ActionId, BlockId } from './ids';

/** Rocket.Chat sends a modal's values as `{ [blockId]: { [actionId]: value } }`. */
export type ViewState = Record<string, Record<string, unknown> | undefined> | undefined;

/** The text of one input, or '' when it is empty or absent. */
export function inputValue(state: ViewState, blockId: BlockId, actionId: ActionId): string {
  const value = state?.[blockId]?.[actionId];
  return typeof value === 'string' ? value : '';
}

/** Errors for `viewErrorResponse`, keyed by the input's actionId as Rocket.Chat expects. */
export type ViewErrors = Partial<Record<ActionId, string>>;

export function hasErrors(errors: ViewErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The actionIds of a view's input blocks: the only keys its errors can be shown under. */
export function inputFieldsOf(blocks: unknown): ActionId[] {
  const list = Array.isArray(blocks) ? (blocks as Array<{ type?: string; element?: { actionId?: unknown } }>) : [];
  return list
    .filter((block) => block.type === 'input' && typeof block.element?.actionId === 'string')
    .map((block) => block.element?.actionId as ActionId);
}

/**
 * Splits errors into those the form can show (keyed to one of its fields) and sentences it cannot (a key the
 * form lacks), which the caller tells in chat instead.
 */
export function placeErrors(errors: ViewErrors, fields: readonly ActionId[]): { shown: ViewErrors; unshown: string[] } {
  const shown: ViewErrors = {};
  const unshown: string[] = [];
  for (const [key, text] of Object.entries(errors) as Array<[ActionId, string | undefined]>) {
    if (text === undefined) {
      continue;
    }
    if (fields.includes(key)) {
      shown[key] = text;
    } else {
      unshown.push(text);
    }
  }
  return { shown, unshown };
}
