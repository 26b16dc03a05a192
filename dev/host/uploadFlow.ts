import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { IUploadDetails } from '@rocket.chat/apps-engine/definition/uploads/IUploadDetails';
import type { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import { mimeOf, postFileMessage, storeUpload } from './bridges/uploads';
import { assertCanSend } from './bridges/messageRules';
import { assertUploadAllowed } from './bridges/uploadPolicy';
import { meteorError } from './rules';
import type { StoredUpload, Workspace } from './workspace';

/** One step of a user's upload as the server ran it, in order (see {@link UploadTrace}). */
export type UploadStep =
  | { step: 'IPreFileUpload'; name: string; ms: number }
  | { step: 'stored'; uploadId: string; name: string }
  | { step: 'message saved'; messageId: string }
  | { step: 'IPostMessageSent'; messageId: string };

/** What one upload request did: its steps in order and, when it got that far, the file message. */
export interface UploadTrace {
  steps: UploadStep[];
  message?: IMessage;
  /** The file's upload id (Rocket.Chat's `file._id`). */
  uploadId?: string;
  /** Resolves when the app's IPostMessageSent call is over (Rocket.Chat does not wait for it). */
  postMessageSent: Promise<void>;
}

/** A file a user sends through the chat's upload button. */
export interface UserUpload {
  roomId: string;
  userId: string;
  name: string;
  type?: string;
  bytes: Buffer;
  threadId?: string;
  text?: string;
}

/** Image types Rocket.Chat makes a thumbnail of (sharp reads them; FileUpload.uploadsOnValidate's list). */
const THUMBNAILED = /^image\/((x-windows-)?bmp|p?jpeg|png|gif|webp)$/;

/**
 * The IPreFileUpload hook as Rocket.Chat runs it (apps/meteor/app/apps/server/bridges/listeners.ts `uploadEvent`):
 * the bytes go to a temporary file under the engine's temp path, the listener manager calls every app implementing
 * the hook with `{ file: IUploadDetails, path }` (the app's runtime reads the file into `context.content`), and the
 * file is deleted afterwards. An app's `AppsEngineException` (e.g. FileUploadNotAllowedException) becomes
 * `error-app-prevented` (FileUpload.validateFileUpload); other app errors and the engine's call timeout are
 * swallowed by the engine itself (ProxiedApp.call), so the upload goes on.
 * @throws Error `"<app's message> [error-app-prevented]"` when an app refuses the upload
 */
export async function runPreFileUpload(manager: AppManager, details: IUploadDetails, bytes: Buffer): Promise<number> {
  const tmpfile = path.join(manager.getTempFilePath(), randomUUID());
  await fs.writeFile(tmpfile, bytes);
  const started = Date.now();
  try {
    await manager.getListenerManager().executeListener(AppInterface.IPreFileUpload, { file: details, path: tmpfile });
  } catch (error) {
    if ((error as Error).name === 'AppsEngineException') {
      throw meteorError('error-app-prevented', (error as Error).message);
    }
    throw error;
  } finally {
    await fs.unlink(tmpfile).catch(() => undefined);
  }
  return Date.now() - started;
}

function detailsOf(u: { name: string; size: number; type: string; roomId: string; userId: string }): IUploadDetails {
  return { name: u.name, size: u.size, type: u.type, rid: u.roomId, userId: u.userId };
}

/**
 * A user's upload, in Rocket.Chat's order: the upload policies and the apps' IPreFileUpload hook before the file
 * is stored (FileUpload.validateFileUpload, run by the Uploads store's filter), then the file is stored; for an
 * image, sendFileMessage's parseFileIntoMessageAttachments makes a thumbnail and stores it through the same store
 * (`thumb-<name>`: the hook fires a second time); then executeSendMessage saves the file message (message rules)
 * and sendMessage fires IPostMessageSent without waiting for it (`void Apps.self?.triggerEvent(...)`).
 * The host's thumbnail bytes are a stand-in (no image library), smaller than the file.
 * @throws Error as Rocket.Chat's Meteor.Error: a policy, an app's refusal, or a message rule
 */
export async function userUpload(ws: Workspace, manager: AppManager, f: UserUpload): Promise<UploadTrace> {
  const steps: UploadStep[] = [];
  const type = f.type ?? mimeOf(f.name);
  const incoming = { name: f.name, size: f.bytes.length, type, roomId: f.roomId, userId: f.userId };
  assertUploadAllowed(ws, incoming);
  steps.push({
    step: 'IPreFileUpload',
    name: f.name,
    ms: await runPreFileUpload(manager, detailsOf(incoming), f.bytes),
  });
  const upload = storeUpload(ws, { ...f, type });
  steps.push({ step: 'stored', uploadId: upload.id, name: upload.name });
  const extra: StoredUpload[] = [];
  if (THUMBNAILED.test(type) && ws.serverSettings.get('Message_Attachments_Thumbnails_Enabled') !== false) {
    const thumb = { ...incoming, name: `thumb-${f.name}`, bytes: thumbnailOf(f.bytes) };
    const hookMs = await runPreFileUpload(manager, detailsOf({ ...thumb, size: thumb.bytes.length }), thumb.bytes);
    steps.push({ step: 'IPreFileUpload', name: thumb.name, ms: hookMs });
    const stored = storeUpload(ws, thumb);
    steps.push({ step: 'stored', uploadId: stored.id, name: stored.name });
    extra.push(stored);
  }
  assertCanSend(ws, { roomId: f.roomId, senderId: f.userId, text: f.text ?? '', threadId: f.threadId });
  const saved = postFileMessage(ws, upload, { threadId: f.threadId, text: f.text, extra });
  steps.push({ step: 'message saved', messageId: saved.id });
  const message = ws.toAppMessage(saved);
  // executeListener(IPostMessageSent) starts this same method without awaiting it; calling it directly lets a test
  // know when the apps are done, while the upload request (this function) still does not wait
  const listeners = manager.getListenerManager() as unknown as {
    executePostMessageSent(m: IMessage): Promise<void>;
  };
  const postMessageSent = listeners
    .executePostMessageSent(message)
    .then(() => void steps.push({ step: 'IPostMessageSent', messageId: saved.id }))
    .catch((e: unknown) => ws.gap(`host: IPostMessageSent failed: ${String(e)}`));
  return { steps, message, uploadId: upload.id, postMessageSent };
}

/** A stand-in for sharp's resized image: a small, deterministic prefix of the file. */
function thumbnailOf(bytes: Buffer): Buffer {
  return Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096)));
}
