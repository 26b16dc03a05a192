/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IUIKitInteraction, IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UiInteractionBridge } from '@rocket.chat/apps-engine/server/bridges/UiInteractionBridge';
import type { Workspace } from '../workspace';
import { base } from './loud';

/** How long Rocket.Chat's client honours a triggerId for opening a view. */
export const TRIGGER_TTL_MS = 5000;

/** Applies a UI-kit interaction to the user's screen the way Rocket.Chat's client would. */
export function applyInteraction(ws: Workspace, userId: string, interaction: IUIKitInteraction): void {
  const screen = ws.screen(userId);
  screen.interactions.push(interaction);
  const view = (interaction as { view?: IUIKitSurface }).view;
  switch (interaction.type) {
    case UIKitInteractionType.MODAL_OPEN:
    case UIKitInteractionType.CONTEXTUAL_BAR_OPEN: {
      // the client opens a view only for a triggerId it issued to this user, at most 5 s ago
      const trigger = ws.triggers.get(interaction.triggerId);
      if (!trigger || trigger.userId !== userId || Date.now() - trigger.at > TRIGGER_TTL_MS) {
        ws.gap(
          `host: ${interaction.type} ignored by the client: unknown or expired triggerId ${interaction.triggerId}`,
        );
        break;
      }
      if (view) screen.views.set(view.id, view);
      break;
    }
    case UIKitInteractionType.MODAL_UPDATE:
    case UIKitInteractionType.CONTEXTUAL_BAR_UPDATE:
      if (view) screen.views.set(view.id, view);
      break;
    case UIKitInteractionType.MODAL_CLOSE:
    case UIKitInteractionType.CONTEXTUAL_BAR_CLOSE:
      if (view?.id) screen.views.delete(view.id);
      break;
    case UIKitInteractionType.ERRORS:
      screen.viewErrors.push({
        viewId: (interaction as { viewId?: string }).viewId,
        errors: (interaction as { errors?: Record<string, string> }).errors ?? {},
      });
      break;
  }
  ws.changed();
}

/** `IUIController.openSurfaceView` & co. reach the user's client through here (Rocket.Chat: `uiInteraction` stream). */
export class HostUiInteractionBridge extends base(UiInteractionBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected async notifyUser(user: IUser, interaction: IUIKitInteraction): Promise<void> {
    applyInteraction(this.ws, user.id, interaction);
  }
}
