import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import type { RoomFile } from '../chat/roomFiles';
import { DEFAULT_KDF } from '../crypto';
import { ProgressMessage, percent } from '../chat/ProgressMessage';
import { describeError } from '../handlers/describeError';
import { InFlightJobs, JobKind } from './inFlight';
import { encryptAndUpload } from './transfer';
import { UserFacingError } from '../errors';
import type { Accessors } from '../handlers/Accessors';
import type { Translate } from '../i18n/translate';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import type { AppConfig } from '../settings/config';
import { AnnounceMode } from '../settings/settings';
import { cidToBytes, parseCid } from '../ipfs/cid';
import { FileAccess } from '../sharing/access';
import { GrantKind } from '../storage/GrantStorage';
import { formatBytes, markdownLiteral } from '../ui/format';

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
  /** The directory name to store under: the file's own name, or an earlier file this is a new version of. */
  readonly storeAs: string;
  readonly password: string;
  readonly config: AppConfig;
  readonly t: Translate;
}

/**
 * Reads the upload, encrypts it straight into a block-by-block IPFS upload, records it as the next version of
 * its name with the file key wrapped to the owner. The user sees one message in their direct messages with
 * the app, edited in place (stage, percentage, then the result or the error), and the result in the room.
 */
export async function runStoreJob(accessors: Accessors, job: StoreJob): Promise<void> {
  const { read, modify } = accessors;
  const { user, room, file, t } = job;
  const chat = new Chat(read, modify);
  const sizeText = formatBytes(file.size);
  await chat.tell(user, room, t('store_started', { name: markdownLiteral(file.name), size: sizeText }));
  const progress = await ProgressMessage.start(
    chat,
    await chat.directRoomWith(user),
    t('progress_store_reading', { name: markdownLiteral(file.name), size: sizeText }),
  );
  try {
    const inFlight = new InFlightJobs(accessors.persistence, read.getPersistenceReader());
    await inFlight.track(progress, user.id, JobKind.Store, () => storeAndRecord(accessors, job, progress));
  } catch (error) {
    await progress.finish(t('store_failed', { name: markdownLiteral(file.name), reason: describeError(t, error) }));
    throw error;
  }
}

async function storeAndRecord(accessors: Accessors, job: StoreJob, progress: ProgressMessage): Promise<void> {
  const { read, modify, http, persistence } = accessors;
  const { user, room, file, config, t } = job;
  const chat = new Chat(read, modify);
  // the upload's own record, not the message's word for it, before the costly read of the whole file
  const recordedSize = Number((await read.getUploadReader().getById(file.fileId))?.size ?? 0);
  if (recordedSize > config.maxFileBytes) {
    throw new FileTooLargeError(recordedSize, config.maxFileBytes);
  }
  const upload = await read.getUploadReader().getBufferById(file.fileId);
  if (upload.length > config.maxFileBytes) {
    throw new FileTooLargeError(upload.length, config.maxFileBytes);
  }
  const plaintext = new Uint8Array(upload.buffer, upload.byteOffset, upload.byteLength);
  const access = new FileAccess(persistence, read.getPersistenceReader());
  const [previous] = await access.directory.versionsOf(user.id, job.storeAs);
  const metadata = {
    name: file.name,
    mediaType: file.mediaType,
    size: plaintext.length,
    previousCid: previous ? cidToBytes(parseCid(previous.cid)) : undefined,
  };
  const sizeText = formatBytes(plaintext.length);
  const shownName = markdownLiteral(file.name);
  await progress.stage(t('progress_store_uploading', { name: shownName, size: sizeText, percent: 0 }));
  const { cid, fileKey } = await encryptAndUpload(
    new KuboRpcClient(http, config.provider),
    plaintext,
    metadata,
    job.password,
    { ...DEFAULT_KDF, logN: config.kdfLogN },
    (done) =>
      progress.update(t('progress_store_uploading', { name: shownName, size: sizeText, percent: percent(done, 1) })),
  );

  const version = (previous?.version ?? 0) + 1;
  const storedAt = Date.now();
  await access.directory.add({
    ownerId: user.id,
    name: previous?.name ?? job.storeAs,
    version,
    cid,
    previousCid: previous?.cid,
    mediaType: file.mediaType,
    size: plaintext.length,
    storedAt,
    roomId: room.id,
  });
  await access.grants.put({
    cid,
    name: previous?.name ?? job.storeAs,
    ownerId: user.id,
    recipientId: user.id,
    kind: GrantKind.Owner,
    createdAt: storedAt,
    wrapped: await access.keys.wrapFor(user.id, fileKey, cidToBytes(parseCid(cid))),
  });
  const facts = { name: shownName, size: sizeText, cid, user: user.username, version };
  if (config.announce === AnnounceMode.ThreadReply) {
    await chat.post(room, t('store_announce', facts), file.threadRootId);
  }
  const done = t(version > 1 ? 'store_done_version' : 'store_done', facts);
  await progress.finish(done);
  await chat.tell(user, room, done);
}
