import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { Workspace } from '../workspace';
import { meteorError } from '../rules';

/** An upload about to be stored, as FileUpload.validateFileUpload sees it. */
export interface IncomingUpload {
  roomId: string;
  userId: string;
  /** the media type the server determined (determineFileType: content sniffing, then the file name) */
  type: string;
  size: number;
}

/** `filesize(bytes)` as Rocket.Chat formats the limit in its message: base 2, two decimals at most ("100 MB"). */
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(2))} ${units[unit]}`;
}

/** fileUploadIsValidContentTypeFromSettings (apps/meteor/app/utils/lib/restrictions.ts): `type/*` wildcards too. */
export function isAcceptedType(type: string, whiteList: unknown, blackList: unknown): boolean {
  const list = (v: unknown) =>
    typeof v === 'string' && v && v !== '*' ? v.split(',').map((item) => item.trim()) : undefined;
  const onList = (items: string[]) => items.includes(type) || items.includes(type.replace(/(\/.*)$/, '/*'));
  const black = typeof blackList === 'string' && blackList ? blackList.split(',').map((i) => i.trim()) : undefined;
  const white = list(whiteList);
  if (!type && black) return false;
  if (black && onList(black)) return false;
  if (!white) return true;
  return onList(white);
}

/**
 * FileUpload.validateFileUpload (apps/meteor/app/file-upload/server/lib/FileUpload.ts), which the Uploads store
 * runs on every insert, the app's `uploadBuffer` included: uploads enabled, uploads in direct rooms enabled,
 * FileUpload_MaxFileSize (-1: no limit), then the media-type black/white lists. Reasons are the server's English
 * texts (it uses the uploading user's language; the app's bot has none, so English).
 * @throws Error `"<reason> [<error-id>]"` as Rocket.Chat's Meteor.Error reaches the app
 */
export function assertUploadAllowed(ws: Workspace, u: IncomingUpload): void {
  if (!ws.rules.uploadPolicies) return;
  const setting = (id: string) => ws.serverSettings.get(id);
  const room = ws.rooms.get(u.roomId);
  if (!room) throw new Error('host: upload into a missing room');
  if (!setting('FileUpload_Enabled')) throw meteorError('error-file-upload-disabled', 'File uploads are disabled.');
  if (!setting('FileUpload_Enabled_Direct') && room.type === RoomType.DIRECT_MESSAGE) {
    throw meteorError('error-direct-message-file-upload-not-allowed', 'File sharing not allowed in direct messages.');
  }
  const max = Number(setting('FileUpload_MaxFileSize') ?? -1);
  if (max > -1 && u.size > max) {
    throw meteorError('error-file-too-large', `File size exceeds upload limit of ${formatSize(max)}.`);
  }
  if (!isAcceptedType(u.type, setting('FileUpload_MediaTypeWhiteList'), setting('FileUpload_MediaTypeBlackList'))) {
    throw meteorError('error-invalid-file-type', 'File type is not accepted.');
  }
}
