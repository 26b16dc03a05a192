/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IMessageRaw } from '@rocket.chat/apps-engine/definition/messages/IMessageRaw';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { RoomBridge } from '@rocket.chat/apps-engine/server/bridges/RoomBridge';
import type { GetMessagesOptions } from '@rocket.chat/apps-engine/server/bridges/RoomBridge';
import type { Workspace } from '../workspace';
import { base } from './loud';
import { clone } from '../workspace';
import { hasPermission, meteorError } from '../rules';

/** Rooms: reads, members, message history, and direct rooms an app creates on demand. */
export class HostRoomBridge extends base(RoomBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected async getById(roomId: string): Promise<IRoom> {
    return clone(this.ws.rooms.get(roomId)) as IRoom;
  }
  protected async getByName(name: string): Promise<IRoom> {
    return clone([...this.ws.rooms.values()].find((r) => r.slugifiedName === name)) as IRoom;
  }
  protected async getCreatorById(roomId: string): Promise<IUser | undefined> {
    return this.ws.rooms.get(roomId)?.creator;
  }
  protected async getCreatorByName(name: string): Promise<IUser | undefined> {
    return (await this.getByName(name))?.creator;
  }
  protected async getDirectByUsernames(usernames: string[]): Promise<IRoom | undefined> {
    const users = usernames.map((u) => this.ws.userByUsername(u));
    if (users.some((u) => !u)) return undefined;
    return clone(this.ws.directRoom(...(users as IUser[])));
  }
  protected async getMembers(roomId: string): Promise<IUser[]> {
    const ids = this.ws.rooms.get(roomId)?.userIds ?? [];
    return ids.map((id) => this.ws.users.get(id)).filter((u): u is IUser => !!u);
  }
  protected async create(room: IRoom, members: string[]): Promise<string> {
    // Like Rocket.Chat's createRoom/createDirectRoom: members are usernames; a direct room is reused if it exists.
    const users = [...new Set([room.creator?.username, ...members].filter(Boolean))].map((u) => {
      const user = this.ws.userByUsername(String(u));
      if (!user) throw new Error(`host: no user ${String(u)}`);
      return user;
    });
    const creator = room.creator?.id ? this.ws.users.get(room.creator.id) : undefined;
    const existing = room.type === RoomType.DIRECT_MESSAGE ? this.ws.directRoom(...users) : undefined;
    if (room.type === RoomType.DIRECT_MESSAGE && this.ws.rules.roomRules) {
      // createDirectMessage (apps/meteor/server/methods/createDirectMessage.ts): the creator needs `create-d`;
      // without it, an existing DM is still returned to one who may `view-d-room`
      if (!hasPermission(this.ws.permissions, creator, 'create-d')) {
        if (existing && hasPermission(this.ws.permissions, creator, 'view-d-room')) return existing.id;
        throw meteorError('error-not-allowed', 'Not allowed');
      }
    }
    if (existing) return existing.id;
    const setting = (id: string) => this.ws.serverSettings.get(id);
    // apps/meteor/app/e2e/server/beforeCreateRoom.ts: new DMs / private groups are encrypted by default if set
    const encrypted =
      this.ws.rules.roomRules &&
      !!setting('E2E_Enable') &&
      ((room.type === RoomType.DIRECT_MESSAGE && !!setting('E2E_Enabled_Default_DirectRooms')) ||
        (room.type === RoomType.PRIVATE_GROUP && !!setting('E2E_Enabled_Default_PrivateRooms')));
    return this.ws.addRoom({
      name: room.slugifiedName,
      type: room.type,
      members: users,
      creator: room.creator,
      readOnly: room.isReadOnly,
      encrypted,
    }).id;
  }
  protected async getMessages(roomId: string, options: GetMessagesOptions): Promise<IMessageRaw[]> {
    const dir = options.sort?.createdAt === 'desc' ? -1 : 1;
    const list = this.ws.messages
      .filter((m) => m.roomId === roomId && (options.showThreadMessages !== false || !m.threadId))
      .sort((a, b) => dir * (a.createdAt.getTime() - b.createdAt.getTime()));
    return list
      .slice(options.skip ?? 0, (options.skip ?? 0) + (options.limit ?? 100))
      .map((m) => this.ws.toRawMessage(m));
  }
  // Rocket.Chat: Subscriptions.findByRoomIdAndRoles(roomId, [role]) → the users
  protected async getModerators(roomId: string): Promise<IUser[]> {
    return clone(this.ws.usersWithRoomRole(roomId, 'moderator'));
  }
  protected async getOwners(roomId: string): Promise<IUser[]> {
    return clone(this.ws.usersWithRoomRole(roomId, 'owner'));
  }
  protected async getLeaders(roomId: string): Promise<IUser[]> {
    return clone(this.ws.usersWithRoomRole(roomId, 'leader'));
  }
}
