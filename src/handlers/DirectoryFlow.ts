import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUIKitResponse, UIKitBlockInteractionContext } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { readableRoom } from '../gate/roomAccess';
import { translatorForUser } from '../i18n/translate';
import { INPUT_LIMITS, boundedText } from '../limits/input';
import { FileAccess, isShareLive } from '../sharing/access';
import { NAME_MAX_LENGTH } from '../sharing/names';
import { Usernames } from '../sharing/people';
import { NotOwnerError } from '../sharing/errors';
import { ViewKind, type ViewContext } from '../storage/ViewContextStorage';
import {
  DirectoryAction,
  directoryPage,
  directoryView,
  type DirectoryState,
  type ReceivedShare,
  type ShareLine,
} from '../ui/directoryView';
import { ActionId } from '../ui/ids';
import type { Accessors } from '../edge/Accessors';
import { openViewWithContext, viewContexts } from './openView';
import { describeError } from '../ui/describeError';
import { logFailure } from '../errors';
import { startGrantedRetrieval } from './GetFlow';
import { openRemoveModal } from './RemoveFlow';
import { openShareModal } from './ShareFlow';

/** A search longer than any stored name cannot match one; longer input is cut before it is kept or shown. */
const SEARCH_MAX_LENGTH = NAME_MAX_LENGTH;

/** `/ipfs list`: the user's directory in the contextual bar. */
export async function openDirectory(accessors: Accessors, user: IUser, room: IRoom, triggerId: string): Promise<void> {
  const initial = { query: '', page: 0 };
  await openViewWithContext(accessors, { user, room, triggerId }, ViewKind.Directory, initial, (viewId) =>
    render(accessors, user, viewId, initial),
  );
}

/** Search, paging, history and the per-file menu of the directory view. */
export async function handleDirectoryAction(
  accessors: Accessors,
  interaction: UIKitBlockInteractionContext,
): Promise<IUIKitResponse> {
  const data = interaction.getInteractionData();
  const { user, actionId, triggerId } = data;
  const value = data.value ?? '';
  const viewId = data.container.id;
  const responder = interaction.getInteractionResponder();
  const context = await viewContexts(accessors).find(viewId);
  if (!context || context.kind !== ViewKind.Directory || context.userId !== user.id) {
    return responder.successResponse();
  }
  const t = await translatorForUser(user, accessors.read);
  // the room where `/ipfs list` ran (Rocket.Chat checked it then), never the one this interaction names
  let room: IRoom | undefined;
  try {
    room = await readableRoom(accessors.read, user, context.roomId);
    const isSearch = actionId === (ActionId.DirectorySearch as string);
    boundedText(value, isSearch ? INPUT_LIMITS.search : INPUT_LIMITS.actionValue);
    let next: ViewContext = context;
    if (isSearch) {
      next = { ...context, query: value.trim().slice(0, SEARCH_MAX_LENGTH), page: 0 };
    } else if (actionId === (ActionId.DirectoryPage as string)) {
      next = { ...context, page: Number(value) || 0 };
    } else if (actionId === (ActionId.DirectoryBack as string)) {
      next = { ...context, historyOf: undefined };
    } else if (actionId === (ActionId.DirectoryFileMenu as string)) {
      next = await fileAction(accessors, user, room, triggerId, context, value);
    }
    if (next !== context) {
      await viewContexts(accessors).save(viewId, next);
      await accessors.modify
        .getUiController()
        .updateSurfaceView(await render(accessors, user, viewId, next), { triggerId }, user);
    }
  } catch (error) {
    logFailure(accessors.logger, 'directory action failed', error);
    const chat = new Chat(accessors.read, accessors.modify);
    await chat.tell(
      user,
      room ?? (await chat.directRoomWith(user)),
      t('command_failed', { reason: describeError(t, error) }),
    );
  }
  return responder.successResponse();
}

/** One entry of a file's menu: `<action>|<cid>`. Returns the directory's next state. */
async function fileAction(
  accessors: Accessors,
  user: IUser,
  room: IRoom,
  triggerId: string,
  context: ViewContext,
  value: string,
): Promise<ViewContext> {
  const [action, cid] = value.split('|');
  const access = new FileAccess(accessors.persistence, accessors.read.getPersistenceReader());
  const entry = await access.directory.byCid(cid);
  if (!entry || entry.ownerId !== user.id) {
    throw new NotOwnerError();
  }
  switch (action as DirectoryAction) {
    case DirectoryAction.Get:
      await startGrantedRetrieval(accessors, user, room, cid);
      return context;
    case DirectoryAction.Share:
      await openShareModal(accessors, { user, room, triggerId, file: cid, name: entry.name });
      return context;
    case DirectoryAction.History:
      return { ...context, historyOf: entry.name };
    case DirectoryAction.Remove:
      // in the list the menu stands for the whole file; in a history, for that one version
      await openRemoveModal(accessors, { user, room, triggerId, file: context.historyOf ? cid : entry.name });
      return context;
    default:
      return context;
  }
}

async function render(
  accessors: Accessors,
  user: IUser,
  viewId: string,
  context: Pick<ViewContext, 'query' | 'page' | 'historyOf'>,
): Promise<IUIKitSurfaceViewParam> {
  const t = await translatorForUser(user, accessors.read);
  return directoryView(t, await directoryState(accessors, user, viewId, context, Date.now()));
}

/**
 * What the directory shows at time `now`: the user's files, with whom the shown ones are shared and until
 * when, and the shares made to the user. Whether a share is live is the sharing code's decision.
 */
export async function directoryState(
  accessors: Pick<Accessors, 'appId' | 'read' | 'persistence'>,
  user: IUser,
  viewId: string,
  context: Pick<ViewContext, 'query' | 'page' | 'historyOf'>,
  now: number,
): Promise<DirectoryState> {
  const access = new FileAccess(accessors.persistence, accessors.read.getPersistenceReader());
  const usernames = new Usernames(accessors.read);
  const files = await access.directory.filesOf(user.id);
  const query = context.query ?? '';
  const sharesOf = new Map<string, ShareLine[]>();
  for (const file of directoryPage(files, query, context.page ?? 0).shown) {
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
  const historyOf = context.historyOf ? files.find((file) => file.name === context.historyOf) : undefined;
  return { appId: accessors.appId, viewId, files, sharesOf, received, query, page: context.page ?? 0, historyOf };
}
