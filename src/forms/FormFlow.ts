import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { RoomCall } from '../edge/Call';
import {
  ViewContextStorage,
  type FormKind,
  type ViewContext,
  type ViewContextOf,
  type ViewKind,
} from '../storage/ViewContextStorage';
import { newViewId } from '../ui/ids';
import type { ViewErrors, ViewState } from '../ui/viewState';

/**
 * What a form decided about its answer, inside the 5 s its client waits:
 * - `errors`: shown in the form, which stays open;
 * - `done`: its work is done (a share), the form closes;
 * - `background`: the form closes at once and `work` goes on; if it fails, the user is told `failure(reason)`.
 */
export type Decision =
  | { readonly errors: ViewErrors }
  | { readonly done: true }
  | { readonly background: () => Promise<void>; readonly failure: (reason: string) => string };

/**
 * One form, as data: the kind of view it is, and how it decides about an answer from the context stored when it
 * opened (never from what the client sent besides the field values). Its `open…` function lives beside it.
 * The steps every form shares (checking the room, bounding fields, forgetting the context, running the work,
 * telling a failure) happen once, in src/handlers/ViewSubmitHandler.ts.
 */
export interface FormFlow<K extends FormKind> {
  readonly kind: K;
  decide(call: RoomCall, context: ViewContextOf<K>, state: ViewState): Promise<Decision>;
}

type Own<C> = C extends ViewContext ? Omit<C, 'userId' | 'roomId' | 'threadId' | 'createdAt'> : never;

/** The state a view of kind K keeps for itself; who and where are added from the call that opens it. */
export type OwnState<K extends ViewKind = ViewKind> = Own<ViewContextOf<K>>;

/** The trigger of the user's interaction: a view opens only with it, within 5 s, once. */
export interface Trigger {
  readonly triggerId: string;
  readonly threadId?: string;
}

export function viewContexts(call: RoomCall | Pick<RoomCall, 'accessors'>): ViewContextStorage {
  const { persistence, read } = call.accessors;
  return new ViewContextStorage(persistence, read.getPersistenceReader());
}

/**
 * Opens a view under a fresh id and first remembers its context (a submit carries no room), so its later
 * interactions are answered from what the app stored, not from what a client says. `render` builds the view.
 */
export async function openView(
  call: RoomCall,
  trigger: Trigger,
  state: OwnState,
  render: (viewId: string) => IUIKitSurfaceViewParam | Promise<IUIKitSurfaceViewParam>,
): Promise<void> {
  const viewId = newViewId(state.kind);
  const context = {
    ...state,
    userId: call.user.id,
    roomId: call.room.id,
    threadId: trigger.threadId,
    createdAt: Date.now(),
  } as ViewContext;
  await viewContexts(call).save(viewId, context);
  const view = await render(viewId);
  await call.accessors.modify.getUiController().openSurfaceView(view, { triggerId: trigger.triggerId }, call.user);
}
