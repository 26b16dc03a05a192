import {
  beginSealing,
  ChunkDecryptor,
  CorruptObjectError,
  encryptedSize,
  type FileMetadata,
  type KdfParams,
  type UnlockedObject,
  sealObject,
} from '../crypto';
import { DagUploader } from '../ipfs/DagUploader';
import { ProviderRejectedError } from '../ipfs/errors';
import { dagFileSize, readDag } from '../ipfs/DagReader';
import type { KuboRpcClient } from '../ipfs/KuboRpcClient';

/** Plaintext is encrypted in 1 MiB pieces: each becomes about one 1 MiB leaf, one request to the provider. */
const PIECE_BYTES = 1024 * 1024;

/** Told how far a transfer is, from 0 to 1. */
export type OnProgress = (fraction: number) => Promise<void>;

/** Providers seen to lack block/put and dag/import (by API URL): they get the whole object in one `add`. */
const singleAddProviders = new Set<string>();
/** Providers that refused a 1 MiB block/put (js-ipfs): later uploads start with dag/import right away. */
const importProviders = new Set<string>();

/**
 * Encrypts a file piece by piece straight into a UnixFS DAG upload: every request to the provider carries
 * about one 1 MiB block, and memory holds the file plus a couple of pieces, never a second copy of it.
 * A provider without the block calls gets the whole object in one `add` instead (same CID, bigger request).
 * @returns the root CID (pinned) and the file key, for the owner's copy.
 * @throws the provider's typed errors; nothing is pinned when it fails.
 */
export async function encryptAndUpload(
  client: KuboRpcClient,
  plaintext: Uint8Array,
  metadata: FileMetadata,
  password: string,
  kdf: KdfParams,
  onProgress: OnProgress,
): Promise<{ cid: string; fileKey: Uint8Array }> {
  if (!singleAddProviders.has(client.apiUrl)) {
    try {
      return await streamUpload(client, plaintext, metadata, password, kdf, onProgress);
    } catch (error) {
      if (!lacksBlockApi(error)) {
        throw error;
      }
      singleAddProviders.add(client.apiUrl);
    }
  }
  const { object, fileKey } = sealObject(plaintext, metadata, password, kdf);
  return { cid: await client.add(object), fileKey };
}

/** An unknown command: Kubo answers 404 ("page not found"), some gateways 405 or 501. */
function lacksBlockApi(error: unknown): boolean {
  return error instanceof ProviderRejectedError && [404, 405, 501].includes(error.statusCode);
}

async function streamUpload(
  client: KuboRpcClient,
  plaintext: Uint8Array,
  metadata: FileMetadata,
  password: string,
  kdf: KdfParams,
  onProgress: OnProgress,
): Promise<{ cid: string; fileKey: Uint8Array }> {
  const { header, encryptor, objectLength, fileKey } = beginSealing(metadata, password, kdf);
  const uploader = new DagUploader(client, { transport: importProviders.has(client.apiUrl) ? 'dag/import' : 'auto' });
  await uploader.write(header);
  for (let offset = 0; offset < plaintext.length; offset += PIECE_BYTES) {
    await uploader.write(encryptor.push(plaintext.subarray(offset, offset + PIECE_BYTES)));
    await onProgress(uploader.bytesSent / objectLength);
  }
  await uploader.write(encryptor.finish());
  const cid = await uploader.finish();
  if (uploader.transportInUse === 'dag/import') {
    importProviders.add(client.apiUrl);
  }
  return { cid, fileKey };
}

/**
 * Downloads an object block by block, each checked against the DAG as it arrives, and decrypts it as it
 * comes into one buffer of the file's size. A provider that lies is caught at its first wrong block.
 * @throws CorruptObjectError when the object's size does not fit its header, or it fails to decrypt;
 *   CidMismatchError / InvalidDagError for a lying provider; the provider's typed errors.
 */
export async function downloadAndDecrypt(
  client: KuboRpcClient,
  cid: string,
  unlocked: UnlockedObject,
  onProgress: OnProgress,
): Promise<Uint8Array> {
  const { size } = unlocked.metadata;
  const expected = encryptedSize(size, Math.log2(unlocked.header.chunkSize));
  if ((await dagFileSize(client, cid)) !== expected) {
    throw new CorruptObjectError('the object is not as long as its header says');
  }
  const plaintext = new Uint8Array(size);
  const decryptor = new ChunkDecryptor(unlocked);
  let headerLeft = unlocked.header.headerLength;
  let written = 0;
  let received = 0;
  for await (const block of readDag(client, cid)) {
    received += block.length;
    const skip = Math.min(headerLeft, block.length);
    headerLeft -= skip;
    written += decryptor.pushInto(block.subarray(skip), plaintext, written);
    await onProgress(received / expected);
  }
  written += decryptor.finishInto(plaintext, written);
  if (written !== size) {
    throw new CorruptObjectError('the object holds fewer bytes than its header says');
  }
  return plaintext;
}
