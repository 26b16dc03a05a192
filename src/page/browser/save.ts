/// <reference lib="dom" />

/** Where the decrypted file goes, piece by piece. */
export interface FileSink {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** A decrypted name is untrusted: no path, no control characters, never empty. */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/^\uFEFF/, '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  return cleaned.slice(0, 200) || 'file';
}

interface WritableFile {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
interface PickedFile {
  createWritable(): Promise<WritableFile>;
  getFile(): Promise<Blob>;
  /** Chromium's (not yet standard) way to delete the file a handle names. */
  remove?(): Promise<void>;
}
interface SaveFilePicker {
  showSaveFilePicker(options: { suggestedName: string }): Promise<PickedFile>;
}

/**
 * Takes away the empty file the picker created under the chosen name, so a save that failed leaves nothing that
 * looks like the file. A file with content (one the user chose to overwrite) is kept: the aborted write never
 * touched it.
 */
async function removeIfEmpty(handle: PickedFile): Promise<void> {
  try {
    if (handle.remove && (await handle.getFile()).size === 0) await handle.remove();
  } catch {
    // the browser would not say or allow: an empty file is the worst that stays
  }
}

/**
 * Chromium's File System Access API writes straight to the file the user picks: nothing piles up in memory. The
 * writes go to a swap file beside it (`<name>.crswap`) that replaces the file only on close; abort drops it.
 */
async function diskSink(picker: SaveFilePicker, name: string): Promise<FileSink> {
  const handle = await picker.showSaveFilePicker({ suggestedName: name });
  const file = await handle.createWritable();
  return {
    write: (bytes) => file.write(bytes),
    close: () => file.close(),
    abort: async () => {
      await file.abort();
      await removeIfEmpty(handle);
    },
  };
}

/**
 * Elsewhere, each piece becomes a Blob at once (browsers keep blob data outside the page's heap, on disk when it
 * is large), and the whole is handed to the browser's download when complete.
 */
function blobSink(name: string, type: string): FileSink {
  let parts: Blob[] = [];
  return {
    write: (bytes) => {
      parts.push(new Blob([bytes as Uint8Array<ArrayBuffer>]));
      return Promise.resolve();
    },
    close: () => {
      const url = URL.createObjectURL(new Blob(parts, { type: type || 'application/octet-stream' }));
      parts = [];
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = name;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      // the download has the blob by now; the URL would otherwise keep it alive as long as the page
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return Promise.resolve();
    },
    abort: () => {
      parts = [];
      return Promise.resolve();
    },
  };
}

/** The best sink this browser offers: a file on disk when it can stream there, else a download of a Blob. */
export async function openSink(name: string, type: string): Promise<FileSink> {
  const picker = window as unknown as Partial<SaveFilePicker>;
  if (typeof picker.showSaveFilePicker === 'function') return diskSink(picker as SaveFilePicker, name);
  return blobSink(name, type);
}
