import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage, IMessageFile, IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';
import { unreadableKind, type UnreadableKind } from '../policy/facts';

/** A file shared in a room, as the put modal lists it. */
export interface RoomFile {
  readonly fileId: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly senderUsername: string;
  readonly messageId: string;
  /** The thread a reply about this file belongs in: the message's thread, or the message itself. */
  readonly threadRootId: string;
  /** Set when the app cannot read the file: federated (reading never returns) or end-to-end encrypted. */
  readonly unreadable?: UnreadableKind;
}

/** The files the put form may offer, and how many it left out because the app cannot read them. */
export interface RecentFiles {
  readonly files: RoomFile[];
  readonly unreadable: number;
}

/** How far back the modal looks, and how many files it offers. */
const MESSAGES_SCANNED = 100;
const FILES_OFFERED = 20;

/** The files of one message: `files` where Rocket.Chat sends it, else the older single `file`. */
export function filesOf(message: Pick<IMessage, 'file' | 'files'>): IMessageFile[] {
  if (message.files && message.files.length > 0) {
    return message.files;
  }
  return message.file ? [message.file] : [];
}

/** The room's recent files the app can read, newest first, with sizes read from their uploads. */
export async function recentRoomFiles(read: IRead, roomId: string): Promise<RecentFiles> {
  const messages = await read.getRoomReader().getMessages(roomId, {
    limit: MESSAGES_SCANNED,
    sort: { createdAt: 'desc' },
    showThreadMessages: true,
  });
  const found: RoomFile[] = [];
  let unreadable = 0;
  for (const message of messages) {
    for (const file of message.file ? [message.file] : []) {
      const described = await describeFile(read, file, message);
      if (described?.unreadable) {
        unreadable += 1;
      } else if (described) {
        found.push(described);
      }
    }
    if (found.length >= FILES_OFFERED) {
      break;
    }
  }
  return { files: found, unreadable };
}

/**
 * A message's file with its upload's size, or undefined when the upload is gone. The whole message, when given,
 * also tells whether it is end-to-end encrypted (its type and content).
 */
export async function describeFile(
  read: IRead,
  file: IMessageFile,
  message: Pick<IMessageRaw, 'id' | 'threadId'> & { sender?: { username?: string } },
): Promise<RoomFile | undefined> {
  const upload = await read.getUploadReader().getById(file._id);
  if (!upload) {
    return undefined;
  }
  return {
    fileId: file._id,
    name: upload.name || file.name,
    mediaType: upload.type || file.type || 'application/octet-stream',
    size: Number(upload.size) || 0,
    senderUsername: message.sender?.username ?? upload.user?.username ?? '?',
    messageId: message.id,
    threadRootId: message.threadId ?? message.id,
    unreadable: unreadableKind(upload, message),
  };
}
