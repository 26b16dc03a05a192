import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { DeliveryTarget } from '../settings/settings';
import { DeliveryBlockedError } from './errors';
import { readRoomFacts } from './facts';
import { likelyMediaTypes } from './mediaTypes';
import {
  chooseDelivery,
  predictedDirectRoom,
  type RoomFacts,
  type Sentence,
  whyBotCannotPost,
  whyUploadRefused,
} from './rules';
import type { WorkspacePolicy } from './workspacePolicy';

/** Where a retrieval delivers its file and shows its progress, decided before anything is downloaded. */
export interface DeliveryPlan {
  readonly target: DeliveryTarget;
  /** Why the admin's choice of target cannot work (the user is told the file goes to the other one). */
  readonly fallbackBecause?: Sentence;
  /** The bot may post in its direct messages with the user, where progress is shown in one edited message. */
  readonly progressInDm: boolean;
}

/** The file as its encrypted metadata describes it. */
export interface FileToDeliver {
  readonly name: string;
  readonly size: number;
  readonly mediaType?: string;
}

/** The bot's direct room with the user as it is, or as it would be created. */
export async function directRoomFacts(read: IRead, policy: WorkspacePolicy, user: IUser): Promise<RoomFacts> {
  const bot = await read.getUserReader().getAppUser();
  const existing = bot ? await read.getRoomReader().getDirectByUsernames([bot.username, user.username]) : undefined;
  return existing ? readRoomFacts(read, existing) : predictedDirectRoom(policy);
}

/**
 * Checks both delivery targets against the workspace's rules and picks one.
 * @throws DeliveryBlockedError naming what refuses each target when neither can take the file.
 */
export async function planDelivery(
  read: IRead,
  policy: WorkspacePolicy,
  preferred: DeliveryTarget,
  user: IUser,
  room: IRoom,
  file: FileToDeliver,
): Promise<DeliveryPlan> {
  const [dm, here] = await Promise.all([directRoomFacts(read, policy, user), readRoomFacts(read, room)]);
  const outgoing = { size: file.size, mediaTypes: likelyMediaTypes(file.name, file.mediaType) };
  const decision = chooseDelivery(preferred, {
    dm: whyUploadRefused(policy, dm, outgoing),
    room: whyUploadRefused(policy, here, outgoing),
  });
  if (decision.target === undefined) {
    throw new DeliveryBlockedError(decision.blocked);
  }
  return {
    target: decision.target,
    fallbackBecause: decision.fallbackBecause,
    progressInDm: whyBotCannotPost(policy, dm) === undefined,
  };
}
