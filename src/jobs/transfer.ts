import {
  beginSealingAsync,
  ChunkDecryptor,
  CorruptObjectError,
  encryptedSize,
  type FileMetadata,
  type KdfParams,
  type UnlockedObject,
  sealObject,
} from '../crypto';
import { DagUploader, type DagTransport } from '../ipfs/DagUploader';
import { ProviderRejectedError } from '../ipfs/errors';
import { dagFileSize, readDag } from '../ipfs/DagReader';
import type { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { UploadPath, type ProviderTraits } from '../storage/ProviderTraitsStorage';

/** Plaintext is encrypted in 1 MiB pieces: each becomes about one 1 MiB leaf, one request to the provider. */
const PIECE_BYTES = 1024 * 1024;

/** Told how far a transfer is, from 0 to 1. */
export type OnProgress = (fraction: number) => Promise<void>;

/** What a store encrypts and how: the file, what the object's header hides, the password and its KDF cost. */
export interface SealRequest {
  readonly plaintext: Uint8Array;
  readonly metadata: FileMetadata;
  readonly password: string;
  readonly kdf: KdfParams;
}

/**
 * Encrypts a file piece by piece straight into a UnixFS DAG upload: every request to the provider carries
 * about one 1 MiB block, and memory holds the file plus a couple of pieces, never a second copy of it.
 * A provider without the block calls gets the whole object in one `add` instead (same CID, bigger request);
 * what a provider refused is remembered in `traits`, so later uploads (on any server instance) start right.
 * @returns the root CID (pinned) and the file key, for the owner's copy.
 * @throws the provider's typed errors; nothing is pinned when it fails.
 */
export async function encryptAndUpload(
  client: KuboRpcClient,
  traits: ProviderTraits,
  request: SealRequest,
  onProgress: OnProgress,
): Promise<{ cid: string; fileKey: Uint8Array }> {
  const path = await traits.uploadPathOf(client.apiUrl);
  if (path !== UploadPath.SingleAdd) {
    try {
      const uploaded = await streamUpload(client, request, path, onProgress);
      if (uploaded.transport === 'dag/import' && path !== UploadPath.DagImport) {
        await traits.remember(client.apiUrl, UploadPath.DagImport);
      }
      return uploaded;
    } catch (error) {
      if (!lacksBlockApi(error)) {
        throw error;
      }
      await traits.remember(client.apiUrl, UploadPath.SingleAdd);
    }
  }
  const { object, fileKey } = sealObject(request.plaintext, request.metadata, request.password, request.kdf);
  return { cid: await client.add(object), fileKey };
}

/** An unknown command: Kubo answers 404 ("page not found"), some gateways 405 or 501. */
function lacksBlockApi(error: unknown): boolean {
  return error instanceof ProviderRejectedError && [404, 405, 501].includes(error.statusCode);
}

async function streamUpload(
  client: KuboRpcClient,
  { plaintext, metadata, password, kdf }: SealRequest,
  path: UploadPath,
  onProgress: OnProgress,
): Promise<{ cid: string; fileKey: Uint8Array; transport: DagTransport }> {
  const { header, encryptor, objectLength, fileKey } = await beginSealingAsync(metadata, password, kdf);
  const uploader = new DagUploader(client, { transport: path === UploadPath.DagImport ? 'dag/import' : 'auto' });
  await uploader.write(header);
  for (let offset = 0; offset < plaintext.length; offset += PIECE_BYTES) {
    await uploader.write(encryptor.push(plaintext.subarray(offset, offset + PIECE_BYTES)));
    await onProgress(uploader.bytesSent / objectLength);
  }
  await uploader.write(encryptor.finish());
  const cid = await uploader.finish();
  return { cid, fileKey, transport: uploader.transportInUse };
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
