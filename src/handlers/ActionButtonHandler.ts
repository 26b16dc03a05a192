import {
  type IUIKitResponse,
  type UIKitActionButtonInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import { Chat } from '../chat/Chat';
import { checkedMessageFile } from '../gate/messageFile';
import { RoomAccessDeniedError } from '../gate/roomAccess';
import { translatorForUser } from '../i18n/translate';
import { ActionId } from '../ui/ids';
import type { Accessors } from '../edge/Accessors';
import { describeError } from '../ui/describeError';
import { logFailure } from '../errors';
import { openPutModal } from './PutFlow';

/**
 * "Store on IPFS" on a message: the put modal with that message's file chosen. The room and message come from
 * the client unchecked, so only their ids are used, and what they name is read and checked again
 * (checkedMessageFile). A refusal of the room goes to the user's direct messages with the app, never into it.
 */
export async function handleActionButton(
  accessors: Accessors,
  context: UIKitActionButtonInteractionContext,
): Promise<IUIKitResponse> {
  const { actionId, user, room, message, triggerId } = context.getInteractionData();
  const responder = context.getInteractionResponder();
  if (actionId !== (ActionId.StoreMessageFile as string)) {
    return responder.successResponse();
  }
  const { read, modify } = accessors;
  const t = await translatorForUser(user, read);
  try {
    const checked = await checkedMessageFile(read, user, { roomId: room?.id, messageId: message?.id });
    await openPutModal(accessors, {
      user,
      room: checked.room,
      triggerId,
      threadId: checked.message.threadId,
      chosen: checked.file,
    });
  } catch (error) {
    logFailure(accessors.logger, 'store action refused or failed', error);
    const chat = new Chat(read, modify);
    // past the room check (no file, file gone) the named room is the user's own; otherwise it may not be
    const where = room && !(error instanceof RoomAccessDeniedError) ? room : await chat.directRoomWith(user);
    await chat.tell(user, where, t('command_failed', { reason: describeError(t, error) }));
  }
  return responder.successResponse();
}
