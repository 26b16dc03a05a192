import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IFileUploadContext } from '@rocket.chat/apps-engine/definition/uploads';
import { randomBytes } from '../crypto';
import type { Accessors } from '../edge/Accessors';
import { extraField } from '../policy/facts';
import { ArchiveMode, SettingId } from '../settings/settings';
import {
  ARCHIVE_PROCESS_ID,
  archiveFromChatCopy,
  FailReason,
  isHeldHere,
  queueArchive,
  STALE_AFTER_MS,
} from './archiver';
import { ArchiveEntries, EntryStatus, type ArchiveEntry } from './entries';
import { archiveQueue } from './queue';
import { RoomArchives } from './roomArchive';

/** Rocket.Chat fires the hook for an image's thumbnail right after the image itself, as `thumb-<name>`. */
const THUMBNAIL_PREFIX = 'thumb-';
/** How long after its upload a file message is matched to its entry (the hook carries no upload id). */
const LINK_WINDOW_MS = 10 * 60_000;

export const SKIPPED_E2EE = 'archive_reason_e2ee';

async function archiveMode(accessors: Accessors): Promise<ArchiveMode> {
  const value: unknown = await accessors.read.getEnvironmentReader().getSettings().getValueById(SettingId.ArchiveMode);
  return Object.values(ArchiveMode).includes(value as ArchiveMode) ? (value as ArchiveMode) : ArchiveMode.Off;
}

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
  const archive = await new RoomArchives(persistence, read.getPersistenceReader()).of(file.rid);
  if (!archive && mode !== ArchiveMode.Every) return;
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
    await store.put({ ...base, status: EntryStatus.Skipped, reason: SKIPPED_E2EE });
    return;
  }
  if (!archive) {
    await store.put({ ...base, status: EntryStatus.Failed, reason: FailReason.NoPassword });
    return;
  }
  const entry: ArchiveEntry = { ...base, status: EntryStatus.Pending };
  await store.put(entry);
  if (archiveQueue.tryHold(content.length)) {
    queueArchive(accessors, entry, new Uint8Array(content.buffer, content.byteOffset, content.byteLength), true);
  }
  // not held: IPostMessageSent links the file message, then the chat copy is archived (archiveFromChatCopy)
}

/**
 * IPostMessageSent: links a file message to its entry (same room, uploader, name and size, not linked yet, seen
 * shortly before). An entry the queue could not hold is archived from the chat copy now that its id is known.
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
  const entry = candidates.at(-1);
  if (!entry) return;
  const linked = await store.update(entry, { messageId: message.id, fileId: file._id });
  const waitsForChatCopy =
    linked.status === EntryStatus.Pending && linked.processId === ARCHIVE_PROCESS_ID && !isHeldHere(linked.entryId);
  if (waitsForChatCopy) {
    await archiveFromChatCopy(accessors, linked);
  }
}

/** The scheduler job that retries archive jobs a restart cut off; scheduled by `onEnable`, again while needed. */
export const ARCHIVE_RECOVERY_JOB = 'ipfs-archive-recovery';

/**
 * Pending entries whose process is gone (not renewed for {@link STALE_AFTER_MS}): retried from the chat copy when
 * its size allows, otherwise marked "not archived" with the reason. Run shortly after every start of the process,
 * and again while another process's pending entries may still turn out cut off.
 */
export async function recoverInterruptedArchives(accessors: Accessors): Promise<void> {
  const store = new ArchiveEntries(accessors.persistence, accessors.read.getPersistenceReader());
  const now = Date.now();
  const others = (await store.all()).filter(
    (entry) => entry.status === EntryStatus.Pending && entry.processId !== ARCHIVE_PROCESS_ID,
  );
  if (others.some((entry) => now - entry.aliveAt <= STALE_AFTER_MS)) {
    await accessors.modify.getScheduler().scheduleOnce({ id: ARCHIVE_RECOVERY_JOB, when: '15 seconds' });
  }
  for (const entry of others) {
    if (now - entry.aliveAt <= STALE_AFTER_MS) continue;
    if (entry.fileId) {
      await archiveFromChatCopy(accessors, entry);
    } else {
      await store.update(entry, { status: EntryStatus.Failed, reason: FailReason.Interrupted });
    }
  }
}
