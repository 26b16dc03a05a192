import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { ViewContext, ViewKind } from '../storage/ViewContextStorage';
import { ViewContextStorage } from '../storage/ViewContextStorage';
import { newViewId } from '../ui/ids';
import type { Accessors } from '../edge/Accessors';

/** Who opens a view, where, and the trigger of their interaction (a view opens only with it, within 5 s). */
export interface ViewOpening {
  readonly user: IUser;
  readonly room: IRoom;
  readonly triggerId: string;
  readonly threadId?: string;
}

/** The per-view records of one call into the app. */
export function viewContexts(accessors: Accessors): ViewContextStorage {
  return new ViewContextStorage(accessors.persistence, accessors.read.getPersistenceReader());
}

/**
 * Opens a view under a fresh id and first remembers where it was opened (a submit carries no room), plus
 * what the view's kind needs later. `render` builds the view for that id.
 */
export async function openViewWithContext(
  accessors: Accessors,
  opening: ViewOpening,
  kind: ViewKind,
  extra: Partial<ViewContext>,
  render: (viewId: string) => IUIKitSurfaceViewParam | Promise<IUIKitSurfaceViewParam>,
): Promise<void> {
  const viewId = newViewId(kind);
  const context: ViewContext = {
    kind,
    userId: opening.user.id,
    roomId: opening.room.id,
    threadId: opening.threadId,
    createdAt: Date.now(),
    ...extra,
  };
  await viewContexts(accessors).save(viewId, context);
  const view = await render(viewId);
  await accessors.modify.getUiController().openSurfaceView(view, { triggerId: opening.triggerId }, opening.user);
}
