/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IUpload } from '@rocket.chat/apps-engine/definition/uploads';
import type { IUploadDetails } from '@rocket.chat/apps-engine/definition/uploads/IUploadDetails';
import { UploadBridge } from '@rocket.chat/apps-engine/server/bridges/UploadBridge';
import type { StoredMessage, StoredUpload, Workspace } from '../workspace';
import { newId } from '../workspace';
import { base } from './loud';
import { assertCanSend } from './messageRules';
import { assertUploadAllowed } from './uploadPolicy';

const MIME: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
  bin: 'application/octet-stream',
  svg: 'image/svg+xml',
  html: 'text/html',
  webp: 'image/webp',
  mp4: 'video/mp4',
};

/** Guesses a MIME type from a file name, as Rocket.Chat does when the uploader gives none. */
export function mimeOf(name: string): string {
  return MIME[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** A file as the chat hands it to the server. */
export interface IncomingFile {
  name: string;
  type?: string;
  bytes: Buffer;
  roomId: string;
  userId: string;
  threadId?: string;
  text?: string;
  federated?: boolean;
  e2ee?: boolean;
}

/** Stores bytes as an upload (the Uploads store's insert), without a message. */
export function storeUpload(ws: Workspace, f: IncomingFile): StoredUpload {
  const upload: StoredUpload = {
    id: newId(),
    name: f.name,
    type: f.type ?? mimeOf(f.name),
    size: f.bytes.length,
    roomId: f.roomId,
    userId: f.userId,
    uploadedAt: ws.now(),
    bytes: Buffer.from(f.bytes),
    ...(f.federated && { federated: true }),
    ...(f.e2ee && { e2ee: true }),
  };
  ws.uploads.set(upload.id, upload);
  return upload;
}

/**
 * Saves the file message Rocket.Chat's sendFileMessage would: `file` (the first entry of `files`), `files` (the
 * upload, then any thumbnail) and a `file` attachment whose title links to `/file-upload/<id>/<name>`.
 */
export function postFileMessage(
  ws: Workspace,
  upload: StoredUpload,
  opts: { threadId?: string; text?: string; extra?: StoredUpload[] } = {},
): StoredMessage {
  const info = (u: StoredUpload) => ({ _id: u.id, name: u.name, type: u.type, size: u.size, format: '' });
  const at = ws.now();
  return ws.addMessage({
    id: newId(),
    roomId: upload.roomId,
    senderId: upload.userId ?? '',
    text: opts.text ?? '',
    createdAt: at,
    updatedAt: at,
    ...(opts.threadId && { threadId: opts.threadId }),
    file: info(upload),
    files: [upload, ...(opts.extra ?? [])].map(info),
    attachments: [
      {
        type: 'file',
        title: {
          value: upload.name,
          link: `/file-upload/${upload.id}/${encodeURIComponent(upload.name)}`,
          displayDownloadLink: true,
        },
        description: opts.text,
      },
    ],
  });
}

/**
 * Stores bytes as an upload and posts its file message at once (no hooks, no thumbnail): what `uploadBuffer`
 * does, and the quick way a test puts a file in a room. `userUpload` (uploadFlow.ts) is a user's full upload.
 */
export function postFile(ws: Workspace, f: IncomingFile): { upload: StoredUpload; message: StoredMessage } {
  const upload = storeUpload(ws, f);
  return { upload, message: postFileMessage(ws, upload, f) };
}

/**
 * Uploads: read an upload's metadata and bytes, and `uploadBuffer` (which posts the file message at once), with
 * Rocket.Chat's upload policies (uploadPolicy.ts) and message rules (messageRules.ts) on what the app uploads.
 */
export class HostUploadBridge extends base(UploadBridge) {
  constructor(private readonly ws: Workspace) {
    super();
  }
  toAppUpload(u: StoredUpload): IUpload {
    const ext = u.name.includes('.') ? (u.name.split('.').pop() ?? '') : '';
    return {
      id: u.id,
      name: u.name,
      size: String(u.size),
      type: u.type,
      extension: ext,
      etag: u.id,
      path: `/ufs/GridFS:Uploads/${u.id}/${encodeURIComponent(u.name)}`,
      token: u.id.slice(0, 10),
      url: `/ufs/GridFS:Uploads/${u.id}/${encodeURIComponent(u.name)}`,
      progress: 1,
      uploading: false,
      complete: true,
      updatedAt: u.uploadedAt,
      uploadedAt: u.uploadedAt,
      store: 'GridFS:Uploads' as never,
      room: this.ws.rooms.get(u.roomId)!,
      ...(u.userId && { user: this.ws.users.get(u.userId) }),
    };
  }
  protected async getById(id: string): Promise<IUpload> {
    const u = this.ws.uploads.get(id);
    return (u && this.toAppUpload(u)) as IUpload;
  }
  /** Uploads whose read never finished (federated ones), for tests to assert. */
  readonly hangingReads: string[] = [];
  protected async getBuffer(upload: IUpload): Promise<Buffer> {
    const u = this.ws.uploads.get(upload.id);
    if (!u) throw new Error(`host: no upload ${upload.id}`);
    if (u.federated) {
      // Rocket.Chat's FileUpload.getBuffer on a federated (remote) file never calls back: the read hangs
      this.hangingReads.push(u.id);
      return new Promise<Buffer>(() => undefined);
    }
    // an end-to-end encrypted upload is stored as the client encrypted it: the app gets ciphertext
    return Buffer.from(u.bytes);
  }
  protected async createUpload(details: IUploadDetails, buffer: Buffer): Promise<IUpload> {
    if (!details.userId) throw new Error('host: uploads from visitors are not supported');
    if (!this.ws.rooms.has(details.rid)) throw new Error(`host: no room ${details.rid}`);
    const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer as Uint8Array);
    // determineFileType: the server sets the type itself (content, then name), whatever the app passed
    const type = mimeOf(details.name);
    assertUploadAllowed(this.ws, { roomId: details.rid, userId: details.userId, type, size: bytes.length });
    const file = { name: details.name, type, bytes, roomId: details.rid, userId: details.userId };
    try {
      // sendFileMessage → executeSendMessage: the file message meets the message rules after the store
      assertCanSend(this.ws, { roomId: details.rid, senderId: details.userId, text: '' });
    } catch (e) {
      const at = this.ws.now();
      const orphan = { id: newId(), ...file, size: bytes.length, uploadedAt: at, bytes: Buffer.from(bytes) };
      this.ws.uploads.set(orphan.id, orphan);
      throw e;
    }
    const { upload } = postFile(this.ws, file);
    return this.toAppUpload(upload);
  }
}
