import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { translatorForUser, type Translate } from '../i18n/translate';
import { FileAccess } from '../sharing/access';
import type { Accessors } from './Accessors';

/**
 * One call into the app as its entry point built it: who, in which language, and what every flow uses. Built
 * once at the edge and handed down, so no flow looks up its user's language or opens its storage again.
 */
export interface Call {
  readonly accessors: Accessors;
  readonly user: IUser;
  readonly t: Translate;
  readonly chat: Chat;
  /** The user's files, keys and grants. */
  readonly files: FileAccess;
}

/**
 * A call about a room the user may read: the room Rocket.Chat checked for a slash command, or the one the app's
 * gate checked for an interaction (src/gate/), never a room an interaction merely named.
 */
export interface RoomCall extends Call {
  readonly room: IRoom;
}

export async function startCall(accessors: Accessors, user: IUser): Promise<Call> {
  const { read, modify, persistence } = accessors;
  return {
    accessors,
    user,
    t: await translatorForUser(user, read),
    chat: new Chat(read, modify),
    files: new FileAccess(persistence, read.getPersistenceReader()),
  };
}

/** `call` about `room`, which the caller checked (see {@link RoomCall}). */
export function inCheckedRoom(call: Call, room: IRoom): RoomCall {
  return { ...call, room };
}
