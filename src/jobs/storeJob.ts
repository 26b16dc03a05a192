import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import type { RoomFile } from '../chat/roomFiles';
import { DEFAULT_KDF } from '../crypto';
import { ProgressMessage, percent } from '../chat/ProgressMessage';
import { describeError, sentenceText } from '../ui/describeError';
import { InFlightJobs, JobKind } from './inFlight';
import { encryptAndUpload } from './transfer';
import type { Accessors } from '../edge/Accessors';
import type { Translate } from '../i18n/translate';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import type { AppConfig } from '../settings/config';
import { AnnounceMode } from '../settings/settings';
import { cidToBytes, parseCid } from '../ipfs/cid';
import { FileAccess } from '../sharing/access';
import { recordOwnedVersion } from '../sharing/lifecycle';
import { FileTooLargeError } from '../settings/errors';
import { ProviderTraitsStorage } from '../storage/ProviderTraitsStorage';
import { formatBytes, markdownLiteral } from '../ui/format';
import { directRoomFacts } from '../policy/deliveryPlan';
import { UnreadableUploadError } from '../policy/errors';
import { readRoomFacts, unreadableKind } from '../policy/facts';
import { AnnounceWhere, chooseAnnounce, whyBotCannotPost, type Sentence } from '../policy/rules';
import { readWorkspacePolicy } from '../policy/workspacePolicy';

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
  const policy = await readWorkspacePolicy(read);
  const chat = new Chat(read, modify, policy.maxMessageLength);
  const announce = chooseAnnounce(policy, await readRoomFacts(read, room));
  const sizeText = formatBytes(file.size);
  await chat.tell(user, room, t('store_started', { name: markdownLiteral(file.name), size: sizeText }));
  const firstText = t('progress_store_reading', { name: markdownLiteral(file.name), size: sizeText });
  // an encrypted direct room takes no message from the bot: progress is then told to the user here
  const progress =
    whyBotCannotPost(policy, await directRoomFacts(read, policy, user)) === undefined
      ? await ProgressMessage.start(chat, await chat.directRoomWith(user), firstText)
      : await ProgressMessage.told(chat, user, room, firstText);
  try {
    const inFlight = new InFlightJobs(accessors.persistence, read.getPersistenceReader());
    await inFlight.track(progress, user.id, JobKind.Store, () =>
      storeAndRecord(accessors, job, { chat, progress, announce }),
    );
  } catch (error) {
    await progress.finish(t('store_failed', { name: markdownLiteral(file.name), reason: describeError(t, error) }));
    throw error;
  }
}

/** What a store job decided and opened before it reads the file. */
interface StoreContext {
  readonly chat: Chat;
  readonly progress: ProgressMessage;
  readonly announce: { readonly where: AnnounceWhere; readonly because?: Sentence };
}

async function storeAndRecord(accessors: Accessors, job: StoreJob, context: StoreContext): Promise<void> {
  const { read, http, persistence } = accessors;
  const { user, room, file, config, t } = job;
  const { chat, progress } = context;
  // the upload's own record, not the message's word for it, before the costly read of the whole file
  const record = await read.getUploadReader().getById(file.fileId);
  const unreadable = unreadableKind(record);
  if (unreadable) {
    throw new UnreadableUploadError(unreadable);
  }
  const recordedSize = Number(record?.size ?? 0);
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
    new ProviderTraitsStorage(persistence, read.getPersistenceReader()),
    { plaintext, metadata, password: job.password, kdf: { ...DEFAULT_KDF, logN: config.kdfLogN } },
    (done) =>
      progress.update(t('progress_store_uploading', { name: shownName, size: sizeText, percent: percent(done, 1) })),
  );

  const version = (previous?.version ?? 0) + 1;
  const storedAt = Date.now();
  await recordOwnedVersion(
    access,
    {
      ownerId: user.id,
      name: previous?.name ?? job.storeAs,
      version,
      cid,
      previousCid: previous?.cid,
      mediaType: file.mediaType,
      size: plaintext.length,
      storedAt,
      roomId: room.id,
    },
    fileKey,
  );
  const facts = { name: shownName, size: sizeText, cid, user: user.username, version };
  if (config.announce === AnnounceMode.ThreadReply) {
    await announceStored(chat, job, context.announce, t('store_announce', facts));
  }
  const done = t(version > 1 ? 'store_done_version' : 'store_done', facts);
  await progress.finish(done);
  if (!progress.isEphemeral) {
    await chat.tell(user, room, done);
  }
}

/**
 * Tells the room, where the workspace lets the bot post: in the file's thread, or (threads off) in the room's
 * main timeline. The file is stored and recorded by now, so a refusal is only told to the user, never a failure.
 */
async function announceStored(chat: Chat, job: StoreJob, plan: StoreContext['announce'], text: string): Promise<void> {
  const { user, room, file, t } = job;
  if (plan.where === AnnounceWhere.UserOnly) {
    const because = plan.because ? sentenceText(t, plan.because) : '';
    await chat.tell(user, room, t('store_announce_skipped', { because }));
    return;
  }
  try {
    await chat.post(room, text, plan.where === AnnounceWhere.Thread ? file.threadRootId : undefined);
  } catch {
    await chat.tell(user, room, t('store_announce_failed'));
  }
}
