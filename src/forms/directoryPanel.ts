import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { Accessors } from '../edge/Accessors';
import type { RoomCall } from '../edge/Call';
import { FileAccess, isShareLive } from '../sharing/access';
import { NotOwnerError } from '../sharing/errors';
import { NAME_MAX_LENGTH } from '../sharing/names';
import { Usernames } from '../sharing/people';
import { ViewKind, type DirectoryViewContext } from '../storage/ViewContextStorage';
import {
  DirectoryAction,
  directoryPage,
  directoryView,
  type DirectoryState,
  type ReceivedShare,
  type ShareLine,
} from '../ui/directoryView';
import { ActionId } from '../ui/ids';
import { openView, viewContexts, type OwnState } from './FormFlow';
import { startGrantedRetrieval } from './getForm';
import { openRemoveForm } from './removeForm';
import { openShareForm } from './shareForm';

/** A search longer than any stored name cannot match one; longer input is cut before it is kept or shown. */
const SEARCH_MAX_LENGTH = NAME_MAX_LENGTH;

type PanelState = OwnState<ViewKind.Directory>;

/** `/ipfs list`: the user's directory in the contextual bar. */
export async function openDirectoryPanel(call: RoomCall, triggerId: string): Promise<void> {
  const initial: PanelState = { kind: ViewKind.Directory, query: '', page: 0 };
  await openView(call, { triggerId }, initial, (viewId) => render(call, viewId, initial));
}

/**
 * One interaction in the panel (search, paging, back, a file's menu), in the room and for the state stored when
 * it opened: the panel's next state is saved and shown, or a file action opens its own form.
 */
export async function actInDirectoryPanel(
  call: RoomCall,
  interaction: {
    readonly viewId: string;
    readonly triggerId: string;
    readonly actionId: string;
    readonly value: string;
  },
  context: DirectoryViewContext,
): Promise<void> {
  const { actionId, value, triggerId, viewId } = interaction;
  let next: DirectoryViewContext = context;
  if (actionId === (ActionId.DirectorySearch as string)) {
    next = { ...context, query: value.trim().slice(0, SEARCH_MAX_LENGTH), page: 0 };
  } else if (actionId === (ActionId.DirectoryPage as string)) {
    next = { ...context, page: Number(value) || 0 };
  } else if (actionId === (ActionId.DirectoryBack as string)) {
    next = { ...context, historyOf: undefined };
  } else if (actionId === (ActionId.DirectoryFileMenu as string)) {
    next = await fileAction(call, triggerId, context, value);
  }
  if (next !== context) {
    await viewContexts(call).save(viewId, next);
    await call.accessors.modify
      .getUiController()
      .updateSurfaceView(await render(call, viewId, next), { triggerId }, call.user);
  }
}

/** One entry of a file's menu: `<action>|<cid>`, of a file the user owns. Returns the panel's next state. */
async function fileAction(
  call: RoomCall,
  triggerId: string,
  context: DirectoryViewContext,
  value: string,
): Promise<DirectoryViewContext> {
  const [action, cid] = value.split('|');
  const entry = await call.files.directory.byCid(cid);
  if (!entry || entry.ownerId !== call.user.id) {
    throw new NotOwnerError();
  }
  switch (action as DirectoryAction) {
    case DirectoryAction.Get:
      await startGrantedRetrieval(call, cid);
      return context;
    case DirectoryAction.Share:
      await openShareForm(call, { triggerId, file: cid, name: entry.name });
      return context;
    case DirectoryAction.History:
      return { ...context, historyOf: entry.name };
    case DirectoryAction.Remove:
      // in the list the menu stands for the whole file; in a history, for that one version
      await openRemoveForm(call, { triggerId, file: context.historyOf ? cid : entry.name });
      return context;
    default:
      return context;
  }
}

async function render(call: RoomCall, viewId: string, state: PanelState): Promise<IUIKitSurfaceViewParam> {
  return directoryView(call.t, await directoryState(call.accessors, call.user, viewId, state, Date.now()));
}

/**
 * What the directory shows at time `now`: the user's files, with whom the shown ones are shared and until
 * when, and the shares made to the user. Whether a share is live is the sharing code's decision.
 */
export async function directoryState(
  accessors: Pick<Accessors, 'appId' | 'read' | 'persistence'>,
  user: IUser,
  viewId: string,
  state: Pick<PanelState, 'query' | 'page' | 'historyOf'>,
  now: number,
): Promise<DirectoryState> {
  const access = new FileAccess(accessors.persistence, accessors.read.getPersistenceReader());
  const usernames = new Usernames(accessors.read);
  const files = await access.directory.filesOf(user.id);
  const query = state.query ?? '';
  const sharesOf = new Map<string, ShareLine[]>();
  for (const file of directoryPage(files, query, state.page ?? 0).shown) {
    const lines: ShareLine[] = [];
    for (const entry of file.versions) {
      for (const share of await access.liveSharesOf(entry.cid, now)) {
        const recipient = await usernames.of(share.recipientId);
        lines.push({ recipient, version: entry.version, until: share.expiresAt ?? now });
      }
    }
    sharesOf.set(file.versions[0].cid, lines);
  }
  const received: ReceivedShare[] = [];
  for (const grant of await access.grants.receivedBy(user.id)) {
    received.push({ grant, owner: await usernames.of(grant.ownerId), live: isShareLive(grant, now) });
  }
  const historyOf = state.historyOf ? files.find((file) => file.name === state.historyOf) : undefined;
  return { appId: accessors.appId, viewId, files, sharesOf, received, query, page: state.page ?? 0, historyOf };
}
