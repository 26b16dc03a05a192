import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

/**
 * Which of Rocket.Chat's server and client rules the host enforces (docs/dev/HOST.md lists each with its source).
 * `startHost` enforces all of them unless a test switches one off.
 */
export interface HostRules {
  /**
   * SSRF validation of the app's HTTP calls (packages/server-fetch/src/checkForSsrf.ts), allowlist from the
   * `SSRF_Allowlist` server setting. `always`: every call (the strict default); `app-opt-in`: only calls with
   * `ssrfValidation: true`, as apps/meteor/app/apps/server/bridges/http.ts does today; `off`: none.
   */
  ssrf: 'always' | 'app-opt-in' | 'off';
  /** FileUpload.validateFileUpload for `uploadBuffer`: enabled, DMs, size, media types. */
  uploadPolicies: boolean;
  /** executeSendMessage / canSendMessage for messages the app sends (threads, size, read-only, muted, E2E). */
  messageRules: boolean;
  /** createDirectMessage's `create-d` check and E2E-by-default direct rooms. */
  roomRules: boolean;
  /** The client's ActionManager: a triggerId works once, within 5 s, for open, update and errors alike. */
  singleUseTriggerIds: boolean;
  /** The client's 5 s wait for the app's answer to an interaction: a later answer is dropped (needs the above). */
  clientTimeout: boolean;
  /** `removeByAssociations`: `all` matches (deleteMany) or `one` (deleteOne), as different server versions do. */
  persistenceRemoval: 'all' | 'one';
}

/** Strict: what a Rocket.Chat 8.2+ server and its web client enforce. */
export const STRICT_RULES: HostRules = {
  ssrf: 'always',
  uploadPolicies: true,
  messageRules: true,
  roomRules: true,
  singleUseTriggerIds: true,
  clientTimeout: true,
  // the newer servers' deleteOne: code that removes one logical record must remove every match to pass here
  persistenceRemoval: 'one',
};

/**
 * Server settings the rules read, with Rocket.Chat's package values (apps/meteor/server/settings/*.ts), so the
 * app can read them through `server-setting.read` as it would on a fresh workspace.
 */
export const DEFAULT_SERVER_SETTINGS: Record<string, unknown> = {
  SSRF_Allowlist: '',
  FileUpload_Enabled: true,
  FileUpload_Enabled_Direct: true,
  FileUpload_MaxFileSize: 104857600,
  FileUpload_MediaTypeWhiteList: '',
  FileUpload_MediaTypeBlackList: 'image/svg+xml',
  Threads_enabled: true,
  Message_MaxAllowedSize: 5000,
  E2E_Enable: false,
  E2E_Allow_Unencrypted_Messages: false,
  E2E_Enabled_Default_DirectRooms: false,
  E2E_Enabled_Default_PrivateRooms: false,
  E2E_Enable_Encrypt_Files: true,
  Message_Attachments_Thumbnails_Enabled: true,
  // app endpoints' security headers (apps/meteor/app/cors/server/cors.ts; settings in server/settings/general.ts)
  Enable_CSP: true,
  Extra_CSP_Domains: '',
  Iframe_Restrict_Access: true,
  Iframe_X_Frame_Options: 'sameorigin',
};

/**
 * Roles granted each permission the rules check, as Rocket.Chat's defaults
 * (apps/meteor/app/authorization/server/constant/permissions.ts). `owner` is a room role: the room's creator.
 */
export const DEFAULT_PERMISSIONS: Record<string, string[]> = {
  'post-readonly': ['admin', 'owner', 'moderator'],
  'create-d': ['admin', 'user', 'bot', 'app'],
  'view-d-room': ['admin', 'user', 'bot', 'app', 'guest'],
};

/** Room state the rules read: `isReadOnly` (Rocket.Chat's `ro`) and fields the engine's IRoom does not declare. */
export interface RoomPolicy {
  /** `ro`, shown to apps as `isReadOnly` */
  readOnly?: boolean;
  /** usernames muted in the room (`muted`), and those unmuted in a read-only room (`unmuted`) */
  muted?: string[];
  unmuted?: string[];
  /** `encrypted`: end-to-end encryption is on for the room */
  encrypted?: boolean;
}

/** The policy fields of a room (they live on the room object, as in Rocket.Chat's document). */
export function policyOf(room: IRoom | undefined): RoomPolicy {
  const extra = (room ?? {}) as RoomPolicy;
  return { readOnly: !!room?.isReadOnly, muted: extra.muted, unmuted: extra.unmuted, encrypted: extra.encrypted };
}

/**
 * Rocket.Chat's `Meteor.Error(error, reason)`: what reaches the app is its message, `"<reason> [<error>]"`.
 */
export function meteorError(error: string, reason?: string): Error {
  const e = new Error(reason ? `${reason} [${error}]` : `[${error}]`);
  e.name = 'Meteor.Error';
  return e;
}

/** hasPermissionAsync: a global role of the user, or `owner` when the user created the room. */
export function hasPermission(
  permissions: Record<string, string[]>,
  user: IUser | undefined,
  permission: string,
  room?: IRoom,
): boolean {
  const roles = new Set(user?.roles ?? []);
  if (room && user && room.creator?.id === user.id) roles.add('owner');
  return (permissions[permission] ?? []).some((role) => roles.has(role));
}
