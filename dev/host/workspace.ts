import { randomBytes } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { IMessage, IMessageAttachment, IMessageFile } from '@rocket.chat/apps-engine/definition/messages';
import type { IMessageRaw } from '@rocket.chat/apps-engine/definition/messages/IMessageRaw';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUIKitInteraction, IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UserStatusConnection, UserType } from '@rocket.chat/apps-engine/definition/users';
import type { HostJob } from './bridges/scheduler';
import type { HostRules, RoomPolicy } from './rules';
import { DEFAULT_PERMISSIONS, STRICT_RULES } from './rules';

/** A message as the workspace stores it (Rocket.Chat's IMessage, in the apps-engine's field names). */
export interface StoredMessage {
  id: string;
  roomId: string;
  senderId: string;
  text: string;
  createdAt: Date;
  updatedAt: Date;
  threadId?: string;
  editedAt?: Date;
  editorId?: string;
  file?: IMessageFile & { size?: number; format?: string };
  files?: Array<IMessageFile & { size?: number; format?: string }>;
  attachments?: IMessageAttachment[];
  blocks?: unknown[];
  customFields?: Record<string, unknown>;
  alias?: string;
  avatarUrl?: string;
  emoji?: string;
  groupable?: boolean;
  parseUrls?: boolean;
}

/** A stored upload and its bytes. */
export interface StoredUpload {
  id: string;
  name: string;
  type: string;
  size: number;
  roomId: string;
  userId?: string;
  uploadedAt: Date;
  bytes: Buffer;
  /** Came from a federated server: Rocket.Chat never finishes reading it. */
  federated?: boolean;
  /** End-to-end encrypted by the uploader's client: the stored bytes are ciphertext. */
  e2ee?: boolean;
}

/** A view/update/errors interaction the client dropped because its triggerId was unknown, used or too old. */
export interface DroppedInteraction {
  userId: string;
  type: string;
  triggerId?: string;
  viewId?: string;
  reason: 'unknown' | 'used' | 'expired' | 'client timeout';
}

/** One record of the app's persistence collection, as Rocket.Chat keeps it. */
export interface PersistenceRecord {
  id: string;
  appId: string;
  associations?: Array<{ model: string; id: string }>;
  data: object;
}

/** What one user's client has been sent: open views, view errors, ephemeral messages. */
export interface UserScreen {
  views: Map<string, IUIKitSurface>;
  viewErrors: Array<{ viewId?: string; errors: Record<string, string> }>;
  ephemeral: IMessage[];
  interactions: IUIKitInteraction[];
}

/** A deep copy (Dates and Buffers survive), as data leaving a database would be. */
export function clone<T>(v: T): T {
  return deserialize(serialize(v)) as T;
}

/** A 17-character id like Meteor's Random.id(). */
export function newId(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
  return Array.from(randomBytes(17), (b) => alphabet[b % alphabet.length]).join('');
}

/** The in-memory workspace every bridge reads and writes. */
export class Workspace {
  readonly users = new Map<string, IUser>();
  readonly rooms = new Map<string, IRoom>();
  readonly messages: StoredMessage[] = [];
  readonly uploads = new Map<string, StoredUpload>();
  readonly persistence = new Map<string, PersistenceRecord>();
  /** Room roles per room, then per user (Rocket.Chat keeps them on the subscription); the creator is an owner. */
  private readonly roles = new Map<string, Map<string, string[]>>();
  /** Scheduler jobs, as agenda keeps them in the database: any server instance of the workspace may run one. */
  readonly jobs = new Map<string, HostJob>();
  readonly serverSettings = new Map<string, unknown>();
  readonly screens = new Map<string, UserScreen>();
  /** Calls to bridge methods the host does not implement, and other host-side errors worth a test's attention. */
  readonly gaps: string[] = [];
  /** triggerIds the "client" issued (Rocket.Chat's client honours them once, within 5 s; see uiInteraction.ts). */
  readonly triggers = new Map<string, { userId: string; at: number; used?: boolean }>();
  /** Interactions the client dropped (unknown, used or expired triggerId), for tests to assert. */
  readonly droppedInteractions: DroppedInteraction[] = [];
  /** Which server/client rules are enforced (STRICT_RULES unless a test changed them). */
  rules: HostRules = { ...STRICT_RULES };
  /** Roles per permission, for the permissions the rules check (Rocket.Chat's defaults; tests may change them). */
  readonly permissions: Record<string, string[]> = Object.fromEntries(
    Object.entries(DEFAULT_PERMISSIONS).map(([id, roles]) => [id, [...roles]]),
  );
  /** Permission checks the engine refused (it only logs them; the app sees an empty result). */
  readonly permissionDenials: string[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(readonly now: () => Date) {}

  /** Adds a human user. */
  addUser(u: { username: string; name?: string; roles?: string[]; language?: string; id?: string }): IUser {
    const at = this.now();
    const user: IUser = {
      id: u.id ?? newId(),
      username: u.username,
      name: u.name ?? u.username,
      emails: [{ address: `${u.username}@example.invalid`, verified: true }],
      type: UserType.USER,
      isEnabled: true,
      roles: u.roles ?? ['user'],
      status: 'online',
      statusConnection: UserStatusConnection.ONLINE,
      utcOffset: 0,
      createdAt: at,
      updatedAt: at,
      lastLoginAt: at,
      ...(u.language && { settings: { preferences: { language: u.language } } }),
    };
    this.users.set(user.id, user);
    return user;
  }

  /** The room roles of a room's members (userId → roles). */
  roomRoles(roomId: string): Map<string, string[]> {
    let roles = this.roles.get(roomId);
    if (!roles) {
      roles = new Map();
      this.roles.set(roomId, roles);
    }
    return roles;
  }

  /** Members of a room holding a room role; the creator counts as `owner` (createRoom gives it the role). */
  usersWithRoomRole(roomId: string, role: string): IUser[] {
    const room = this.rooms.get(roomId);
    const ids = [...this.roomRoles(roomId)].filter(([, roles]) => roles.includes(role)).map(([id]) => id);
    if (role === 'owner' && room?.creator && !ids.includes(room.creator.id)) ids.unshift(room.creator.id);
    return ids.map((id) => this.users.get(id)).filter((u): u is IUser => !!u);
  }

  userByUsername(username: string): IUser | undefined {
    return [...this.users.values()].find((u) => u.username === username);
  }

  /** Adds a channel ('c'), private group ('p') or direct room ('d') with the given members. */
  addRoom(r: { name?: string; type?: RoomType; members: IUser[]; creator?: IUser; id?: string } & RoomPolicy): IRoom {
    const at = this.now();
    const type = r.type ?? RoomType.CHANNEL;
    const usernames = r.members.map((m) => m.username);
    const room = {
      id: r.id ?? newId(),
      displayName: type === RoomType.DIRECT_MESSAGE ? undefined : r.name,
      slugifiedName: r.name ?? usernames.join(''),
      type,
      creator: r.creator ?? r.members[0],
      userIds: r.members.map((m) => m.id),
      usernames,
      isDefault: false,
      isReadOnly: !!r.readOnly,
      displaySystemMessages: true,
      messageCount: 0,
      createdAt: at,
      updatedAt: at,
      lastModifiedAt: at,
      customFields: {},
      ...(r.muted && { muted: [...r.muted] }),
      ...(r.unmuted && { unmuted: [...r.unmuted] }),
      ...(r.encrypted && { encrypted: true }),
    } as IRoom;
    this.rooms.set(room.id, room);
    return room;
  }

  /** The direct room between exactly these users, if any. */
  directRoom(...users: IUser[]): IRoom | undefined {
    const ids = new Set(users.map((u) => u.id));
    return [...this.rooms.values()].find(
      (r) =>
        r.type === RoomType.DIRECT_MESSAGE && r.userIds?.length === ids.size && r.userIds.every((id) => ids.has(id)),
    );
  }

  screen(userId: string): UserScreen {
    let s = this.screens.get(userId);
    if (!s) {
      s = { views: new Map(), viewErrors: [], ephemeral: [], interactions: [] };
      this.screens.set(userId, s);
    }
    return s;
  }

  /** Stores a message and wakes waiters. */
  addMessage(m: StoredMessage): StoredMessage {
    this.messages.push(m);
    const room = this.rooms.get(m.roomId);
    if (room) room.messageCount = (room.messageCount ?? 0) + 1;
    this.changed();
    return m;
  }

  /** The apps-engine IMessage for a stored message, shaped like Rocket.Chat's message converter makes it. */
  toAppMessage(m: StoredMessage): IMessage {
    const room = this.rooms.get(m.roomId);
    const sender = this.users.get(m.senderId);
    if (!room || !sender) throw new Error(`host: message ${m.id} points at a missing room or user`);
    const editor = m.editorId ? this.users.get(m.editorId) : undefined;
    return strip({
      id: m.id,
      threadId: m.threadId,
      room: clone(room),
      sender: clone(sender),
      text: m.text,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      editedAt: m.editedAt,
      editor: editor && clone(editor),
      file: m.file && clone(m.file),
      files: m.files && clone(m.files),
      attachments: m.attachments,
      blocks: m.blocks as IMessage['blocks'],
      customFields: m.customFields,
      alias: m.alias,
      avatarUrl: m.avatarUrl,
      emoji: m.emoji,
      groupable: m.groupable,
      parseUrls: m.parseUrls,
    });
  }

  /** The raw shape IRoomRead.getMessages returns. */
  toRawMessage(m: StoredMessage): IMessageRaw {
    const sender = this.users.get(m.senderId);
    const editor = m.editorId ? this.users.get(m.editorId) : undefined;
    return strip({
      id: m.id,
      roomId: m.roomId,
      sender: { _id: m.senderId, username: sender?.username ?? '', name: sender?.name },
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      threadId: m.threadId,
      text: m.text,
      editedAt: m.editedAt,
      editor: editor && { _id: editor.id, username: editor.username },
      file: m.file,
      attachments: m.attachments,
      blocks: m.blocks as IMessageRaw['blocks'],
      customFields: m.customFields,
      alias: m.alias,
      avatarUrl: m.avatarUrl,
      emoji: m.emoji,
      groupable: m.groupable,
      parseUrls: m.parseUrls,
    });
  }

  gap(message: string): void {
    this.gaps.push(message);
    console.error(message);
  }

  /** Resolves when `predicate` holds (checked at every change and every 25 ms), or rejects after `timeoutMs`. */
  async waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 5000): Promise<T> {
    const started = Date.now();
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const value = predicate();
        if (value) {
          cleanup();
          resolve(value);
          return true;
        }
        if (Date.now() - started > timeoutMs) {
          cleanup();
          reject(new Error(`host: waitFor timed out after ${timeoutMs} ms`));
          return true;
        }
        return false;
      };
      const timer = setInterval(check, 25);
      const cleanup = () => {
        clearInterval(timer);
        this.listeners.delete(listener);
      };
      const listener = () => void check();
      this.listeners.add(listener);
      check();
    });
  }

  changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** Drops undefined fields, as MongoDB documents do not have them. */
export function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
