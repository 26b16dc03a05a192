/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IUIKitInteraction, IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UiInteractionBridge } from '@rocket.chat/apps-engine/server/bridges/UiInteractionBridge';
import type { DroppedInteraction, Workspace } from '../workspace';
import { base } from './loud';

/** How long Rocket.Chat's client honours a triggerId (ActionManager.TRIGGER_TIMEOUT). */
export const TRIGGER_TTL_MS = 5000;

/** What the client is handed: a pushed interaction, or the app's answer to an interaction request. */
export interface ClientPayload {
  type?: string;
  triggerId?: string;
  view?: IUIKitSurface;
  viewId?: string;
  errors?: Record<string, string>;
}

/** Why the client would drop a payload with this triggerId, or undefined if it takes it. */
function dropReason(
  ws: Workspace,
  userId: string,
  triggerId: string | undefined,
  ignoreAge: boolean,
): DroppedInteraction['reason'] | undefined {
  const trigger = triggerId ? ws.triggers.get(triggerId) : undefined;
  if (!trigger || trigger.userId !== userId) return 'unknown';
  if (trigger.used) return 'used';
  if (!ignoreAge && Date.now() - trigger.at > TRIGGER_TTL_MS) return 'expired';
  return undefined;
}

/** Records a payload the client dropped, silently as far as the user can tell. */
export function recordDrop(
  ws: Workspace,
  userId: string,
  payload: ClientPayload,
  reason: DroppedInteraction['reason'],
): void {
  const viewId = payload.view?.id ?? payload.viewId;
  ws.droppedInteractions.push({ userId, type: String(payload.type), triggerId: payload.triggerId, viewId, reason });
  ws.changed();
}

/**
 * The client's ActionManager.handlePayloadUserInteraction (apps/meteor/app/ui-message/client/ActionManager.ts), for pushed
 * interactions and for the app's answers alike: a payload whose triggerId the client did not issue, already used,
 * or issued more than 5 s ago is dropped silently; otherwise the triggerId is used up and the payload applied
 * (open, update, close, errors). Returns the applied type, or undefined when dropped or typeless.
 * With HostRules.singleUseTriggerIds off, only view opens are checked (known triggerId, within 5 s).
 */
export function clientHandles(
  ws: Workspace,
  userId: string,
  payload: ClientPayload,
  options: { ignoreAge?: boolean } = {},
): string | undefined {
  if (!payload.type) return undefined;
  const screen = ws.screen(userId);
  const opens =
    payload.type === String(UIKitInteractionType.MODAL_OPEN) ||
    payload.type === String(UIKitInteractionType.CONTEXTUAL_BAR_OPEN);
  const reason = dropReason(ws, userId, payload.triggerId, !!options.ignoreAge);
  if (ws.rules.singleUseTriggerIds) {
    if (reason) {
      recordDrop(ws, userId, payload, reason);
      return undefined;
    }
    ws.triggers.get(payload.triggerId!)!.used = true;
  } else if (opens && reason && reason !== 'used') {
    recordDrop(ws, userId, payload, reason);
    return undefined;
  }
  screen.interactions.push(payload as IUIKitInteraction);
  const view = payload.view;
  switch (payload.type) {
    case String(UIKitInteractionType.MODAL_OPEN):
    case String(UIKitInteractionType.CONTEXTUAL_BAR_OPEN):
    case String(UIKitInteractionType.MODAL_UPDATE):
    case String(UIKitInteractionType.CONTEXTUAL_BAR_UPDATE):
      if (view) screen.views.set(view.id, view);
      break;
    case String(UIKitInteractionType.MODAL_CLOSE):
    case String(UIKitInteractionType.CONTEXTUAL_BAR_CLOSE):
      if (view?.id) screen.views.delete(view.id);
      break;
    case String(UIKitInteractionType.ERRORS):
      screen.viewErrors.push({ viewId: payload.viewId, errors: payload.errors ?? {} });
      break;
  }
  ws.changed();
  return payload.type;
}

/** `IUIController.openSurfaceView` & co. reach the user's client through here (Rocket.Chat: `uiInteraction` stream). */
export class HostUiInteractionBridge extends base(UiInteractionBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected async notifyUser(user: IUser, interaction: IUIKitInteraction): Promise<void> {
    clientHandles(this.ws, user.id, interaction);
  }
}
