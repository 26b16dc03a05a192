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
import { ArchiveEntries, AttemptState, type ArchiveEntry } from './entries';
import { archiveQueue } from './queue';
import { roomArchiving } from './mode';
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
  TooBigForQueue = 'archive_reason_too_big_for_queue',
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

/** This process's own attempt record: its heartbeat while it works, then its outcome (see entries.ts). */
function writeAttempt(
  accessors: Accessors,
  entry: ArchiveEntry,
  state: AttemptState,
  outcome: { cid?: string; sealedWith?: string; reason?: string } = {},
): Promise<void> {
  return entries(accessors).attempt(entry, { processId: ARCHIVE_PROCESS_ID, aliveAt: Date.now(), state, ...outcome });
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

/** What {@link archiveFromChatCopy} did with an entry. */
export enum ChatCopyOutcome {
  Queued = 'queued',
  /** The queue cannot hold the copy now: the entry waits, and the recovery job tries again later. */
  Waiting = 'waiting',
  Failed = 'failed',
}

/**
 * Archives an entry from the file's chat copy (`getBufferById`): for uploads the queue could not hold and jobs a
 * restart cut off. The copy's bytes count against the queue's cap like the hook's: when it cannot hold them now,
 * the entry is marked waiting (the caller makes sure the recovery job runs again). `getBufferById` has no ranged
 * variant and costs the square of the size (PLATFORM.md), so a copy over the app's size limit can never be read:
 * that entry fails with its reason.
 */
export async function archiveFromChatCopy(accessors: Accessors, entry: ArchiveEntry): Promise<ChatCopyOutcome> {
  const config = await readConfig(accessors.read);
  const fileId = entry.fileId;
  if (!fileId || entry.size > config.maxFileBytes) {
    await writeAttempt(accessors, entry, AttemptState.Failed, { reason: FailReason.TooBigToRetry });
    return ChatCopyOutcome.Failed;
  }
  if (isHeldHere(entry.entryId)) return ChatCopyOutcome.Queued;
  if (!archiveQueue.tryHold(entry.size)) {
    await writeAttempt(accessors, entry, AttemptState.Waiting);
    return ChatCopyOutcome.Waiting;
  }
  heldHere.add(entry.entryId);
  archiveQueue.submit(entry.size, async () => {
    try {
      await writeAttempt(accessors, entry, AttemptState.Running);
      const buffer = await accessors.read.getUploadReader().getBufferById(fileId);
      await archiveBytes(accessors, entry, new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    } catch (error) {
      accessors.logger.warn('archive from the chat copy failed', errorSummary(error));
      await writeAttempt(accessors, entry, AttemptState.Failed, { reason: FailReason.Unexpected }).catch(
        () => undefined,
      );
    } finally {
      heldHere.delete(entry.entryId);
    }
  });
  return ChatCopyOutcome.Queued;
}

/**
 * Encrypts the bytes with the room's archive password into format v1, uploads them block by block (~1 MiB per
 * request, the root CID checked against the one computed here), makes the uploader its owner in their directory,
 * and records the attempt archived; any failure records it failed with a reason. Never throws. The heartbeat is
 * stopped before the outcome is written: both go to this process's one attempt record, so a late beat must never
 * overwrite the outcome.
 */
async function archiveBytes(accessors: Accessors, entry: ArchiveEntry, bytes: Uint8Array): Promise<void> {
  const { read, http, persistence } = accessors;
  const beat = () => writeAttempt(accessors, entry, AttemptState.Running);
  await beat().catch(() => undefined);
  const keepAlive = startKeepAlive({ beat, whileBusy: () => entries(accessors).get(entry) });
  let outcome: { state: AttemptState; cid?: string; sealedWith?: string; reason?: string };
  let fileKey: Uint8Array | undefined;
  try {
    const rooms = new RoomArchives(persistence, read.getPersistenceReader());
    const { record: archive } = await roomArchiving(accessors, entry.roomId);
    if (!archive) {
      outcome = { state: AttemptState.Failed, reason: FailReason.TurnedOff };
    } else {
      const config = await readConfig(read);
      const metadata = { name: entry.name, mediaType: entry.type, size: bytes.length };
      const stored = await encryptAndUpload(
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
      fileKey = stored.fileKey;
      await recordOwner(accessors, entry, stored.cid, fileKey);
      outcome = { state: AttemptState.Archived, cid: stored.cid, sealedWith: archive.nonce };
    }
  } catch (error) {
    accessors.logger.warn('archive failed', errorSummary(error));
    outcome = {
      state: AttemptState.Failed,
      reason: error instanceof UserFacingError ? error.i18nKey : FailReason.Unexpected,
    };
  } finally {
    fileKey?.fill(0);
    await keepAlive.stop();
  }
  const { state, ...rest } = outcome;
  await writeAttempt(accessors, entry, state, rest).catch(() => undefined);
  if (state === AttemptState.Archived) {
    const done = await entries(accessors).get(entry);
    if (done) await noticeArchived(accessors, done).catch(() => undefined);
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

/** Entries this process posted a notice for: the job and the linker may both find the notice due. */
const noticed = new Set<string>();

/**
 * A thread reply on the file's message, only where the admin chose that notice, once the entry is both archived
 * and linked. The job (after archiving) and IPostMessageSent (after linking) each call it once their own fact is
 * written, so whichever comes second finds both facts.
 */
export async function noticeArchived(accessors: Accessors, entry: ArchiveEntry): Promise<void> {
  const { read, modify } = accessors;
  const notice: unknown = await read.getEnvironmentReader().getSettings().getValueById(SettingId.ArchiveNotice);
  if (notice !== ArchiveNotice.ThreadReply || !entry.messageId || !entry.cid || noticed.has(entry.entryId)) return;
  noticed.add(entry.entryId);
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
