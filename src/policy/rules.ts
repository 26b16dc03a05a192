import { byteCount, userText, type Sentence } from '../errors';
import { DeliveryTarget } from '../settings/settings';
import type { WorkspacePolicy } from './workspacePolicy';
import { ServerSettingId } from './workspacePolicy';

export type { Sentence };

/** What the app knows about a room it may post to, from the bot's point of view. */
export interface RoomFacts {
  /** How the user knows it: the room's name, or empty for the user's direct messages with the app. */
  readonly name: string;
  readonly direct: boolean;
  /** False for the bot's direct room with the user before it was ever created (its flags are predicted). */
  readonly exists: boolean;
  readonly readOnly: boolean;
  /** The bot holds `post-readonly` there (admin, or the room's owner or moderator) or was unmuted by name. */
  readonly botMayPostReadOnly: boolean;
  readonly encrypted: boolean;
  readonly botMuted: boolean;
}

/** The bot's direct room with a user that does not exist yet: created encrypted when the workspace says so. */
export function predictedDirectRoom(policy: WorkspacePolicy): RoomFacts {
  return {
    name: '',
    direct: true,
    exists: false,
    readOnly: false,
    botMayPostReadOnly: false,
    encrypted: policy.e2eEnabled && policy.e2eDefaultDirectRooms,
    botMuted: false,
  };
}

/**
 * Why the bot's messages would be refused in `room` (Rocket.Chat's canSendMessageAsync and executeSendMessage),
 * or undefined when they would go through.
 */
export function whyBotCannotPost(policy: WorkspacePolicy, room: RoomFacts): Sentence | undefined {
  if (room.readOnly && !room.botMayPostReadOnly) {
    return { key: 'policy_read_only', params: { room: userText(room.name) } };
  }
  if (room.botMuted) {
    return { key: 'policy_bot_muted', params: { room: userText(room.name) } };
  }
  if (room.encrypted && policy.e2eEnabled && !policy.e2eAllowUnencrypted) {
    return room.exists
      ? { key: 'policy_encrypted', params: { room: userText(room.name), setting: ServerSettingId.E2eAllowUnencrypted } }
      : {
          key: 'policy_encrypted_new_dm',
          params: { setting: ServerSettingId.E2eDefaultDirectRooms, other: ServerSettingId.E2eAllowUnencrypted },
        };
  }
  return undefined;
}

/** A file the bot would post: its size and the media types the server may give it. */
export interface OutgoingFile {
  readonly size: number;
  readonly mediaTypes: readonly string[];
}

/**
 * Why the server would refuse the bot's upload of `file` into `room` (FileUpload.validateFileUpload, then the
 * file message's own checks), or undefined when it would take it.
 */
export function whyUploadRefused(policy: WorkspacePolicy, room: RoomFacts, file: OutgoingFile): Sentence | undefined {
  if (!policy.uploadsEnabled) {
    return { key: 'policy_uploads_off', params: { setting: ServerSettingId.UploadsEnabled } };
  }
  if (room.direct && !policy.uploadsInDirectMessages) {
    return { key: 'policy_dm_uploads_off', params: { setting: ServerSettingId.UploadsInDirectMessages } };
  }
  if (file.size > policy.maxUploadBytes) {
    return {
      key: 'policy_upload_too_large',
      params: {
        size: byteCount(file.size),
        max: byteCount(policy.maxUploadBytes),
        setting: ServerSettingId.MaxUploadSize,
      },
    };
  }
  for (const type of file.mediaTypes) {
    const list = mediaTypeRefusedBy(type, policy.mediaTypeWhiteList, policy.mediaTypeBlackList);
    if (list) {
      return { key: 'policy_media_type', params: { type: type || '?', setting: list } };
    }
  }
  return whyBotCannotPost(policy, room);
}

/**
 * Which list refuses `type`, as Rocket.Chat's fileUploadIsValidContentTypeFromSettings decides: comma-separated
 * entries, `major/*` wildcards, a blacklist that also refuses an empty type, and `*` or empty meaning no whitelist.
 */
export function mediaTypeRefusedBy(
  type: string,
  whiteList: string,
  blackList: string,
): ServerSettingId.MediaTypeBlackList | ServerSettingId.MediaTypeWhiteList | undefined {
  const black = blackList ? splitList(blackList) : undefined;
  const white = whiteList && whiteList !== '*' ? splitList(whiteList) : undefined;
  if (black && (!type || onList(type, black))) {
    return ServerSettingId.MediaTypeBlackList;
  }
  if (white && !onList(type, white)) {
    return ServerSettingId.MediaTypeWhiteList;
  }
  return undefined;
}

function splitList(list: string): string[] {
  return list.split(',').map((item) => item.trim());
}

function onList(type: string, list: string[]): boolean {
  if (list.includes(type)) {
    return true;
  }
  const wildcard = type.replace(/(\/.*)$/, '/*');
  return list.some((item) => item.indexOf('/*') > 0 && item === wildcard);
}

/** Where a retrieved file goes, and why not where the admin asked; or why it can go nowhere. */
export type DeliveryDecision =
  | { readonly target: DeliveryTarget; readonly fallbackBecause?: Sentence }
  | { readonly target?: undefined; readonly blocked: { readonly dm: Sentence; readonly room: Sentence } };

/** The admin's choice when it works, else the other one (with the reason), else neither (with both reasons). */
export function chooseDelivery(
  preferred: DeliveryTarget,
  refusals: { readonly dm?: Sentence; readonly room?: Sentence },
): DeliveryDecision {
  const other = preferred === DeliveryTarget.Room ? DeliveryTarget.DirectMessage : DeliveryTarget.Room;
  const refusal = (target: DeliveryTarget) => (target === DeliveryTarget.Room ? refusals.room : refusals.dm);
  const preferredRefusal = refusal(preferred);
  if (!preferredRefusal) {
    return { target: preferred };
  }
  if (!refusal(other)) {
    return { target: other, fallbackBecause: preferredRefusal };
  }
  return { blocked: { dm: refusals.dm as Sentence, room: refusals.room as Sentence } };
}

export enum AnnounceWhere {
  Thread = 'thread',
  /** Threads are off: the announce goes to the room's main timeline instead of failing. */
  Room = 'room',
  /** The bot may not post in the room: only the user is told. */
  UserOnly = 'user',
}

/** Where the "stored on IPFS" announce can go in `room`, and why not in the file's thread. */
export function chooseAnnounce(
  policy: WorkspacePolicy,
  room: RoomFacts,
): { readonly where: AnnounceWhere; readonly because?: Sentence } {
  const refusal = whyBotCannotPost(policy, room);
  if (refusal) {
    return { where: AnnounceWhere.UserOnly, because: refusal };
  }
  return policy.threadsEnabled ? { where: AnnounceWhere.Thread } : { where: AnnounceWhere.Room };
}

/** Shortens a bot message to the workspace's maximum message length, marking the cut. */
export function fitMessage(text: string, maxLength: number): string {
  if (maxLength <= 0 || text.length <= maxLength) {
    return text;
  }
  return maxLength === 1 ? '…' : `${text.slice(0, maxLength - 1)}…`;
}
