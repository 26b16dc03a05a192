import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import type { RoomFile } from '../chat/roomFiles';
import { DEFAULT_KDF, encryptObject } from '../crypto';
import { UserFacingError } from '../errors';
import type { Accessors } from '../handlers/Accessors';
import type { Translate } from '../i18n/translate';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import type { AppConfig } from '../settings/config';
import { AnnounceMode } from '../settings/settings';
import { StoredFileStorage } from '../storage/StoredFileStorage';
import { formatBytes } from '../ui/format';

export class FileTooLargeError extends UserFacingError {
  constructor(size: number, max: number) {
    super('error_file_too_large', 'file exceeds the configured maximum', {
      size: formatBytes(size),
      max: formatBytes(max),
    });
  }
}

/** One store request. The password lives only here, in memory, for the length of the job. */
export interface StoreJob {
  readonly user: IUser;
  readonly room: IRoom;
  readonly file: RoomFile;
  readonly password: string;
  readonly config: AppConfig;
  readonly t: Translate;
}

/** Reads the upload, encrypts it, adds it to IPFS, records it, and tells the user each step. */
export async function runStoreJob(accessors: Accessors, job: StoreJob): Promise<void> {
  const { read, modify, http, persistence } = accessors;
  const { user, room, file, config, t } = job;
  const chat = new Chat(read, modify);

  await chat.tell(user, room, t('store_progress_encrypting', { name: file.name, size: formatBytes(file.size) }));
  const upload = await read.getUploadReader().getBufferById(file.fileId);
  if (upload.length > config.maxFileBytes) {
    throw new FileTooLargeError(upload.length, config.maxFileBytes);
  }
  const plaintext = new Uint8Array(upload.buffer, upload.byteOffset, upload.byteLength);
  const object = encryptObject(
    plaintext,
    { name: file.name, mediaType: file.mediaType, size: plaintext.length },
    job.password,
    {
      ...DEFAULT_KDF,
      logN: config.kdfLogN,
    },
  );

  await chat.tell(user, room, t('store_progress_uploading', { size: formatBytes(object.length) }));
  const cid = await new KuboRpcClient(http, config.provider).add(object);

  await new StoredFileStorage(persistence, read.getPersistenceReader()).add({
    cid,
    name: file.name,
    mediaType: file.mediaType,
    size: plaintext.length,
    storedAt: Date.now(),
    roomId: room.id,
    ownerId: user.id,
  });
  const facts = { name: file.name, size: formatBytes(plaintext.length), cid, user: user.username };
  if (config.announce === AnnounceMode.ThreadReply) {
    await chat.post(room, t('store_announce', facts), file.threadRootId);
  }
  await chat.tell(user, room, t('store_done', facts));
}
