import {
  type IUIKitResponse,
  type UIKitViewCloseInteractionContext,
  type UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { Accessors } from '../edge/Accessors';
import { inCheckedRoom, startCall, type Call, type RoomCall } from '../edge/Call';
import { logFailure } from '../errors';
import type { Decision, FormFlow } from '../forms/FormFlow';
import { getForm } from '../forms/getForm';
import { putForm } from '../forms/putForm';
import { removeForm } from '../forms/removeForm';
import { revokeForm } from '../forms/revokeForm';
import { shareForm } from '../forms/shareForm';
import { readableRoom } from '../gate/roomAccess';
import { MAX_CID_CHARS } from '../ipfs/cid';
import { runInBackground } from '../jobs/background';
import { INPUT_LIMITS, firstOverlongField } from '../limits/input';
import { archiveForm } from '../archive/archiveForm';
import { ViewKind, type FormKind, type ViewContext, type ViewContextOf } from '../storage/ViewContextStorage';
import { describeError } from '../ui/describeError';
import { ActionId } from '../ui/ids';
import { hasErrors, inputFieldsOf, placeErrors, type ViewErrors, type ViewState } from '../ui/viewState';
import { viewContexts } from '../forms/FormFlow';

/** Every form by the kind of view it is; the directory is a panel and has no submit. */
const FORMS: { readonly [K in FormKind]: FormFlow<K> } = {
  [ViewKind.Put]: putForm,
  [ViewKind.Get]: getForm,
  [ViewKind.Share]: shareForm,
  [ViewKind.Remove]: removeForm,
  [ViewKind.Revoke]: revokeForm,
  [ViewKind.Archive]: archiveForm,
};

/** Fields with a tighter bound than {@link INPUT_LIMITS.field}; names are bounded by the sharing rules. */
const FIELD_LIMITS: Partial<Record<string, number>> = {
  [ActionId.Cid]: MAX_CID_CHARS,
  [ActionId.ShareDuration]: INPUT_LIMITS.duration,
};

function isForm(context: ViewContext): context is ViewContextOf<FormKind> {
  return context.kind !== ViewKind.Directory;
}

function decide(call: RoomCall, context: ViewContextOf<FormKind>, state: ViewState): Promise<Decision> {
  // FORMS pairs every kind with its own flow, so the context is the one that flow expects
  const flow = FORMS[context.kind] as FormFlow<FormKind>;
  return flow.decide(call, context, state);
}

/**
 * The one path of every form's submit. A submit carries no room: the view's stored context says which form it
 * is, whose, and where it was opened; that room is checked again (the user may have left it). Every field is
 * bounded before a form reads it. The form decides; its errors are shown in it when it has a field for them,
 * else told in chat and the form closes (a form that refuses to close and shows nothing leaves its user stuck).
 * Once it closes, its context is forgotten and any background work starts, a failure told to the user.
 */
export async function handleViewSubmit(
  accessors: Accessors,
  interaction: UIKitViewSubmitInteractionContext,
): Promise<IUIKitResponse> {
  const { user, view } = interaction.getInteractionData();
  const responder = interaction.getInteractionResponder();
  const call = await startCall(accessors, user);
  const fields = inputFieldsOf(view.blocks);
  const state = view.state as ViewState;
  let room: RoomCall | undefined;
  const respondWith = async (errors: ViewErrors): Promise<IUIKitResponse> => {
    const { shown, unshown } = placeErrors(errors, fields);
    if (unshown.length > 0) {
      await tell(room ?? call, unshown.join('\n'));
    }
    return hasErrors(shown)
      ? responder.viewErrorResponse({ viewId: view.id, errors: shown })
      : responder.successResponse();
  };
  const firstField = fields[0] ?? ActionId.Password;

  try {
    const context = await viewContexts({ accessors }).find(view.id);
    if (!context || context.userId !== user.id || !isForm(context)) {
      return await respondWith({ [firstField]: call.t('error_modal_expired') });
    }
    const overlong = firstOverlongField(state, (actionId) => FIELD_LIMITS[actionId] ?? INPUT_LIMITS.field);
    if (overlong) {
      return await respondWith({
        [overlong.actionId as ActionId]: call.t('error_input_too_long', { max: overlong.max }),
      });
    }
    room = inCheckedRoom(call, await readableRoom(accessors.read, user, context.roomId));
    const decision = await decide(room, context, state);
    if ('errors' in decision && hasErrors(decision.errors)) {
      return await respondWith(decision.errors);
    }
    await viewContexts(room).remove(view.id);
    if ('background' in decision) {
      startBackground(room, decision);
    }
    return responder.successResponse();
  } catch (error) {
    logFailure(accessors.logger, 'view submit failed', error);
    return respondWith({ [firstField]: describeError(call.t, error) });
  }
}

/**
 * A form's work after it closed; a failure is told to the user where the form was. (Not logged: the engine's
 * logger of this call is flushed with its answer, so a line written later is lost.)
 */
function startBackground(call: RoomCall, decision: Extract<Decision, { background: unknown }>): void {
  runInBackground(decision.background, (error) =>
    call.chat.tell(call.user, call.room, decision.failure(describeError(call.t, error))),
  );
}

/** Tells the user something in the checked room, or in their DM with the app when no room was checked. */
async function tell(call: Call | RoomCall, text: string): Promise<void> {
  const where = 'room' in call ? call.room : await call.chat.directRoomWith(call.user);
  await call.chat.tell(call.user, where, text);
}

/** Forgets a closed view's context so nothing lingers in persistence; only the view's own user's close does. */
export async function handleViewClose(
  accessors: Accessors,
  interaction: UIKitViewCloseInteractionContext,
): Promise<IUIKitResponse> {
  const { view, user } = interaction.getInteractionData();
  const views = viewContexts({ accessors });
  if ((await views.find(view.id))?.userId === user.id) {
    await views.remove(view.id);
  }
  return interaction.getInteractionResponder().successResponse();
}
