import {
  type IUIKitResponse,
  type UIKitActionButtonInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { Accessors } from '../edge/Accessors';
import { inCheckedRoom, startCall } from '../edge/Call';
import { logFailure } from '../errors';
import { openPutForm } from '../forms/putForm';
import { checkedMessageFile } from '../gate/messageFile';
import { RoomAccessDeniedError } from '../gate/roomAccess';
import { describeError } from '../ui/describeError';
import { ActionId } from '../ui/ids';

/**
 * "Store on IPFS" on a message: the put form with that message's file chosen. The room and message come from
 * the client unchecked, so only their ids are used, and what they name is read and checked again
 * (checkedMessageFile). A refusal of the room goes to the user's direct messages with the app, never into it.
 */
export async function handleActionButton(
  accessors: Accessors,
  interaction: UIKitActionButtonInteractionContext,
): Promise<IUIKitResponse> {
  const { actionId, user, room, message, triggerId } = interaction.getInteractionData();
  const responder = interaction.getInteractionResponder();
  if (actionId !== (ActionId.StoreMessageFile as string)) {
    return responder.successResponse();
  }
  const call = await startCall(accessors, user);
  try {
    const checked = await checkedMessageFile(accessors.read, user, { roomId: room?.id, messageId: message?.id });
    await openPutForm(inCheckedRoom(call, checked.room), {
      triggerId,
      threadId: checked.message.threadId,
      chosen: checked.file,
    });
  } catch (error) {
    logFailure(accessors.logger, 'store action refused or failed', error);
    // past the room check (no file, file gone) the named room is the user's own; otherwise it may not be
    const where = room && !(error instanceof RoomAccessDeniedError) ? room : await call.chat.directRoomWith(user);
    await call.chat.tell(user, where, call.t('command_failed', { reason: describeError(call.t, error) }));
  }
  return responder.successResponse();
}
