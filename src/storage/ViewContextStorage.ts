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
}

/**
 * What a view submit needs but Rocket.Chat does not send with it: where the modal was opened.
 * Keyed by the view id, so two open modals never mix. Holds no secret.
 */
export interface ViewContext {
  readonly kind: ViewKind;
  readonly userId: string;
  readonly roomId: string;
  readonly threadId?: string;
  readonly createdAt: number;
  /** For a get: the CID the command prefilled, used when a client sends no value for an untouched input. */
  readonly prefilledCid?: string;
  /** For a put: the file the modal preselected, used when a client sends no value for an untouched select. */
  readonly preselectedFileId?: string;
  /** For a put: the files the modal offered, so the answer can only pick one of them. */
  readonly offeredFiles?: ReadonlyArray<{ fileId: string; messageId: string; threadRootId: string }>;
  /** For a put: the names offered as "new version of", so the answer can only pick one of them. */
  readonly offeredNames?: readonly string[];
  /** For a share, remove or revoke: the file as the user named it (name, name@n or CID). */
  readonly file?: string;
  /** For a remove: the CIDs of the versions the user confirmed. */
  readonly cids?: readonly string[];
  /** For the directory: its search, page and the name whose history is open. */
  readonly query?: string;
  readonly page?: number;
  readonly historyOf?: string;
}

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
    return record;
  }

  public async remove(viewId: string): Promise<void> {
    await removeEveryMatch(this.persistence, this.reader, associations(viewId));
  }
}
