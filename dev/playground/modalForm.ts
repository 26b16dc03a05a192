import type { IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { InteractionResult, WorkspaceHost } from '../host';

interface TextObject {
  text?: string;
}
interface Element {
  type?: string;
  actionId?: string;
  placeholder?: TextObject;
  initialValue?: unknown;
  initialOption?: { value?: string };
  options?: Array<{ text?: TextObject; value: string }>;
}
interface Block {
  type: string;
  blockId?: string;
  label?: TextObject;
  hint?: TextObject;
  text?: TextObject;
  element?: Element;
  elements?: TextObject[];
}

/** One input of a modal, as the form asks for it. */
export interface Field {
  readonly blockId: string;
  readonly actionId: string;
  readonly label: string;
  readonly kind: 'text' | 'select';
  readonly options: Array<{ label: string; value: string }>;
  readonly initial?: string;
}

/** The inputs of a view, in order. */
export function fieldsOf(view: IUIKitSurface): Field[] {
  return (view.blocks as unknown as Block[])
    .filter((b) => b.type === 'input' && b.blockId && b.element?.actionId)
    .map((b) => {
      const e = b.element!;
      const select = e.type === 'static_select';
      const initial = select ? (e.initialOption?.value ?? e.initialValue) : e.initialValue;
      return {
        blockId: b.blockId!,
        actionId: e.actionId!,
        label: b.label?.text ?? e.actionId!,
        kind: select ? 'select' : 'text',
        options: (e.options ?? []).map((o) => ({ label: o.text?.text ?? o.value, value: o.value })),
        initial: typeof initial === 'string' && initial ? initial : undefined,
      };
    });
}

/** The modal as text: title, each input (hint, placeholder, initial value, numbered options, error), notes. */
export function renderView(view: IUIKitSurface, errors: Record<string, string> = {}): string[] {
  const title = (view as { title?: TextObject }).title?.text ?? '(untitled)';
  const lines = [`┌─ ${title} ─ modal ${view.id}`];
  for (const b of view.blocks as unknown as Block[]) {
    if (b.type === 'input' && b.element) {
      const e = b.element;
      lines.push(`│ ${b.label?.text ?? e.actionId}${e.type === 'static_select' ? ' (choose one)' : ''}`);
      if (b.hint?.text) lines.push(`│   hint: ${b.hint.text}`);
      if (e.placeholder?.text) lines.push(`│   placeholder: ${e.placeholder.text}`);
      const initial = e.initialOption?.value ?? e.initialValue;
      (e.options ?? []).forEach((o, i) =>
        lines.push(`│   ${i + 1}) ${o.text?.text ?? o.value}${o.value === initial ? '  ← selected' : ''}`),
      );
      if (e.type !== 'static_select' && typeof initial === 'string' && initial) lines.push(`│   value: ${initial}`);
      const error = e.actionId && errors[e.actionId];
      if (error) lines.push(`│   ⚠ ${error}`);
    } else if (b.type === 'context') {
      for (const el of b.elements ?? []) if (el.text) lines.push(`│ ℹ ${el.text.replace(/\n/g, '\n│   ')}`);
    } else if (b.type === 'section' && b.text?.text) {
      lines.push(`│ ${b.text.text.replace(/\n/g, '\n│ ')}`);
    } else if (b.type === 'divider') {
      lines.push('│ ───');
    }
  }
  const submit = (view as { submit?: { text?: TextObject } }).submit?.text?.text;
  lines.push(`└─ [${submit ?? 'Submit'}]  (Enter keeps the value in brackets; type "cancel" to close)`);
  return lines;
}

/** Turns an answer into a select value: an option number, value or label; undefined if none matches. */
function chooseOption(field: Field, answer: string): string | undefined {
  const n = Number(answer);
  if (Number.isInteger(n) && n >= 1 && n <= field.options.length) return field.options[n - 1].value;
  return field.options.find((o) => o.value === answer || o.label === answer)?.value;
}

/** How the form talks to the person filling it. */
export interface FormIO {
  /** The next answer, or undefined when there will be none (end of input). */
  ask(question: string): Promise<string | undefined>;
  print(line: string): void;
}

export type FormOutcome = { outcome: 'submitted' | 'cancelled' | 'gone'; results: InteractionResult[] };

/**
 * Shows an open modal as a form and asks field by field, submits, and on view errors shows them next to their
 * fields and asks again (the previous answers become the defaults). "cancel" closes the modal.
 */
export async function fillModal(host: WorkspaceHost, user: IUser, viewId: string, io: FormIO): Promise<FormOutcome> {
  const results: InteractionResult[] = [];
  let errors: Record<string, string> = {};
  const previous = new Map<string, string>();
  for (;;) {
    const view = host.openViews(user).find((v) => v.id === viewId);
    if (!view) return { outcome: 'gone', results };
    for (const line of renderView(view, errors)) io.print(line);
    const state: Record<string, Record<string, unknown>> = {};
    for (const field of fieldsOf(view)) {
      const fallback = previous.get(field.actionId) ?? field.initial;
      const shown = field.kind === 'select' ? field.options.findIndex((o) => o.value === fallback) + 1 : fallback;
      for (;;) {
        const answer = await io.ask(`  ${field.label}${shown ? ` [${shown}]` : ''}: `);
        if (answer === undefined || answer.trim() === 'cancel') {
          results.push(await host.closeView(user, viewId));
          io.print(`  ✗ modal closed${answer === undefined ? ' (end of input)' : ''}`);
          return { outcome: 'cancelled', results };
        }
        let value: string | undefined = answer === '' ? (fallback ?? '') : answer;
        if (field.kind === 'select' && answer !== '') value = chooseOption(field, answer.trim());
        if (value === undefined) {
          io.print(`  choose 1–${field.options.length}`);
          continue;
        }
        previous.set(field.actionId, value);
        (state[field.blockId] ??= {})[field.actionId] = value;
        break;
      }
    }
    const result = await host.submitView(user, viewId, state);
    results.push(result);
    errors = result.errors;
    const stillOpen = host.openViews(user).some((v) => v.id === viewId);
    io.print(`  → submitted; the app answered in ${result.ms} ms${stillOpen ? '' : ', modal closed'}`);
    if (!stillOpen) return { outcome: 'submitted', results };
    if (Object.keys(errors).length > 0) io.print('  the modal shows errors; try again');
  }
}
