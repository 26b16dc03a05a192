import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { putOne, removeEveryMatch } from '../engine/persistence';

export enum ViewKind {
  Put = 'put',
  Get = 'get',
  Share = 'share',
  Remove = 'remove',
  Revoke = 'revoke',
  Directory = 'directory',
  Archive = 'archive',
}

/** What every view remembers: whose it is and where it was opened (a submit carries no room). */
interface ViewBase {
  readonly userId: string;
  readonly roomId: string;
  readonly threadId?: string;
  readonly createdAt: number;
}

/** A file the put form offered, so its answer can only pick one of them. */
export interface OfferedFile {
  readonly fileId: string;
  readonly messageId: string;
  readonly threadRootId: string;
}

export interface PutViewContext extends ViewBase {
  readonly kind: ViewKind.Put;
  /** The file the form preselected, used when a client sends no value for an untouched select. */
  readonly preselectedFileId: string;
  readonly offeredFiles: readonly OfferedFile[];
  /** The names offered as "new version of": the answer can only pick one of them. */
  readonly offeredNames: readonly string[];
}

export interface GetViewContext extends ViewBase {
  readonly kind: ViewKind.Get;
  /** The CID the command prefilled, used when a client sends no value for an untouched input. */
  readonly prefilledCid?: string;
}

export interface ShareViewContext extends ViewBase {
  readonly kind: ViewKind.Share;
  /** The file as the directory names it (its CID). */
  readonly file: string;
}

export interface RemoveViewContext extends ViewBase {
  readonly kind: ViewKind.Remove;
  /** The file's name, to tell the user. */
  readonly file: string;
  /** The versions the user confirmed. */
  readonly cids: readonly string[];
}

export interface RevokeViewContext extends ViewBase {
  readonly kind: ViewKind.Revoke;
  /** The name whose newest version is revoked. */
  readonly file: string;
}

export interface DirectoryViewContext extends ViewBase {
  readonly kind: ViewKind.Directory;
  readonly query: string;
  readonly page: number;
  /** The name whose history is open, if any. */
  readonly historyOf?: string;
}

/** `/ipfs archive on`: the room is the view's own; the role is checked again at submit. */
export interface ArchiveViewContext extends ViewBase {
  readonly kind: ViewKind.Archive;
  /** `/ipfs archive default`: the workspace's default password (admins only, checked again at submit). */
  readonly workspace?: boolean;
}

/**
 * What a view's later interactions need but Rocket.Chat does not send with them, one shape per kind of view.
 * Keyed by the view id, so two open views never mix; the kind is read from here, never from the id. Holds no
 * secret.
 */
export type ViewContext =
  | PutViewContext
  | GetViewContext
  | ShareViewContext
  | RemoveViewContext
  | RevokeViewContext
  | DirectoryViewContext
  | ArchiveViewContext;

export type ViewContextOf<K extends ViewKind> = Extract<ViewContext, { kind: K }>;

/** The kinds of views that are forms (modals with a submit); the directory is a panel. */
export type FormKind = Exclude<ViewKind, ViewKind.Directory>;

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-view-context');

/** Views nobody closed are forgotten after a day. */
const STALE_AFTER_MS = 24 * 3_600_000;

function owner(userId: string): RocketChatAssociationRecord {
  return new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId);
}

function associations(viewId: string): RocketChatAssociationRecord[] {
  return [KIND, new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `view:${viewId}`)];
}

export class ViewContextStorage {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  /**
   * One record per view (an upsert on its exact associations). Also forgets the user's views older than a
   * day: a client that closed one without telling the app (a crashed tab, a contextual bar) would otherwise
   * leave its context behind for good.
   */
  public async save(viewId: string, context: ViewContext): Promise<void> {
    const mine = [KIND, owner(context.userId)];
    const stale = ((await this.reader.readByAssociations(mine)) as Array<ViewContext & { viewId?: string }>).filter(
      (old) => old.createdAt < Date.now() - STALE_AFTER_MS && old.viewId && old.viewId !== viewId,
    );
    for (const old of stale) {
      await this.remove(old.viewId as string);
    }
    await putOne(this.persistence, this.reader, [...associations(viewId), owner(context.userId)], {
      ...context,
      viewId,
    });
  }

  public async find(viewId: string): Promise<ViewContext | undefined> {
    const [record] = (await this.reader.readByAssociations(associations(viewId))) as ViewContext[];
    // persistence gives back `null` for a field written as undefined
    return record && (Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null)) as ViewContext);
  }

  public async remove(viewId: string): Promise<void> {
    await removeEveryMatch(this.persistence, this.reader, associations(viewId));
  }
}
