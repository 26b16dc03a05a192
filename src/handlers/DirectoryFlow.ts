import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUIKitResponse, UIKitBlockInteractionContext } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { readableRoom } from '../gate/roomAccess';
import { translatorForUser } from '../i18n/translate';
import { INPUT_LIMITS, boundedText } from '../limits/input';
import { FileAccess } from '../sharing/access';
import { NotOwnerError } from '../sharing/errors';
import { GrantKind } from '../storage/GrantStorage';
import { ViewKind, type ViewContext } from '../storage/ViewContextStorage';
import { DirectoryAction, directoryView } from '../ui/directoryView';
import { ActionId } from '../ui/ids';
import type { Accessors } from './Accessors';
import { openViewWithContext, viewContexts } from './openView';
import { describeError, logFailure } from './describeError';
import { startGrantedRetrieval } from './GetFlow';
import { openRemoveModal } from './RemoveFlow';
import { openShareModal } from './ShareFlow';

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
      next = { ...context, query: value.trim(), page: 0 };
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
  const access = new FileAccess(accessors.persistence, accessors.read.getPersistenceReader());
  const files = await access.directory.filesOf(user.id);
  const sharesByCid = new Map<string, number>();
  for (const file of files) {
    const grants = await access.grants.ofObject(file.versions[0].cid);
    sharesByCid.set(file.versions[0].cid, grants.filter((g) => g.kind === GrantKind.Share && g.wrapped).length);
  }
  const historyOf = context.historyOf ? files.find((file) => file.name === context.historyOf) : undefined;
  return directoryView(t, {
    appId: accessors.appId,
    viewId,
    files,
    sharesByCid,
    receivedShares: await access.grants.receivedBy(user.id),
    query: context.query ?? '',
    page: context.page ?? 0,
    historyOf,
  });
}
