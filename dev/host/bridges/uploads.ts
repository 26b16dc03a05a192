/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import type { IUpload } from '@rocket.chat/apps-engine/definition/uploads';
import type { IUploadDetails } from '@rocket.chat/apps-engine/definition/uploads/IUploadDetails';
import { UploadBridge } from '@rocket.chat/apps-engine/server/bridges/UploadBridge';
import type { StoredMessage, StoredUpload, Workspace } from '../workspace';
import { newId } from '../workspace';
import { base } from './loud';

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
};

/** Guesses a MIME type from a file name, as Rocket.Chat does when the uploader gives none. */
export function mimeOf(name: string): string {
  return MIME[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/**
 * Stores bytes as an upload and posts the file message Rocket.Chat's sendFileMessage would: `file`, `files` and a
 * `file` attachment whose title links to `/file-upload/<id>/<name>`. (No image thumbnails or previews.)
 */
export function postFile(
  ws: Workspace,
  f: { name: string; type?: string; bytes: Buffer; roomId: string; userId: string; threadId?: string; text?: string },
): { upload: StoredUpload; message: StoredMessage } {
  const at = ws.now();
  const upload: StoredUpload = {
    id: newId(),
    name: f.name,
    type: f.type ?? mimeOf(f.name),
    size: f.bytes.length,
    roomId: f.roomId,
    userId: f.userId,
    uploadedAt: at,
    bytes: Buffer.from(f.bytes),
  };
  ws.uploads.set(upload.id, upload);
  const fileInfo = { _id: upload.id, name: upload.name, type: upload.type, size: upload.size, format: '' };
  const message = ws.addMessage({
    id: newId(),
    roomId: f.roomId,
    senderId: f.userId,
    text: f.text ?? '',
    createdAt: at,
    updatedAt: at,
    ...(f.threadId && { threadId: f.threadId }),
    file: fileInfo,
    files: [fileInfo],
    attachments: [
      {
        type: 'file',
        title: {
          value: upload.name,
          link: `/file-upload/${upload.id}/${encodeURIComponent(upload.name)}`,
          displayDownloadLink: true,
        },
        description: f.text,
      },
    ],
  });
  return { upload, message };
}

/** Uploads: read an upload's metadata and bytes, and `uploadBuffer` (which posts the file message at once). */
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
  protected async getBuffer(upload: IUpload): Promise<Buffer> {
    const u = this.ws.uploads.get(upload.id);
    if (!u) throw new Error(`host: no upload ${upload.id}`);
    return Buffer.from(u.bytes);
  }
  protected async createUpload(details: IUploadDetails, buffer: Buffer): Promise<IUpload> {
    if (!details.userId) throw new Error('host: uploads from visitors are not supported');
    if (!this.ws.rooms.has(details.rid)) throw new Error(`host: no room ${details.rid}`);
    const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer as Uint8Array);
    const { upload } = postFile(this.ws, {
      name: details.name,
      type: details.type,
      bytes,
      roomId: details.rid,
      userId: details.userId,
    });
    return this.toAppUpload(upload);
  }
}
