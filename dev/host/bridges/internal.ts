/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import { InternalBridge } from '@rocket.chat/apps-engine/server/bridges/InternalBridge';
import type { Workspace } from '../workspace';
import { base } from './loud';

/** Engine-internal reads: the usernames of a room (IRoom.usernames). */
export class HostInternalBridge extends base(InternalBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  protected getUsernamesOfRoomByIdSync(roomId: string): string[] {
    const ids = this.ws.rooms.get(roomId)?.userIds ?? [];
    return ids.map((id) => this.ws.users.get(id)?.username).filter((u): u is string => !!u);
  }
  protected async getUsernamesOfRoomById(roomId: string): Promise<string[]> {
    return this.getUsernamesOfRoomByIdSync(roomId);
  }
}
