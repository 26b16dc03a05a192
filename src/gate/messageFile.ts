import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UserFacingError } from '../errors';
import { describeFile, filesOf, type RoomFile } from '../chat/roomFiles';
import { RoomAccessDeniedError, readableRoom } from './roomAccess';

export class MessageHasNoFileError extends UserFacingError {
  constructor() {
    super('error_message_has_no_file', 'the message has no file');
  }
}

export class FileGoneError extends UserFacingError {
  constructor() {
    super('error_file_gone', 'the upload of the message is gone');
  }
}

/** A message's file, with the room it was posted in, all read from the server and checked for one user. */
export interface CheckedMessageFile {
  readonly room: IRoom;
  readonly message: IMessage;
  readonly file: RoomFile;
}

/**
 * What a message action may act on. Rocket.Chat hands an app the room and message ids the client sent, unchecked
 * (apps/meteor/ee/server/apps/communication/uikit.ts), so everything is read again from the server by id and must
 * agree: the message exists and was posted in the room the interaction named, the user may read that room, the
 * file is one of the message's own, and its upload belongs to the same room.
 * @throws RoomAccessDeniedError for any disagreement about rooms (the same sentence whatever the cause);
 *   MessageHasNoFileError; FileGoneError when the upload no longer exists.
 */
export async function checkedMessageFile(
  read: IRead,
  user: IUser,
  claimed: { roomId?: string; messageId?: string },
): Promise<CheckedMessageFile> {
  const message = claimed.messageId ? await read.getMessageReader().getById(claimed.messageId) : undefined;
  const messageRoomId = message?.room?.id;
  if (!message || !messageRoomId || messageRoomId !== claimed.roomId) {
    throw new RoomAccessDeniedError();
  }
  const room = await readableRoom(read, user, messageRoomId);
  const [attached] = filesOf(message);
  if (!attached) {
    throw new MessageHasNoFileError();
  }
  const upload = await read.getUploadReader().getById(attached._id);
  if (!upload) {
    throw new FileGoneError();
  }
  if (upload.room?.id !== room.id) {
    throw new RoomAccessDeniedError();
  }
  // the whole message: its type and content also tell whether the file is end-to-end encrypted
  const file = await describeFile(read, attached, { ...message, id: message.id ?? claimed.messageId ?? '' });
  if (!file) {
    throw new FileGoneError();
  }
  return { room, message, file };
}
