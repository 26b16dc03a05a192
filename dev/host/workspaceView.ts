import { createCipheriv, randomBytes } from 'node:crypto';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { postFile } from './bridges/uploads';
import { userUpload, type UploadTrace } from './uploadFlow';
import { Interactions } from './interactions';
import type { HostRules, RoomPolicy } from './rules';
import type { DroppedInteraction, PersistenceRecord } from './workspace';
import { clone, newId } from './workspace';

/**
 * The workspace apart from the app: what users do in it (rooms, messages, uploads, settings, rules) and what they
 * see. Every server instance of one workspace shows the same.
 */
export class WorkspaceView extends Interactions {
  /** Adds a channel, private group ('p') or direct room ('d'), optionally read-only, encrypted or with muted users. */
  addRoom(r: { name?: string; type?: RoomType; members: IUser[]; creator?: IUser } & RoomPolicy): IRoom {
    return this.ws.addRoom(r);
  }

  /** Changes which rules the host enforces from now on (e.g. one rule off in one test). */
  setRules(rules: Partial<HostRules>): void {
    this.ws.rules = { ...this.ws.rules, ...rules };
  }

  /** Sets the roles that hold a permission (Rocket.Chat's admin "Permissions" page), e.g. `post-readonly`. */
  setPermissionRoles(permission: string, roles: string[]): void {
    this.ws.permissions[permission] = [...roles];
  }

  /** View opens/updates/errors the user's client dropped: unknown, used-up or expired triggerIds. */
  get droppedInteractions(): DroppedInteraction[] {
    return [...this.ws.droppedInteractions];
  }

  /**
   * A user shares a file in a room (or thread), as the chat's upload button does; returns the file message.
   * `federated`: the file came from another server over federation (reading it never finishes, as in Rocket.Chat).
   * `e2ee`: the user's client encrypted it end to end (stored as AES-CTR ciphertext, type application/octet-stream).
   */
  uploadFile(
    user: IUser,
    room: IRoom,
    file: { name: string; type?: string; bytes: Uint8Array },
    opts: { threadId?: string; text?: string; federated?: boolean; e2ee?: boolean } = {},
  ): IMessage {
    let bytes = Buffer.from(file.bytes);
    let type = file.type;
    if (opts.e2ee) {
      const cipher = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16));
      bytes = Buffer.concat([cipher.update(bytes), cipher.final()]);
      type = 'application/octet-stream';
    }
    const { message } = postFile(this.ws, { ...file, ...opts, type, bytes, roomId: room.id, userId: user.id });
    return this.ws.toAppMessage(message);
  }

  /**
   * A user uploads a file the way Rocket.Chat's server handles the upload request (uploadFlow.ts): upload
   * policies, the apps' IPreFileUpload hook (bytes through a temporary file), the file stored, for an image a
   * thumbnail (`thumb-<name>`, the hook again), the file message saved, then IPostMessageSent (not awaited by the
   * request; `trace.postMessageSent` resolves when the apps are done). `uploadFile` is the quick way: no hooks.
   * @throws Error as Rocket.Chat's Meteor.Error, e.g. `[error-app-prevented]` when an app refuses the upload
   */
  upload(
    user: IUser,
    room: IRoom,
    file: { name: string; type?: string; bytes: Uint8Array },
    opts: { threadId?: string; text?: string } = {},
  ): Promise<UploadTrace> {
    const bytes = Buffer.from(file.bytes);
    return userUpload(this.ws, this.manager, { ...file, ...opts, bytes, roomId: room.id, userId: user.id });
  }

  /** Gives a user room roles (Rocket.Chat's subscription roles: `owner`, `moderator`, `leader`). */
  setRoomRoles(room: IRoom, user: IUser, roles: string[]): void {
    this.ws.roomRoles(room.id).set(user.id, [...roles]);
  }

  /** The user sends a plain text message (no app listeners are triggered). */
  sendMessage(user: IUser, room: IRoom, text: string, opts: { threadId?: string } = {}): IMessage {
    const at = this.ws.now();
    const m = this.ws.addMessage({
      id: newId(),
      roomId: room.id,
      senderId: user.id,
      text,
      createdAt: at,
      updatedAt: at,
      ...opts,
    });
    return this.ws.toAppMessage(m);
  }

  /** All messages of a room, oldest first, thread replies included, edits applied. */
  messages(roomId: string): IMessage[] {
    return this.ws.messages.filter((m) => m.roomId === roomId).map((m) => this.ws.toAppMessage(m));
  }

  directRoom(a: IUser, b: IUser): IRoom | undefined {
    return this.ws.directRoom(a, b);
  }

  /** Ephemeral messages (notifyUser) shown to the user so far. */
  ephemeral(user: IUser): IMessage[] {
    return [...this.ws.screen(user.id).ephemeral];
  }

  openViews(user: IUser) {
    return [...this.ws.screen(user.id).views.values()];
  }

  uploads() {
    return [...this.ws.uploads.values()].map((u) => ({ ...u, bytes: Buffer.from(u.bytes) }));
  }

  persistenceDump(): PersistenceRecord[] {
    return [...this.ws.persistence.values()].map((r) => clone(r));
  }

  setServerSetting(id: string, value: unknown): void {
    this.ws.serverSettings.set(id, value);
  }

  /** Bridge calls the host does not implement, and refused permissions, seen so far. */
  get gaps(): string[] {
    return [...this.ws.gaps];
  }
  get permissionDenials(): string[] {
    return [...this.ws.permissionDenials];
  }

  waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 5000): Promise<T> {
    return this.ws.waitFor(predicate, timeoutMs);
  }
}
