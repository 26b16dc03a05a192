import type { RoomCall } from '../edge/Call';

/**
 * What a subcommand gets: the call in the room Rocket.Chat checked before it ran the command, the words typed
 * after the subcommand's name, and the trigger of the user's interaction when there is one.
 */
export interface Invocation extends RoomCall {
  readonly args: string[];
  readonly threadId?: string;
  readonly triggerId?: string;
}

export type Subcommand = (invocation: Invocation) => Promise<void>;

/** Forms need the trigger of the user's own interaction; a command run from elsewhere has none. */
export async function withTrigger(invocation: Invocation, open: (triggerId: string) => Promise<void>): Promise<void> {
  if (!invocation.triggerId) {
    await invocation.chat.tell(invocation.user, invocation.room, invocation.t('error_no_trigger'));
    return;
  }
  await open(invocation.triggerId);
}
