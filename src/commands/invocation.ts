import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { Chat } from '../chat/Chat';
import type { Accessors } from '../edge/Accessors';
import type { Translate } from '../i18n/translate';

/** What a subcommand gets: who ran it where, its arguments, and how to answer. */
export interface Invocation {
  readonly accessors: Accessors;
  readonly user: IUser;
  readonly room: IRoom;
  readonly args: string[];
  readonly threadId?: string;
  readonly triggerId?: string;
  readonly t: Translate;
  readonly chat: Chat;
}

export type Subcommand = (invocation: Invocation) => Promise<void>;

/** Modals need the trigger of the user's own interaction; a command run from elsewhere has none. */
export async function withTrigger(invocation: Invocation, open: (triggerId: string) => Promise<void>): Promise<void> {
  if (!invocation.triggerId) {
    await invocation.chat.tell(invocation.user, invocation.room, invocation.t('error_no_trigger'));
    return;
  }
  await open(invocation.triggerId);
}
