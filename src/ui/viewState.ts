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
