import {
  type IUIKitResponse,
  type UIKitActionButtonInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import { Chat } from '../chat/Chat';
import { describeFile, filesOf } from '../chat/roomFiles';
import { translatorForUser } from '../i18n/translate';
import { ActionId } from '../ui/ids';
import type { Accessors } from './Accessors';
import { describeError, logFailure } from './describeError';
import { openPutModal } from './PutFlow';

/** "Store on IPFS" on a message: the put modal with that message's file chosen. */
export async function handleActionButton(
  accessors: Accessors,
  context: UIKitActionButtonInteractionContext,
): Promise<IUIKitResponse> {
  const { actionId, user, room, message, triggerId, threadId } = context.getInteractionData();
  const responder = context.getInteractionResponder();
  if (actionId !== (ActionId.StoreMessageFile as string)) {
    return responder.successResponse();
  }
  const { read, modify } = accessors;
  const chat = new Chat(read, modify);
  const t = await translatorForUser(user, read);
  try {
    const [file] = message ? filesOf(message) : [];
    const chosen = file && message?.id ? await describeFile(read, file, { ...message, id: message.id }) : undefined;
    if (!chosen) {
      await chat.tell(user, room, t(file ? 'error_file_gone' : 'error_message_has_no_file'));
      return responder.successResponse();
    }
    await openPutModal(accessors, { user, room, triggerId, threadId: threadId ?? message?.threadId, chosen });
  } catch (error) {
    logFailure(accessors.logger, 'store action failed', error);
    await chat.tell(user, room, t('command_failed', { reason: describeError(t, error) }));
  }
  return responder.successResponse();
}
