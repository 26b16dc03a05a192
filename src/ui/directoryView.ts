import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { LayoutBlock } from '@rocket.chat/ui-kit';
import type { Translate } from '../i18n/translate';
import type { DirectoryEntry, DirectoryFile } from '../storage/DirectoryStorage';
import type { Grant } from '../storage/GrantStorage';
import { contextNote, markdownSection, plain } from './blocks';
import { formatBytes, formatDate, markdownLiteral } from './format';
import { ActionId, BlockId } from './ids';

export const DIRECTORY_PAGE_SIZE = 8;

/** The file actions of the directory's per-file menu; the menu's value is `<action>|<cid>`. */
export enum DirectoryAction {
  Get = 'get',
  Share = 'share',
  History = 'history',
  Remove = 'remove',
}

/** One person a file is shared with, as the sharing code decided it is live. */
export interface ShareLine {
  readonly recipient: string;
  readonly version: number;
  readonly until: number;
}

/** A share another user made to this one; `live` as the sharing code decided it. */
export interface ReceivedShare {
  readonly grant: Grant;
  readonly owner: string;
  readonly live: boolean;
}

export interface DirectoryState {
  readonly appId: string;
  readonly viewId: string;
  readonly files: readonly DirectoryFile[];
  /** Live shares of each shown file (any version), keyed by the file's newest CID. */
  readonly sharesOf: ReadonlyMap<string, readonly ShareLine[]>;
  readonly received: readonly ReceivedShare[];
  readonly query: string;
  readonly page: number;
  /** When set, the view shows this name's versions instead of the list. */
  readonly historyOf?: DirectoryFile;
}

/** The user's directory in the contextual bar: search, one page of files with their menus, shares received. */
export function directoryView(t: Translate, state: DirectoryState): IUIKitSurfaceViewParam {
  const blocks = state.historyOf ? historyBlocks(t, state, state.historyOf) : listBlocks(t, state);
  return {
    id: state.viewId,
    type: UIKitSurfaceType.CONTEXTUAL_BAR,
    notifyOnClose: true,
    title: plain(state.historyOf ? t('directory_history_title', { name: state.historyOf.name }) : t('directory_title')),
    blocks,
  };
}

/** The files a search matches and the page of them shown (the page number clamped to what exists). */
export function directoryPage(
  files: readonly DirectoryFile[],
  query: string,
  requestedPage: number,
): { matching: number; shown: DirectoryFile[]; page: number; pages: number } {
  const matching = files.filter((file) => file.name.toLowerCase().includes(query.toLowerCase()));
  const pages = Math.max(1, Math.ceil(matching.length / DIRECTORY_PAGE_SIZE));
  const page = Math.min(Math.max(0, requestedPage), pages - 1);
  const shown = matching.slice(page * DIRECTORY_PAGE_SIZE, (page + 1) * DIRECTORY_PAGE_SIZE);
  return { matching: matching.length, shown, page, pages };
}

function listBlocks(t: Translate, state: DirectoryState): LayoutBlock[] {
  const { appId } = state;
  const { matching, shown, page, pages } = directoryPage(state.files, state.query, state.page);
  const blocks: LayoutBlock[] = [
    {
      type: 'input',
      blockId: BlockId.DirectorySearch,
      label: plain(t('directory_search_label')),
      optional: true,
      element: {
        type: 'plain_text_input',
        appId,
        blockId: BlockId.DirectorySearch,
        actionId: ActionId.DirectorySearch,
        placeholder: plain(t('directory_search_placeholder')),
        ...(state.query ? { initialValue: state.query } : {}),
        dispatchActionConfig: ['on_character_entered'],
      },
    },
    contextNote('ipfs_dir_summary', t('directory_summary', { count: matching, page: page + 1, pages })),
  ];
  if (shown.length === 0) {
    const query = markdownLiteral(state.query);
    blocks.push(markdownSection(state.query ? t('directory_no_match', { query }) : t('list_empty')));
  }
  for (const file of shown) {
    const newest = file.versions[0];
    const text = t('directory_file_line', {
      name: markdownLiteral(file.name),
      versions: file.versions.length,
      size: formatBytes(newest.size),
      date: formatDate(newest.storedAt),
      shared: sharedWith(t, newest.version, state.sharesOf.get(newest.cid) ?? []),
      cid: newest.cid,
    });
    blocks.push(fileSection(t, appId, text, newest, Object.values(DirectoryAction)));
  }
  if (pages > 1) {
    blocks.push(pager(t, appId, page, pages));
  }
  if (state.received.length > 0) {
    blocks.push(markdownSection(t('directory_received_title')));
    for (const { grant, owner, live } of state.received) {
      const facts = { name: markdownLiteral(grant.name), owner, date: formatDate(grant.expiresAt ?? 0) };
      const line = live
        ? t('directory_received_line', { ...facts, cid: grant.cid })
        : t('directory_received_expired', facts);
      blocks.push(markdownSection(line));
    }
  }
  return blocks;
}

/** "Shared with @bob until …, @carol (v1) until …": the version is named when it is not the newest. */
function sharedWith(t: Translate, newestVersion: number, shares: readonly ShareLine[]): string {
  if (shares.length === 0) {
    return t('directory_not_shared');
  }
  const items = shares.map((share) => {
    const facts = { user: share.recipient, date: formatDate(share.until), version: share.version };
    return share.version === newestVersion
      ? t('directory_share_item', facts)
      : t('directory_share_item_version', facts);
  });
  return t('directory_shared_with', { shares: items.join(', ') });
}

function historyBlocks(t: Translate, state: DirectoryState, file: DirectoryFile): LayoutBlock[] {
  const blocks: LayoutBlock[] = file.versions.map((entry) =>
    fileSection(
      t,
      state.appId,
      t('history_line', {
        version: entry.version,
        size: formatBytes(entry.size),
        date: formatDate(entry.storedAt),
        cid: entry.cid,
      }),
      entry,
      [DirectoryAction.Get, DirectoryAction.Remove],
    ),
  );
  blocks.push({
    type: 'actions',
    blockId: BlockId.DirectoryPager,
    elements: [
      {
        type: 'button',
        appId: state.appId,
        blockId: BlockId.DirectoryPager,
        actionId: ActionId.DirectoryBack,
        text: plain(t('directory_back')),
        value: 'back',
      },
    ],
  });
  return blocks;
}

function fileSection(
  t: Translate,
  appId: string,
  text: string,
  entry: DirectoryEntry,
  actions: DirectoryAction[],
): LayoutBlock {
  return {
    type: 'section',
    blockId: `ipfs_dir_file_${entry.cid}`,
    text: { type: 'mrkdwn', text },
    accessory: {
      type: 'overflow',
      appId,
      blockId: `ipfs_dir_file_${entry.cid}`,
      actionId: ActionId.DirectoryFileMenu,
      options: actions.map((action) => ({
        text: plain(actionLabel(t, action)),
        value: `${action}|${entry.cid}`,
      })),
    },
  };
}

function pager(t: Translate, appId: string, page: number, pages: number): LayoutBlock {
  const button = (
    label: string,
    target: number,
  ): NonNullable<Extract<LayoutBlock, { type: 'actions' }>['elements'][number]> => ({
    type: 'button',
    appId,
    blockId: BlockId.DirectoryPager,
    actionId: ActionId.DirectoryPage,
    text: plain(label),
    value: String(target),
  });
  return {
    type: 'actions',
    blockId: BlockId.DirectoryPager,
    elements: [
      ...(page > 0 ? [button(t('directory_previous'), page - 1)] : []),
      ...(page < pages - 1 ? [button(t('directory_next'), page + 1)] : []),
    ],
  };
}

function actionLabel(t: Translate, action: DirectoryAction): string {
  switch (action) {
    case DirectoryAction.Get:
      return t('directory_action_get');
    case DirectoryAction.Share:
      return t('directory_action_share');
    case DirectoryAction.History:
      return t('directory_action_history');
    case DirectoryAction.Remove:
      return t('directory_action_remove');
  }
}
