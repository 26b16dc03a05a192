import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';

/**
 * The workspace (admin) settings that decide whether the app's bot may post a message or a file somewhere,
 * named as Rocket.Chat's source names them. Read with the app's `server-setting.read` permission.
 */
export enum ServerSettingId {
  /** apps/meteor/app/file-upload/server/startup/settings.ts; checked in FileUpload.validateFileUpload. */
  UploadsEnabled = 'FileUpload_Enabled',
  UploadsInDirectMessages = 'FileUpload_Enabled_Direct',
  /** Bytes; -1 (any negative) means no limit. */
  MaxUploadSize = 'FileUpload_MaxFileSize',
  MediaTypeWhiteList = 'FileUpload_MediaTypeWhiteList',
  MediaTypeBlackList = 'FileUpload_MediaTypeBlackList',
  /** apps/meteor/app/lib/server/methods/sendMessage.ts (executeSendMessage): a thread reply needs it. */
  ThreadsEnabled = 'Threads_enabled',
  /** executeSendMessage: a longer `msg` is refused with error-message-size-exceeded. */
  MaxMessageLength = 'Message_MaxAllowedSize',
  /** executeSendMessage refuses a non-e2e message in an encrypted room while E2E is on and this is off. */
  E2eEnabled = 'E2E_Enable',
  E2eAllowUnencrypted = 'E2E_Allow_Unencrypted_Messages',
  /** beforeCreateRoomCallback: a new direct room is created encrypted when this and E2E_Enable are on. */
  E2eDefaultDirectRooms = 'E2E_Enabled_Default_DirectRooms',
}

/** What the workspace allows, as the app needs to know it before it reads or downloads anything. */
export interface WorkspacePolicy {
  readonly uploadsEnabled: boolean;
  readonly uploadsInDirectMessages: boolean;
  /** Infinity when the workspace sets no limit. */
  readonly maxUploadBytes: number;
  readonly mediaTypeWhiteList: string;
  readonly mediaTypeBlackList: string;
  readonly threadsEnabled: boolean;
  readonly maxMessageLength: number;
  readonly e2eEnabled: boolean;
  readonly e2eAllowUnencrypted: boolean;
  readonly e2eDefaultDirectRooms: boolean;
}

/** Rocket.Chat's own package values (its settings registry), used for any setting the app cannot read. */
export const ROCKET_CHAT_DEFAULTS: WorkspacePolicy = {
  uploadsEnabled: true,
  uploadsInDirectMessages: true,
  maxUploadBytes: 104_857_600,
  mediaTypeWhiteList: '',
  mediaTypeBlackList: 'image/svg+xml',
  threadsEnabled: true,
  maxMessageLength: 5000,
  e2eEnabled: false,
  // false since Rocket.Chat 6.x; older lines defaulted to true (the stricter value is the safer guess)
  e2eAllowUnencrypted: false,
  e2eDefaultDirectRooms: false,
};

/** Turns raw setting values (as the server stores them: booleans, numbers, strings) into a policy. */
export function policyFrom(values: Partial<Record<ServerSettingId, unknown>>): WorkspacePolicy {
  const d = ROCKET_CHAT_DEFAULTS;
  const flag = (id: ServerSettingId, fallback: boolean): boolean => {
    const value = values[id];
    if (typeof value === 'boolean') {
      return value;
    }
    return value === 'true' ? true : value === 'false' ? false : fallback;
  };
  const int = (id: ServerSettingId, fallback: number): number => {
    const value = values[id];
    const parsed = typeof value === 'number' ? value : parseInt(String(value), 10);
    return Number.isFinite(parsed) ? parsed : fallback;
  };
  const text = (id: ServerSettingId, fallback: string): string => {
    const value = values[id];
    return typeof value === 'string' ? value : fallback;
  };
  const maxUpload = int(ServerSettingId.MaxUploadSize, d.maxUploadBytes);
  return {
    uploadsEnabled: flag(ServerSettingId.UploadsEnabled, d.uploadsEnabled),
    uploadsInDirectMessages: flag(ServerSettingId.UploadsInDirectMessages, d.uploadsInDirectMessages),
    // validateFileUpload: `maxFileSize > -1 && size > maxFileSize`
    maxUploadBytes: maxUpload > -1 ? maxUpload : Infinity,
    mediaTypeWhiteList: text(ServerSettingId.MediaTypeWhiteList, d.mediaTypeWhiteList),
    mediaTypeBlackList: text(ServerSettingId.MediaTypeBlackList, d.mediaTypeBlackList),
    threadsEnabled: flag(ServerSettingId.ThreadsEnabled, d.threadsEnabled),
    maxMessageLength: int(ServerSettingId.MaxMessageLength, d.maxMessageLength),
    e2eEnabled: flag(ServerSettingId.E2eEnabled, d.e2eEnabled),
    e2eAllowUnencrypted: flag(ServerSettingId.E2eAllowUnencrypted, d.e2eAllowUnencrypted),
    e2eDefaultDirectRooms: flag(ServerSettingId.E2eDefaultDirectRooms, d.e2eDefaultDirectRooms),
  };
}

/**
 * Reads every setting of the policy once (a job reads it at its start and decides from that). A setting the
 * server does not let the app read, or does not have (older versions), keeps Rocket.Chat's default.
 */
export async function readWorkspacePolicy(read: IRead): Promise<WorkspacePolicy> {
  const settings = read.getEnvironmentReader().getServerSettings();
  const ids = Object.values(ServerSettingId);
  const values = await Promise.all(
    ids.map(async (id) => {
      try {
        return (await settings.getValueById(id)) as unknown;
      } catch {
        return undefined;
      }
    }),
  );
  return policyFrom(Object.fromEntries(ids.map((id, index) => [id, values[index]])));
}
