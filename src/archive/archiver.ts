import { DEFAULT_KDF, randomBytes } from '../crypto';
import { startKeepAlive } from '../engine/keepAlive';
import type { Accessors } from '../edge/Accessors';
import { errorSummary, UserFacingError } from '../errors';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { encryptAndUpload } from '../jobs/transfer';
import { readConfig } from '../settings/config';
import { ArchiveNotice, SettingId } from '../settings/settings';
import { FileAccess } from '../sharing/access';
import { recordOwnedVersion } from '../sharing/lifecycle';
import { ProviderTraitsStorage } from '../storage/ProviderTraitsStorage';
import { translate } from '../i18n/translate';
import { formatBytes, markdownLiteral } from '../ui/format';
import { ArchiveEntries, EntryStatus, type ArchiveEntry } from './entries';
import { archiveQueue } from './queue';
import { RoomArchives } from './roomArchive';

/** Drawn once per process of the app: a restart gives the app a new one. */
export const ARCHIVE_PROCESS_ID = Buffer.from(randomBytes(12)).toString('hex');

/** A pending entry not renewed for this long was cut off (the engine kills a stalled process after ~40 s). */
export const STALE_AFTER_MS = 30_000;

/** Failure reasons are i18n keys, shown in each reader's language by `/ipfs archive status`. */
export enum FailReason {
  NoPassword = 'archive_reason_no_password',
  TurnedOff = 'archive_reason_turned_off',
  TooBigToRetry = 'archive_reason_too_big_to_retry',
  Interrupted = 'archive_reason_interrupted',
  Unexpected = 'archive_reason_unexpected',
}

function entries(accessors: Accessors): ArchiveEntries {
  return new ArchiveEntries(accessors.persistence, accessors.read.getPersistenceReader());
}

/** Entries whose bytes this process holds or is archiving (process memory: lost with the process, by design). */
const heldHere = new Set<string>();

/** Whether this process has the entry's bytes (queued or running). */
export function isHeldHere(entryId: string): boolean {
  return heldHere.has(entryId);
}

/** Queues the archiving of bytes the hook handed over; `held` bytes count against the queue's cap. */
export function queueArchive(accessors: Accessors, entry: ArchiveEntry, bytes: Uint8Array, held: boolean): void {
  heldHere.add(entry.entryId);
  archiveQueue.submit(held ? bytes.length : 0, async () => {
    try {
      await archiveBytes(accessors, entry, bytes);
    } finally {
      heldHere.delete(entry.entryId);
    }
  });
}

/**
 * Archives an entry from the file's chat copy (`getBufferById`): for uploads the queue could not hold and jobs a
 * restart cut off. Over the app's size limit for chat copies it fails with its reason instead.
 */
export async function archiveFromChatCopy(accessors: Accessors, entry: ArchiveEntry): Promise<void> {
  const store = entries(accessors);
  const config = await readConfig(accessors.read);
  if (!entry.fileId || entry.size > config.maxFileBytes) {
    await store.update(entry, { status: EntryStatus.Failed, reason: FailReason.TooBigToRetry });
    return;
  }
  const claimed = await store.update(entry, { processId: ARCHIVE_PROCESS_ID, aliveAt: Date.now() });
  const fileId = entry.fileId;
  heldHere.add(entry.entryId);
  archiveQueue.submit(0, async () => {
    try {
      const buffer = await accessors.read.getUploadReader().getBufferById(fileId);
      await archiveBytes(accessors, claimed, new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    } catch (error) {
      accessors.logger.warn('archive from the chat copy failed', errorSummary(error));
      await store.update(claimed, { status: EntryStatus.Failed, reason: FailReason.Unexpected }).catch(() => undefined);
    } finally {
      heldHere.delete(entry.entryId);
    }
  });
}

/**
 * Encrypts the bytes with the room's archive password into format v1, uploads them block by block (~1 MiB per
 * request, the root CID checked against the one computed here), makes the uploader its owner in their directory,
 * and marks the entry archived; any failure marks it failed with a reason. Never throws.
 */
async function archiveBytes(accessors: Accessors, entry: ArchiveEntry, bytes: Uint8Array): Promise<void> {
  const { read, http, persistence } = accessors;
  const store = entries(accessors);
  const keepAlive = startKeepAlive({
    beat: () => store.update(entry, { processId: ARCHIVE_PROCESS_ID, aliveAt: Date.now() }),
    whileBusy: () => store.ofRoom(entry.roomId),
  });
  try {
    const rooms = new RoomArchives(persistence, read.getPersistenceReader());
    const archive = await rooms.of(entry.roomId);
    if (!archive) {
      await store.update(entry, { status: EntryStatus.Failed, reason: FailReason.TurnedOff });
      return;
    }
    const config = await readConfig(read);
    const metadata = { name: entry.name, mediaType: entry.type, size: bytes.length };
    const { cid, fileKey } = await encryptAndUpload(
      new KuboRpcClient(http, config.provider),
      new ProviderTraitsStorage(persistence, read.getPersistenceReader()),
      {
        plaintext: bytes,
        metadata,
        password: await rooms.passwordOf(archive),
        kdf: { ...DEFAULT_KDF, logN: config.kdfLogN },
      },
      () => Promise.resolve(),
    );
    await recordOwner(accessors, entry, cid, fileKey);
    fileKey.fill(0);
    const done = await store.update(entry, { status: EntryStatus.Archived, cid, aliveAt: Date.now() });
    await noticeArchived(accessors, done);
  } catch (error) {
    const reason = error instanceof UserFacingError ? error.i18nKey : FailReason.Unexpected;
    accessors.logger.warn('archive failed', errorSummary(error));
    await store.update(entry, { status: EntryStatus.Failed, reason }).catch(() => undefined);
  } finally {
    await keepAlive.stop();
  }
}

/** The uploader owns the object like any file they stored: a directory version and the owner's wrapped key. */
async function recordOwner(accessors: Accessors, entry: ArchiveEntry, cid: string, fileKey: Uint8Array): Promise<void> {
  const access = new FileAccess(accessors.persistence, accessors.read.getPersistenceReader());
  const [previous] = await access.directory.versionsOf(entry.uploaderId, entry.name);
  const storedAt = Date.now();
  await recordOwnedVersion(
    access,
    {
      ownerId: entry.uploaderId,
      name: previous?.name ?? entry.name,
      version: (previous?.version ?? 0) + 1,
      cid,
      previousCid: previous?.cid,
      mediaType: entry.type,
      size: entry.size,
      storedAt,
      roomId: entry.roomId,
    },
    fileKey,
  );
}

/** A thread reply on the file's message, only where the admin chose that notice and the message is known. */
async function noticeArchived(accessors: Accessors, entry: ArchiveEntry): Promise<void> {
  const { read, modify } = accessors;
  const notice: unknown = await read.getEnvironmentReader().getSettings().getValueById(SettingId.ArchiveNotice);
  if (notice !== ArchiveNotice.ThreadReply || !entry.messageId) return;
  const room = await read.getRoomReader().getById(entry.roomId);
  const bot = await read.getUserReader().getAppUser();
  if (!room || !bot) return;
  const language = String((await read.getEnvironmentReader().getServerSettings().getValueById('Language')) || 'en');
  const text = translate(
    language === 'de' || language === 'es' || language === 'pt-BR' ? language : 'en',
    'archive_notice_text',
    {
      name: markdownLiteral(entry.name),
      size: formatBytes(entry.size),
      cid: entry.cid ?? '',
    },
  );
  try {
    await modify
      .getCreator()
      .finish(
        modify.getCreator().startMessage().setRoom(room).setSender(bot).setThreadId(entry.messageId).setText(text),
      );
  } catch {
    // a room that takes no bot message (read-only, encrypted): the archive is still listed
  }
}
