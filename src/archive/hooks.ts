import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IFileUploadContext } from '@rocket.chat/apps-engine/definition/uploads';
import { randomBytes } from '../crypto';
import type { Accessors } from '../edge/Accessors';
import { extraField } from '../policy/facts';
import { ArchiveMode } from '../settings/settings';
import {
  ARCHIVE_PROCESS_ID,
  archiveFromChatCopy,
  ChatCopyOutcome,
  FailReason,
  isHeldHere,
  noticeArchived,
  queueArchive,
} from './archiver';
import { ArchiveEntries, EntryStatus, type ArchiveEntry } from './entries';
import { archiveQueue, MAX_BYTES_HELD } from './queue';
import { scheduleRecovery } from './recovery';
import { archiveMode, roomArchiving } from './mode';

/** Rocket.Chat fires the hook for an image's thumbnail right after the image itself, as `thumb-<name>`. */
const THUMBNAIL_PREFIX = 'thumb-';
/** How long after its upload a file message is matched to its entry (the hook carries no upload id). */
const LINK_WINDOW_MS = 10 * 60_000;

export const SKIPPED_E2EE = 'archive_reason_e2ee';

/**
 * IPreFileUpload: in an archiving room, writes the upload's entry, hands the bytes to the queue and returns; the
 * work goes on after the upload request moved on. Never throws (an exception other than
 * FileUploadNotAllowedException is swallowed by the engine anyway, but the upload must never depend on it).
 */
export async function onPreFileUpload(accessors: Accessors, context: IFileUploadContext): Promise<void> {
  try {
    await acceptUpload(accessors, context);
  } catch (error) {
    accessors.logger.warn('archive: the upload could not be queued', error instanceof Error ? error.name : '');
  }
}

async function acceptUpload(accessors: Accessors, { file, content }: IFileUploadContext): Promise<void> {
  const mode = await archiveMode(accessors);
  if (mode === ArchiveMode.Off || !file.userId) return;
  const { read, persistence } = accessors;
  const store = new ArchiveEntries(persistence, read.getPersistenceReader());
  const now = Date.now();
  if (file.name.startsWith(THUMBNAIL_PREFIX)) {
    const original = file.name.slice(THUMBNAIL_PREFIX.length);
    const recent = await store.ofRoom(file.rid);
    if (
      recent.some(
        (e) =>
          e.name === original && e.uploaderId === file.userId && !e.messageId && now - e.receivedAt < LINK_WINDOW_MS,
      )
    ) {
      return; // the server's thumbnail of an upload just seen: not archived
    }
  }
  const { archives, record: archive } = await roomArchiving(accessors, file.rid, mode);
  if (!archives) return;
  const room = await read.getRoomReader().getById(file.rid);
  const base = {
    entryId: Buffer.from(randomBytes(12)).toString('hex'),
    roomId: file.rid,
    uploaderId: file.userId,
    name: file.name,
    size: content.length,
    type: file.type,
    receivedAt: now,
    processId: ARCHIVE_PROCESS_ID,
    aliveAt: now,
  };
  if (room && extraField(room, 'encrypted') === true) {
    await store.create({ ...base, status: EntryStatus.Skipped, reason: SKIPPED_E2EE });
    return;
  }
  if (!archive) {
    await store.create({ ...base, status: EntryStatus.Failed, reason: FailReason.NoPassword });
    return;
  }
  if (content.length > MAX_BYTES_HELD) {
    // never holdable, and far past what the chat copy can be read back at: say so rather than wait forever
    await store.create({ ...base, status: EntryStatus.Failed, reason: FailReason.TooBigForQueue });
    return;
  }
  const entry: ArchiveEntry = { ...base, status: EntryStatus.Pending };
  // written before the hook returns: once the upload goes on, its entry exists whatever happens to this process
  await store.create(entry);
  if (archiveQueue.tryHold(content.length)) {
    queueArchive(accessors, entry, new Uint8Array(content.buffer, content.byteOffset, content.byteLength), true);
  }
  // not held: IPostMessageSent links the file message, then the chat copy is archived (archiveFromChatCopy)
}

/**
 * IPostMessageSent: links a file message to its entry (same room, uploader, name and size, not linked yet, seen
 * shortly before). An entry no process holds (the queue could not hold it, or a restart cut it off before its
 * message came) is archived from the chat copy now that its id is known, or waits for the queue.
 */
export async function onPostMessageSent(accessors: Accessors, message: IMessage): Promise<void> {
  const file = message.file;
  if (!file?._id || !message.room?.id || (await archiveMode(accessors)) === ArchiveMode.Off) return;
  const store = new ArchiveEntries(accessors.persistence, accessors.read.getPersistenceReader());
  const now = Date.now();
  const size = Number((file as { size?: number }).size ?? -1);
  const candidates = (await store.ofRoom(message.room.id)).filter(
    (e) =>
      !e.messageId &&
      e.uploaderId === message.sender.id &&
      e.name === file.name &&
      (size < 0 || e.size === size) &&
      now - e.receivedAt < LINK_WINDOW_MS,
  );
  const candidate = candidates.at(-1) ?? (await adoptUnseenUpload(accessors, message, file._id));
  if (!candidate || !message.id) return;
  await store.link(candidate, message.id, file._id);
  const linked = await store.get(candidate);
  if (!linked) return;
  if (linked.status === EntryStatus.Archived) {
    await noticeArchived(accessors, linked); // the job finished before the link: the notice is due now
    return;
  }
  const unheld =
    (linked.status === EntryStatus.Pending && !isHeldHere(linked.entryId) && linked.processId === ARCHIVE_PROCESS_ID) ||
    (linked.status === EntryStatus.Failed && linked.reason === FailReason.Interrupted);
  const outcome = unheld ? await archiveFromChatCopy(accessors, linked) : undefined;
  if (outcome === ChatCopyOutcome.Waiting || (!unheld && linked.status === EntryStatus.Pending)) {
    // a recovery run on whichever instance is alive then: if this one goes down for good, another finishes the job
    await scheduleRecovery(accessors);
  }
}

/**
 * A file message of an archiving room whose upload has no entry: the hook never finished for it (the app's process
 * was down or restarting during the upload, or the hook's call timed out). Written now as a pending entry, so it is
 * archived from the chat copy or shown "not archived" with its reason — never silently missing.
 */
async function adoptUnseenUpload(
  accessors: Accessors,
  message: IMessage,
  fileId: string,
): Promise<ArchiveEntry | undefined> {
  const { read, persistence } = accessors;
  const roomId = message.room.id;
  const bot = await read.getUserReader().getAppUser();
  const archiving = await roomArchiving(accessors, roomId);
  if (message.sender.id === bot?.id || !archiving.archives) return undefined;
  const upload = await read.getUploadReader().getById(fileId);
  if (!upload) return undefined;
  const now = Date.now();
  const room = await read.getRoomReader().getById(roomId);
  // the same verdicts as the hook's: an end-to-end encrypted room is skipped, a room without a password fails
  const verdict =
    room && extraField(room, 'encrypted') === true
      ? { status: EntryStatus.Skipped, reason: SKIPPED_E2EE }
      : archiving.record
        ? { status: EntryStatus.Pending }
        : { status: EntryStatus.Failed, reason: FailReason.NoPassword };
  const entry: ArchiveEntry = {
    ...verdict,
    entryId: Buffer.from(randomBytes(12)).toString('hex'),
    roomId,
    uploaderId: message.sender.id,
    name: upload.name,
    size: Number(upload.size),
    type: upload.type,
    receivedAt: now,
    processId: ARCHIVE_PROCESS_ID,
    aliveAt: now,
  };
  await new ArchiveEntries(persistence, read.getPersistenceReader()).create(entry);
  return entry;
}

export { ARCHIVE_RECOVERY_JOB, recoverInterruptedArchives } from './recovery';
