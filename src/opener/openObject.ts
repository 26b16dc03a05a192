/**
 * Decrypting an object as its bytes arrive and writing the plaintext to disk as it goes: memory holds about one
 * block, whatever the file's size. The output is written under a temporary hidden name and takes its real
 * (sanitised) name only once every chunk verified, so a failed or tampered download leaves nothing behind.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

import {
  ChunkDecryptor,
  CorruptObjectError,
  HEADER_PROBE_BYTES,
  parseHeader,
  randomBytes,
  unlockHeaderWith,
  unlockWithFileKey,
  type FileMetadata,
  type ObjectHeader,
  type UnlockedObject,
} from '../crypto';
import { nativeScrypt } from '../crypto/nativeScrypt';
import { publishFile } from './fileName';

/** What opens the object: the password, or its 32-byte file key. */
export type OpenSecret = { password: string } | { fileKey: Uint8Array };

/** One opening. */
export interface OpenRequest {
  /** The object's bytes in order, in pieces of any size (e.g. the DAG's leaves). */
  pieces: AsyncIterable<Uint8Array>;
  /** Asked once the header parsed, so a foreign, damaged or too costly object fails before any prompt. */
  secret: (header: ObjectHeader) => Promise<OpenSecret>;
  /** Folder the file is written into. */
  outDir: string;
  /** Called after each piece is written, with the plaintext bytes written so far and the file's size. */
  onProgress?: (written: number, total: number) => void;
}

/** A file written to disk. */
export interface OpenedFile {
  /** What the object says (name as stored: untrusted, do not use as a path). */
  metadata: FileMetadata;
  /** The name it was written under (sanitised, numbered if taken). */
  name: string;
  path: string;
}

/** Reads from `iterator` until `HEADER_PROBE_BYTES` arrived or the object ended; returns all bytes read. */
async function readPrefix(iterator: AsyncIterator<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  while (length < HEADER_PROBE_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(parts, length);
}

/**
 * A file key that does not open the header. FORMAT.md: with a file key a wrong key fails the header MAC (step 7),
 * exactly like a damaged header, so this is a {@link CorruptObjectError} that says which secret was used.
 */
export class FileKeyMismatchError extends CorruptObjectError {
  constructor(options?: { cause?: unknown }) {
    super(FILE_KEY_MISMATCH, options);
  }
}
/** The log message of {@link FileKeyMismatchError} (its sentence is the opener's `opener_wrong_file_key`). */
const FILE_KEY_MISMATCH = 'the file key does not open this header (wrong key, or a damaged header)';

async function unlock(header: ObjectHeader, secret: OpenSecret): Promise<UnlockedObject> {
  if ('password' in secret) return unlockHeaderWith(header, secret.password, nativeScrypt);
  try {
    return unlockWithFileKey(header, secret.fileKey);
  } catch (err) {
    // only the MAC (or the key's length) says "not this key"; a bad metadata record behind a good MAC stays corrupt
    const notThisKey = err instanceof CorruptObjectError && /header MAC|file key/.test(err.message);
    throw notThisKey ? new FileKeyMismatchError({ cause: err }) : err;
  }
}

/**
 * Opens one object: header, secret, then the payload chunk by chunk into a file.
 *
 * @throws ForeignObjectError | UnsupportedVersionError | KdfTooExpensiveError | CorruptObjectError from the
 *   header; WrongPasswordError; CorruptObjectError for any damaged, missing or extra content; whatever the
 *   pieces' source or the filesystem throws. On every failure the partial output is deleted.
 */
export async function openObject(request: OpenRequest): Promise<OpenedFile> {
  const iterator = request.pieces[Symbol.asyncIterator]();
  const prefix = await readPrefix(iterator);
  const header = parseHeader(prefix);
  const unlocked = await unlock(header, await request.secret(header));
  const { metadata } = unlocked;
  const decryptor = new ChunkDecryptor(unlocked);

  const tempPath = join(request.outDir, `.ipfs-open-${Buffer.from(randomBytes(6)).toString('hex')}.part`);
  const handle = await fs.open(tempPath, 'wx', 0o600);
  let written = 0;
  // One output buffer, reused for every piece: fresh megabytes per block would pile up as garbage faster than
  // the collector frees them (that alone took RSS over 200 MiB).
  let out = new Uint8Array(0);
  const write = async (length: number, fill: (into: Uint8Array) => number) => {
    if (out.length < length) out = new Uint8Array(length);
    const plain = out.subarray(0, fill(out));
    if (plain.length === 0) return;
    await handle.write(plain);
    written += plain.length;
    request.onProgress?.(written, metadata.size);
  };
  const decrypt = (piece: Uint8Array) =>
    write(decryptor.outputLength(piece.length), (into) => decryptor.pushInto(piece, into, 0));
  try {
    try {
      await decrypt(prefix.subarray(header.headerLength));
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        await decrypt(next.value);
      }
      await write(decryptor.finalLength(), (into) => decryptor.finishInto(into, 0));
    } finally {
      await handle.close();
    }
    const name = await publishFile(tempPath, request.outDir, metadata.name);
    return { metadata, name, path: join(request.outDir, name) };
  } catch (err) {
    await fs.rm(tempPath, { force: true });
    await iterator.return?.();
    throw err;
  }
}
