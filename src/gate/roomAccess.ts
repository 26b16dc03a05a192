import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RoomType, type IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UserFacingError } from '../errors';

/**
 * Refused: the room named by an interaction is one this user may not read (or does not exist). The sentence is
 * the same either way, so a refusal tells nothing about the room.
 */
export class RoomAccessDeniedError extends UserFacingError {
  constructor() {
    super('error_room_access_denied', 'the user may not read the room the interaction named');
  }
}

/** How many parent rooms a discussion check follows: Rocket.Chat's discussions nest, but not deeply. */
const MAX_PARENT_HOPS = 3;

/**
 * Whether `user` may read `room`, by Rocket.Chat's own rule (canAccessRoom in
 * apps/meteor/server/services/authorization/canAccessRoom.ts), as far as an app can see it:
 * - a public channel outside any team: yes (every user role has `view-c-room` by default);
 * - anything else (private groups, DMs, channels of a team, livechat): only members, i.e. users with a
 *   subscription, which is what the room bridge's `getMembers` lists. A channel of a public team is readable by
 *   any user in Rocket.Chat, but an app cannot read a team's type, so it is treated like a private one: stricter,
 *   never looser;
 * - a discussion: also whoever may read its parent room.
 */
export async function canReadRoom(read: IRead, user: IUser, room: IRoom, hops = 0): Promise<boolean> {
  if (room.type === RoomType.CHANNEL && !room.teamId) {
    return true;
  }
  const members = await read.getRoomReader().getMembers(room.id);
  if (members.some((member) => member?.id === user.id)) {
    return true;
  }
  const parentId = room.parentRoom?.id;
  if (parentId && hops < MAX_PARENT_HOPS) {
    const parent = await read.getRoomReader().getById(parentId);
    return parent ? canReadRoom(read, user, parent, hops + 1) : false;
  }
  return false;
}

/**
 * The room with id `roomId` as the server has it (never a room object a client sent), once `user` is known to
 * be allowed to read it.
 * @throws RoomAccessDeniedError when the room does not exist or the user may not read it.
 */
export async function readableRoom(read: IRead, user: IUser, roomId: string | undefined): Promise<IRoom> {
  const room = roomId ? await read.getRoomReader().getById(roomId) : undefined;
  if (!room || !(await canReadRoom(read, user, room))) {
    throw new RoomAccessDeniedError();
  }
  return room;
}
