import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { InteractionResult, WorkspaceHost } from '../host';

interface TextObject {
  text?: string;
}
interface Element {
  type?: string;
  blockId?: string;
  actionId?: string;
  text?: TextObject;
  value?: string;
  placeholder?: TextObject;
  initialValue?: unknown;
  options?: Array<{ text?: TextObject; value: string }>;
}
interface Block {
  type: string;
  blockId?: string;
  label?: TextObject;
  text?: TextObject;
  element?: Element;
  elements?: Array<Element & TextObject>;
  accessory?: Element;
}

/** One section's overflow menu (the n-th of them is `menu <n>`). */
export interface Menu {
  readonly blockId: string;
  readonly actionId: string;
  /** `action` is the option value's first part (`get|<cid>` → `get`). */
  readonly options: Array<{ action: string; label: string; value: string }>;
}

/** One button of an actions block. */
export interface Button {
  readonly blockId: string;
  readonly actionId: string;
  readonly label: string;
  readonly value: string;
}

export function isContextualBar(view: IUIKitSurface): boolean {
  return (view as { type?: string }).type === 'contextualBar';
}

function blocksOf(view: IUIKitSurface): Block[] {
  return view.blocks as unknown as Block[];
}

export function menusOf(view: IUIKitSurface): Menu[] {
  return blocksOf(view)
    .filter((b) => b.accessory?.type === 'overflow' && b.accessory.actionId)
    .map((b) => ({
      blockId: b.accessory!.blockId ?? b.blockId ?? '',
      actionId: b.accessory!.actionId!,
      options: (b.accessory!.options ?? []).map((o) => ({
        action: o.value.split('|')[0],
        label: o.text?.text ?? o.value,
        value: o.value,
      })),
    }));
}

export function buttonsOf(view: IUIKitSurface): Button[] {
  return blocksOf(view)
    .filter((b) => b.type === 'actions')
    .flatMap((b) =>
      (b.elements ?? [])
        .filter((e) => e.type === 'button' && e.actionId)
        .map((e) => ({
          blockId: e.blockId ?? b.blockId ?? '',
          actionId: e.actionId!,
          label: e.text?.text ?? e.actionId!,
          value: e.value ?? '',
        })),
    );
}

/** What to type for a button: `back`, `page <n>` (pages counted from 1, as the summary shows them). */
function buttonCommand(b: Button): string {
  if (b.actionId.endsWith('_back')) return 'back';
  if (b.actionId.endsWith('_page')) return `page ${Number(b.value) + 1}`;
  return b.actionId;
}

/** The contextual bar as text: title, search input, notes, numbered file sections with their menus, buttons. */
export function renderBar(view: IUIKitSurface): string[] {
  const title = (view as { title?: TextObject }).title?.text ?? '(untitled)';
  const lines = [`┏━ ${title} ━ contextual bar ${view.id}`];
  const menus = menusOf(view);
  let n = 0;
  for (const b of blocksOf(view)) {
    if (b.type === 'input' && b.element) {
      const value = typeof b.element.initialValue === 'string' ? b.element.initialValue : '';
      const hint = value ? `“${value}”` : `(${b.element.placeholder?.text ?? 'empty'})`;
      lines.push(`┃ 🔍 ${b.label?.text ?? b.element.actionId}: ${hint}   → search <text>`);
    } else if (b.type === 'context') {
      for (const el of b.elements ?? []) if (el.text) lines.push(`┃ ℹ ${el.text.replace(/\n/g, '\n┃   ')}`);
    } else if (b.type === 'section' && b.text?.text) {
      const menu = b.accessory?.type === 'overflow' ? menus[n++] : undefined;
      const prefix = menu ? `${n}) ` : '';
      lines.push(`┃ ${prefix}${b.text.text.replace(/\n/g, `\n┃ ${' '.repeat(prefix.length)}`)}`);
      if (menu)
        lines.push(`┃ ${' '.repeat(prefix.length)}⋯ menu ${n} <${menu.options.map((o) => o.action).join('|')}>`);
    } else if (b.type === 'actions') {
      const buttons = buttonsOf({ ...view, blocks: [b] } as unknown as IUIKitSurface);
      lines.push(`┃ ${buttons.map((x) => `[${x.label}] → ${buttonCommand(x)}`).join('   ')}`);
    } else if (b.type === 'divider') {
      lines.push('┃ ───');
    }
  }
  lines.push('┗━ menu <n> <action> · search <text> · page <n> · back · close · bar (show again)');
  return lines;
}

/** Acts on the user's open contextual bar as its clicks and typing would. */
export class BarDriver {
  constructor(
    private readonly host: WorkspaceHost,
    private readonly user: IUser,
    private readonly room: IRoom,
  ) {}

  /** The contextual bar the user opened last (the one a client shows); throws when there is none. */
  current(): IUIKitSurface {
    const bar = this.host.openViews(this.user).filter(isContextualBar).at(-1);
    if (!bar) throw new Error('no contextual bar is open (try /ipfs list)');
    return bar;
  }

  private click(blockId: string, actionId: string, value: string): Promise<InteractionResult> {
    const where = { viewId: this.current().id, room: this.room };
    return this.host.blockAction(this.user, where, blockId, actionId, value);
  }

  /** `menu <n> <action>`: the n-th section's overflow menu, option by its action (get, share…) or label. */
  menu(n: number, action: string): Promise<InteractionResult> {
    const menus = menusOf(this.current());
    const menu = menus[n - 1];
    if (!menu) throw new Error(`no menu ${n}: the bar has ${menus.length}`);
    const option = menu.options.find((o) => o.action === action || o.label.toLowerCase() === action.toLowerCase());
    if (!option) throw new Error(`menu ${n} offers ${menu.options.map((o) => o.action).join(', ')}`);
    return this.click(menu.blockId, menu.actionId, option.value);
  }

  /** `search <text>`: types into the bar's input (dispatched as a block action). */
  search(text: string): Promise<InteractionResult> {
    const input = blocksOf(this.current()).find((b) => b.type === 'input' && b.element?.actionId);
    if (!input) throw new Error('this bar has no search field');
    return this.click(input.element!.blockId ?? input.blockId ?? '', input.element!.actionId!, text);
  }

  /** `page <n>` (from 1, as shown), `page next` or `page prev`. */
  page(which: string): Promise<InteractionResult> {
    const pagers = buttonsOf(this.current()).filter((b) => b.actionId.endsWith('_page'));
    if (pagers.length === 0) throw new Error('there is only one page');
    const labelled = (word: string) => pagers.find((b) => b.label.toLowerCase().startsWith(word));
    const button = which === 'next' ? labelled('next') : which === 'prev' ? labelled('prev') : undefined;
    const n = Number(which);
    if (!button && !(Number.isInteger(n) && n >= 1)) throw new Error('usage: page <n|next|prev>');
    return this.click(pagers[0].blockId, pagers[0].actionId, button?.value ?? String(n - 1));
  }

  /** `back`: the bar's Back button. */
  back(): Promise<InteractionResult> {
    const button = buttonsOf(this.current()).find((b) => b.actionId.endsWith('_back'));
    if (!button) throw new Error('this bar has no Back button');
    return this.click(button.blockId, button.actionId, button.value);
  }

  close(): Promise<InteractionResult> {
    return this.host.closeView(this.user, this.current().id);
  }
}
