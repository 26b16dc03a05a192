/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UserStatusConnection, UserType } from '@rocket.chat/apps-engine/definition/users';
import { UserBridge } from '@rocket.chat/apps-engine/server/bridges/UserBridge';
import type { Workspace } from '../workspace';
import { clone, newId } from '../workspace';
import { base } from './loud';

/** Users, including the bot user the engine creates for the app at install (`<nameSlug>.bot`, role `app`). */
export class HostUserBridge extends base(UserBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected async getById(id: string): Promise<IUser> {
    return clone(this.ws.users.get(id)) as IUser;
  }
  protected async getByUsername(username: string): Promise<IUser> {
    return clone(this.ws.userByUsername(username)) as IUser;
  }
  protected async getAppUser(appId?: string): Promise<IUser | undefined> {
    return clone([...this.ws.users.values()].find((u) => u.appId && (!appId || u.appId === appId)));
  }
  protected async getActiveUserCount(): Promise<number> {
    return [...this.ws.users.values()].filter((u) => u.isEnabled && u.type === UserType.USER).length;
  }
  protected async getUserRoomIds(userId: string): Promise<string[]> {
    return [...this.ws.rooms.values()].filter((r) => r.userIds?.includes(userId)).map((r) => r.id);
  }
  protected async create(data: Partial<IUser>): Promise<string> {
    // Rocket.Chat only lets the engine create app users here; the app's own IUserCreator needs user.write.
    const at = this.ws.now();
    const user = {
      emails: [],
      isEnabled: true,
      roles: [],
      status: 'online',
      statusConnection: UserStatusConnection.ONLINE,
      utcOffset: 0,
      createdAt: at,
      updatedAt: at,
      lastLoginAt: at,
      ...data,
      id: newId(),
    } as IUser;
    this.ws.users.set(user.id, user);
    return user.id;
  }
  protected async remove(user: IUser): Promise<boolean> {
    return this.ws.users.delete(user.id);
  }
}
