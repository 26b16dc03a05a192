import {
  type UIKitViewCloseInteractionContext,
  type UIKitViewSubmitInteractionContext,
  type IUIKitResponse,
} from '@rocket.chat/apps-engine/definition/uikit';
import { translatorForUser } from '../i18n/translate';
import { MAX_CID_CHARS } from '../ipfs/cid';
import { INPUT_LIMITS, firstOverlongField } from '../limits/input';
import { ViewContextStorage, ViewKind } from '../storage/ViewContextStorage';
import { ActionId } from '../ui/ids';
import { hasErrors, type ViewErrors, type ViewState } from '../ui/viewState';
import type { Accessors } from './Accessors';
import { describeError, logFailure } from './describeError';
import { submitGet } from './GetFlow';
import { submitPut } from './PutFlow';
import { submitRemove } from './RemoveFlow';
import { submitRevoke } from './RevokeFlow';
import { submitShare } from './ShareFlow';
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

/** Routes a modal's submit to its flow by the context stored when the modal was opened. */
export async function handleViewSubmit(
  accessors: Accessors,
  context: UIKitViewSubmitInteractionContext,
): Promise<IUIKitResponse> {
  const { user, view } = context.getInteractionData();
  const responder = context.getInteractionResponder();
  const views = new ViewContextStorage(accessors.persistence, accessors.read.getPersistenceReader());
  const t = await translatorForUser(user, accessors.read);
  const respondWith = (errors: ViewErrors): IUIKitResponse =>
    hasErrors(errors) ? responder.viewErrorResponse({ viewId: view.id, errors }) : responder.successResponse();

  try {
    const viewContext = await views.find(view.id);
    if (!viewContext || viewContext.userId !== user.id) {
      const field = viewContext?.kind === ViewKind.Get || view.id.includes(ViewKind.Get) ? ActionId.Cid : ActionId.File;
      return respondWith({ [field]: t('error_modal_expired') });
    }
    const state = view.state as ViewState;
    // before any flow parses a value: every field's length is bounded, whichever form this is
    const overlong = firstOverlongField(state, (actionId) => FIELD_LIMITS[actionId] ?? INPUT_LIMITS.field);
    if (overlong) {
      return respondWith({ [overlong.actionId as ActionId]: t('error_input_too_long', { max: overlong.max }) });
    }
    const submit = SUBMITS[viewContext.kind];
    if (!submit) {
      return respondWith({ [ActionId.Password]: t('error_modal_expired') });
    }
    return respondWith(await submit(accessors, user, view.id, viewContext, state));
  } catch (error) {
    logFailure(accessors.logger, 'view submit failed', error);
    return respondWith({ [ActionId.Password]: describeError(t, error) });
  }
}

/** Forgets a closed modal's context so nothing lingers in persistence. */
export async function handleViewClose(
  accessors: Accessors,
  context: UIKitViewCloseInteractionContext,
): Promise<IUIKitResponse> {
  const { view } = context.getInteractionData();
  await new ViewContextStorage(accessors.persistence, accessors.read.getPersistenceReader()).remove(view.id);
  return context.getInteractionResponder().successResponse();
}
