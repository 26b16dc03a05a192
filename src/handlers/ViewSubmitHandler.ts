import {
  type UIKitViewCloseInteractionContext,
  type UIKitViewSubmitInteractionContext,
  type IUIKitResponse,
} from '@rocket.chat/apps-engine/definition/uikit';
import { Chat } from '../chat/Chat';
import { readableRoom } from '../gate/roomAccess';
import { translatorForUser } from '../i18n/translate';
import { MAX_CID_CHARS } from '../ipfs/cid';
import { INPUT_LIMITS, firstOverlongField } from '../limits/input';
import { ViewContextStorage, ViewKind } from '../storage/ViewContextStorage';
import { ActionId } from '../ui/ids';
import { hasErrors, inputFieldsOf, placeErrors, type ViewErrors, type ViewState } from '../ui/viewState';
import type { Accessors } from '../edge/Accessors';
import { describeError } from '../ui/describeError';
import { logFailure } from '../errors';
import { submitGet } from './GetFlow';
import { submitPut } from './PutFlow';
import { submitRemove } from './RemoveFlow';
import { submitRevoke } from './RevokeFlow';
import { submitShare } from './ShareFlow';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { ViewContext } from '../storage/ViewContextStorage';

type Submit = (
  accessors: Accessors,
  user: IUser,
  viewId: string,
  context: ViewContext,
  state: ViewState,
) => Promise<ViewErrors>;

/** Each modal kind's submit; the directory is a contextual bar and has none. */
const SUBMITS: Partial<Record<ViewKind, Submit>> = {
  [ViewKind.Put]: submitPut,
  [ViewKind.Get]: submitGet,
  [ViewKind.Share]: submitShare,
  [ViewKind.Remove]: submitRemove,
  [ViewKind.Revoke]: submitRevoke,
};

/** Fields with a tighter bound than {@link INPUT_LIMITS.field}; names are bounded by the sharing rules. */
const FIELD_LIMITS: Partial<Record<string, number>> = {
  [ActionId.Cid]: MAX_CID_CHARS,
  [ActionId.ShareDuration]: INPUT_LIMITS.duration,
};

/**
 * Routes a modal's submit to its flow by the context stored when the modal was opened. A submit carries no room;
 * the stored one is checked again (the user may have left it since), and a failure is shown in the form when the
 * form has a field for it, else told in chat and the form closes (a modal that refuses to close and shows
 * nothing leaves the user stuck).
 */
export async function handleViewSubmit(
  accessors: Accessors,
  context: UIKitViewSubmitInteractionContext,
): Promise<IUIKitResponse> {
  const { user, view } = context.getInteractionData();
  const responder = context.getInteractionResponder();
  const views = new ViewContextStorage(accessors.persistence, accessors.read.getPersistenceReader());
  const t = await translatorForUser(user, accessors.read);
  const fields = inputFieldsOf(view.blocks);
  let room: IRoom | undefined;
  const respondWith = async (errors: ViewErrors): Promise<IUIKitResponse> => {
    const { shown, unshown } = placeErrors(errors, fields);
    if (unshown.length > 0) {
      const chat = new Chat(accessors.read, accessors.modify);
      await chat.tell(user, room ?? (await chat.directRoomWith(user)), unshown.join('\n'));
    }
    return hasErrors(shown)
      ? responder.viewErrorResponse({ viewId: view.id, errors: shown })
      : responder.successResponse();
  };

  try {
    const viewContext = await views.find(view.id);
    const submit = viewContext && viewContext.userId === user.id ? SUBMITS[viewContext.kind] : undefined;
    if (!viewContext || !submit) {
      return await respondWith({ [fields[0] ?? ActionId.Password]: t('error_modal_expired') });
    }
    const state = view.state as ViewState;
    // before any flow parses a value: every field's length is bounded, whichever form this is
    const overlong = firstOverlongField(state, (actionId) => FIELD_LIMITS[actionId] ?? INPUT_LIMITS.field);
    if (overlong) {
      return await respondWith({ [overlong.actionId as ActionId]: t('error_input_too_long', { max: overlong.max }) });
    }
    room = await readableRoom(accessors.read, user, viewContext.roomId);
    return await respondWith(await submit(accessors, user, view.id, viewContext, state));
  } catch (error) {
    logFailure(accessors.logger, 'view submit failed', error);
    return respondWith({ [fields[0] ?? ActionId.Password]: describeError(t, error) });
  }
}

/** Forgets a closed modal's context so nothing lingers in persistence. */
export async function handleViewClose(
  accessors: Accessors,
  context: UIKitViewCloseInteractionContext,
): Promise<IUIKitResponse> {
  const { view, user } = context.getInteractionData();
  const views = new ViewContextStorage(accessors.persistence, accessors.read.getPersistenceReader());
  // a close names any view id: only its own user's close forgets a context
  if ((await views.find(view.id))?.userId === user.id) {
    await views.remove(view.id);
  }
  return context.getInteractionResponder().successResponse();
}
