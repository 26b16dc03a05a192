import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { UIActionButtonContext } from '@rocket.chat/apps-engine/definition/ui';
import type { IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitIncomingInteractionType, UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { HostCommandBridge } from './bridges/commands';
import { TRIGGER_TTL_MS, clientHandles, recordDrop } from './bridges/uiInteraction';
import type { ClientPayload } from './bridges/uiInteraction';
import type { DroppedInteraction, Workspace } from './workspace';
import { clone, newId } from './workspace';

/** What the user sees after one interaction: the app's answer, views opened/updated/closed, errors, ephemerals. */
export interface InteractionResult {
  /** The app's IUIKitResponse (undefined for slash commands, which answer nothing). */
  response?: {
    success?: boolean;
    type?: string;
    viewId?: string;
    errors?: Record<string, string>;
    view?: IUIKitSurface;
  };
  /** Milliseconds until the app answered (Rocket.Chat's client gives up after 5000). */
  ms: number;
  opened: IUIKitSurface[];
  updated: IUIKitSurface[];
  closed: string[];
  /** View errors keyed by the input's actionId, as the modal shows them. */
  errors: Record<string, string>;
  ephemeral: IMessage[];
  triggerId?: string;
  /** What the client did with the app's answer (e.g. `errors`, `modal.update`); undefined: nothing to apply. */
  handled?: string;
  /** Pushed interactions and answers the client dropped meanwhile (unknown, used or expired triggerId). */
  dropped: DroppedInteraction[];
}

/** Splits a command line like Rocket.Chat's parseParameters: on spaces, keeping "quoted words" together. */
export function parseParameters(line: string): string[] {
  return (line.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((p) => p.replace(/^(["'])(.*)\1$/, '$2'));
}

/** Drives the app through the engine as Rocket.Chat's client + server would, and reports what the user sees. */
export class Interactions {
  constructor(
    readonly ws: Workspace,
    readonly manager: AppManager,
    private readonly currentAppId: () => string,
    private readonly commands: HostCommandBridge,
  ) {}

  private trigger(user: IUser): string {
    const triggerId = newId();
    this.ws.triggers.set(triggerId, { userId: user.id, at: Date.now() });
    return triggerId;
  }

  private async observe(
    user: IUser,
    triggerId: string | undefined,
    run: () => Promise<unknown>,
  ): Promise<InteractionResult> {
    const screen = this.ws.screen(user.id);
    const [i0, e0, x0] = [screen.interactions.length, screen.ephemeral.length, screen.viewErrors.length];
    const d0 = this.ws.droppedInteractions.length;
    const started = Date.now();
    const response = (await run()) as InteractionResult['response'];
    const ms = Date.now() - started;
    const result: InteractionResult = {
      response,
      ms,
      opened: [],
      updated: [],
      closed: [],
      errors: {},
      ephemeral: [],
      triggerId,
      dropped: [],
    };
    // the answer goes back in the HTTP response; the client gives up on it after 5 s, else handles it like a push
    const answer = { ...response, appId: this.currentAppId() } as ClientPayload;
    const { singleUseTriggerIds, clientTimeout } = this.ws.rules;
    if (triggerId && ms > TRIGGER_TTL_MS && singleUseTriggerIds && clientTimeout) {
      if (answer.type) recordDrop(this.ws, user.id, { ...answer, triggerId }, 'client timeout');
    } else if (singleUseTriggerIds) {
      result.handled = clientHandles(this.ws, user.id, answer, { ignoreAge: !clientTimeout });
    } else if (answer.type) {
      // lenient: the answer is applied as it is, with the interaction's triggerId
      result.handled = clientHandles(this.ws, user.id, { ...answer, triggerId: triggerId ?? '' });
    }
    for (const i of screen.interactions.slice(i0)) {
      const view = (i as { view?: IUIKitSurface }).view;
      if (!view) continue;
      if (i.type === UIKitInteractionType.MODAL_OPEN || i.type === UIKitInteractionType.CONTEXTUAL_BAR_OPEN) {
        if (screen.views.has(view.id)) result.opened.push(view);
      } else if (
        i.type === UIKitInteractionType.MODAL_UPDATE ||
        i.type === UIKitInteractionType.CONTEXTUAL_BAR_UPDATE
      ) {
        result.updated.push(view);
      } else result.closed.push(view.id);
    }
    for (const e of screen.viewErrors.slice(x0)) Object.assign(result.errors, e.errors);
    result.ephemeral = screen.ephemeral.slice(e0);
    result.dropped = this.ws.droppedInteractions.slice(d0);
    return result;
  }

  /** `/command args` typed by `user` in `room` (optionally in a thread), with a triggerId like the client sends. */
  async runSlashCommand(
    user: IUser,
    room: IRoom,
    commandLine: string,
    opts: { threadId?: string } = {},
  ): Promise<InteractionResult> {
    const [command, ...rest] = commandLine.replace(/^\//, '').split(' ');
    const params = parseParameters(rest.join(' '));
    const triggerId = this.trigger(user);
    // like Rocket.Chat's converters: fresh copies, frozen, not the workspace's own records
    const context = new SlashCommandContext(
      Object.freeze(clone(user)),
      Object.freeze(clone(room)),
      Object.freeze(params) as string[],
      opts.threadId,
      triggerId,
    );
    if (!this.commands.commands.has(command.toLowerCase())) throw new Error(`host: no slash command /${command}`);
    return this.observe(user, triggerId, () => this.manager.getCommandManager().executeCommand(command, context));
  }

  private async uikit(payload: Record<string, unknown>): Promise<unknown> {
    payload = clone(payload);
    return this.manager
      .getListenerManager()
      .executeListener(AppInterface.IUIKitInteractionHandler, { appId: this.currentAppId(), ...payload } as never);
  }

  private openView(user: IUser, viewId: string): IUIKitSurface {
    const view = this.ws.screen(user.id).views.get(viewId);
    if (!view) throw new Error(`host: view ${viewId} is not open for ${user.username}`);
    return view;
  }

  /** Submits an open view with a Rocket.Chat view state `{ [blockId]: { [actionId]: value } }`. */
  async submitView(
    user: IUser,
    viewId: string,
    state: Record<string, Record<string, unknown>>,
  ): Promise<InteractionResult> {
    const view = this.openView(user, viewId);
    const triggerId = this.trigger(user);
    const result = await this.observe(user, triggerId, () =>
      this.uikit({
        type: UIKitIncomingInteractionType.VIEW_SUBMIT,
        actionId: (view as { submit?: { actionId?: string } }).submit?.actionId,
        triggerId,
        user,
        payload: { view: { ...view, state } },
      }),
    );
    const r = result.response;
    // ActionManager.triggerSubmitView: the modal closes unless the client applied errors, an update or an open
    const keepsOpen = this.ws.rules.singleUseTriggerIds
      ? result.handled && result.handled !== String(UIKitInteractionType.MODAL_CLOSE)
      : r?.success === false || !!r?.type;
    if (!keepsOpen && this.ws.screen(user.id).views.delete(viewId)) result.closed.push(viewId);
    this.ws.changed();
    return result;
  }

  /**
   * Like submitView, with values keyed by actionId only (the blockId is looked up in the view's input blocks).
   * Untouched inputs keep their initial values, as Rocket.Chat's client seeds a view's state from its layout.
   */
  async submitViewValues(user: IUser, viewId: string, values: Record<string, unknown>): Promise<InteractionResult> {
    const view = this.openView(user, viewId);
    type InputBlock = {
      blockId?: string;
      element?: { actionId?: string; initialValue?: unknown; initialOption?: { value?: unknown } };
    };
    const blocks = view.blocks as InputBlock[];
    const state: Record<string, Record<string, unknown>> = {};
    for (const b of blocks) {
      const initial = b.element?.initialValue ?? b.element?.initialOption?.value;
      if (b.blockId && b.element?.actionId && initial !== undefined)
        (state[b.blockId] ??= {})[b.element.actionId] = initial;
    }
    for (const [actionId, value] of Object.entries(values)) {
      const block = blocks.find((b) => b.element?.actionId === actionId);
      if (!block?.blockId) throw new Error(`host: no input with actionId ${actionId} in view ${viewId}`);
      (state[block.blockId] ??= {})[actionId] = value;
    }
    return this.submitView(user, viewId, state);
  }

  /** The user dismisses an open view (×, Cancel or Esc). */
  async closeView(user: IUser, viewId: string): Promise<InteractionResult> {
    const view = this.openView(user, viewId);
    this.ws.screen(user.id).views.delete(viewId);
    const result = await this.observe(user, undefined, () =>
      this.uikit({
        type: UIKitIncomingInteractionType.VIEW_CLOSED,
        actionId: undefined,
        user,
        payload: { view, isCleared: false },
      }),
    );
    result.closed.push(viewId);
    return result;
  }

  /**
   * Clicks an app's message action (⋯ menu) on `message`. Rocket.Chat passes the room id the client sends without
   * checking it (apps/meteor/ee/server/apps/communication/uikit.ts): `claimed.room` sends another one, as a forged
   * request would.
   */
  async clickMessageAction(
    user: IUser,
    message: IMessage,
    actionId: string,
    claimed: { room?: IRoom } = {},
  ): Promise<InteractionResult> {
    const buttons = await this.manager.getUIActionButtonManager().getAllActionButtons();
    const button = buttons.find((b) => b.actionId === actionId && b.appId === this.currentAppId());
    if (!button) throw new Error(`host: no action button ${actionId} registered`);
    const triggerId = this.trigger(user);
    return this.observe(user, triggerId, () =>
      this.uikit({
        type: UIKitIncomingInteractionType.ACTION_BUTTON,
        actionId,
        triggerId,
        user,
        room: claimed.room ?? message.room,
        message,
        payload: { context: button.context ?? UIActionButtonContext.MESSAGE_ACTION },
      }),
    );
  }

  /** A block action (button, select…) in an open view (`viewId`) or in a message (`message`). */
  async blockAction(
    user: IUser,
    where: { viewId?: string; message?: IMessage; room?: IRoom },
    blockId: string,
    actionId: string,
    value?: unknown,
  ): Promise<InteractionResult> {
    const triggerId = this.trigger(user);
    const container = where.viewId ? { type: 'view', id: where.viewId } : { type: 'message', id: where.message?.id };
    return this.observe(user, triggerId, () =>
      this.uikit({
        type: UIKitIncomingInteractionType.BLOCK,
        actionId,
        triggerId,
        user,
        room: where.room ?? where.message?.room,
        message: where.message,
        container,
        payload: { blockId, value, ...(where.viewId && { view: this.openView(user, where.viewId) }) },
      }),
    );
  }
}
