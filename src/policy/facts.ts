import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUpload } from '@rocket.chat/apps-engine/definition/uploads';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { RoomFacts } from './rules';

/**
 * A Rocket.Chat field the apps-engine types do not name. Rocket.Chat's converters (transformMappedData) put every
 * unmapped field of a room, message or upload under `_unmappedProperties_`; a host may also set it on the object.
 */
export function extraField(record: object | undefined, name: string): unknown {
  if (!record) {
    return undefined;
  }
  const own = (record as Record<string, unknown>)[name];
  if (own !== undefined) {
    return own;
  }
  const unmapped = (record as { _unmappedProperties_?: Record<string, unknown> })._unmappedProperties_;
  return unmapped?.[name];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The room's flags that matter to the bot's messages, from the room record alone. */
export function roomFactsOf(room: IRoom, bot: IUser | undefined, botIsOwnerOrModerator: boolean): RoomFacts {
  const botName = bot?.username ?? '';
  return {
    name: room.displayName || room.slugifiedName || '',
    direct: room.type === RoomType.DIRECT_MESSAGE,
    exists: true,
    readOnly: room.isReadOnly === true,
    // canSendMessage: `post-readonly` (admin, owner, moderator by default), or a name in `unmuted`
    botMayPostReadOnly:
      botIsOwnerOrModerator ||
      (bot?.roles ?? []).includes('admin') ||
      stringList(extraField(room, 'unmuted')).includes(botName),
    encrypted: extraField(room, 'encrypted') === true,
    botMuted: botName !== '' && stringList(extraField(room, 'muted')).includes(botName),
  };
}

/** {@link roomFactsOf}, asking the server for the room's owners and moderators only when the room is read-only. */
export async function readRoomFacts(read: IRead, room: IRoom): Promise<RoomFacts> {
  const bot = await read.getUserReader().getAppUser();
  let botIsOwnerOrModerator = false;
  if (room.isReadOnly === true && bot) {
    const rooms = read.getRoomReader();
    const [owners, moderators] = await Promise.all([
      rooms.getOwners(room.id).catch(() => []),
      rooms.getModerators(room.id).catch(() => []),
    ]);
    botIsOwnerOrModerator = [...owners, ...moderators].some((user) => user?.id === bot.id);
  }
  return roomFactsOf(room, bot, botIsOwnerOrModerator);
}

/** Why the app cannot read an upload's bytes. */
export enum UnreadableKind {
  /** A file from another server (Matrix federation): reading it never returns. */
  Federated = 'federated',
  /** End-to-end encrypted by the sender's client: the server only has ciphertext. */
  Encrypted = 'encrypted',
}

/**
 * Whether an upload can be read, from its record and its message:
 * - federated: Rocket.Chat's federation-matrix stores a remote file as a reference in the
 *   `MatrixRemote:Uploads` store, with `federation: { mxcUri, isRemote }` and a `matrix_remote_` id;
 * - encrypted: Rocket.Chat's `isE2EEUpload` (an upload with `content.algorithm` and `content.ciphertext`), or a
 *   message of type `e2e` (older servers mark only the message).
 */
export function unreadableKind(
  upload: Pick<IUpload, 'id' | 'store'> | undefined,
  message?: object,
): UnreadableKind | undefined {
  const federation = extraField(upload, 'federation') as { isRemote?: unknown; mxcUri?: unknown } | undefined;
  if (
    String(upload?.store ?? '').startsWith('MatrixRemote') ||
    upload?.id?.startsWith('matrix_remote_') ||
    federation?.isRemote === true ||
    typeof federation?.mxcUri === 'string'
  ) {
    return UnreadableKind.Federated;
  }
  const content = (extraField(upload, 'content') ?? extraField(message, 'content')) as
    { algorithm?: unknown; ciphertext?: unknown } | undefined;
  const messageType = (message as { type?: unknown } | undefined)?.type ?? extraField(message, 't');
  if ((content?.algorithm && content.ciphertext) || messageType === 'e2e') {
    return UnreadableKind.Encrypted;
  }
  return undefined;
}
