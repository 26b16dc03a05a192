import type { IUIKitResponse, UIKitBlockInteractionContext } from '@rocket.chat/apps-engine/definition/uikit';
import type { Accessors } from '../edge/Accessors';
import { inCheckedRoom, startCall, type RoomCall } from '../edge/Call';
import { logFailure } from '../errors';
import { actInDirectoryPanel } from '../forms/directoryPanel';
import { viewContexts } from '../forms/FormFlow';
import { readableRoom } from '../gate/roomAccess';
import { INPUT_LIMITS, boundedText } from '../limits/input';
import { ViewKind } from '../storage/ViewContextStorage';
import { describeError } from '../ui/describeError';
import { ActionId } from '../ui/ids';

/**
 * Block actions: only the directory panel has them. It answers only its own user, acts in the room stored when
 * `/ipfs list` opened it (checked again, never the room this interaction names) and bounds the value first.
 */
export async function handleBlockAction(
  accessors: Accessors,
  interaction: UIKitBlockInteractionContext,
): Promise<IUIKitResponse> {
  const data = interaction.getInteractionData();
  const responder = interaction.getInteractionResponder();
  const viewId = data.container.id;
  const context = await viewContexts({ accessors }).find(viewId);
  if (!context || context.kind !== ViewKind.Directory || context.userId !== data.user.id) {
    return responder.successResponse();
  }
  const call = await startCall(accessors, data.user);
  let inRoom: RoomCall | undefined;
  try {
    inRoom = inCheckedRoom(call, await readableRoom(accessors.read, data.user, context.roomId));
    const value = data.value ?? '';
    const isSearch = data.actionId === (ActionId.DirectorySearch as string);
    boundedText(value, isSearch ? INPUT_LIMITS.search : INPUT_LIMITS.actionValue);
    await actInDirectoryPanel(inRoom, { viewId, triggerId: data.triggerId, actionId: data.actionId, value }, context);
  } catch (error) {
    logFailure(accessors.logger, 'directory action failed', error);
    const where = inRoom?.room ?? (await call.chat.directRoomWith(call.user));
    await call.chat.tell(call.user, where, call.t('command_failed', { reason: describeError(call.t, error) }));
  }
  return responder.successResponse();
}
