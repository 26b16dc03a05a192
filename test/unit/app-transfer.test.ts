import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HEADER_PROBE_BYTES, parseHeader, unlockHeader, unlockWithFileKey, type ObjectHeader } from '../../src/crypto';
import { readDag } from '../../src/ipfs/DagReader';
import { CidMismatchError } from '../../src/ipfs/errors';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { downloadAndDecrypt, encryptAndUpload } from '../../src/jobs/transfer';
import { FAST_KDF } from '../support/cryptoHelpers';
import { MemoryKubo } from '../support/memoryKubo';
import { MemoryPersistence } from '../support/memoryPersistence';
import { ProviderTraitsStorage } from '../../src/storage/ProviderTraitsStorage';

/** What the app learns about providers, in one persistence store shared like a cluster's database. */
function traitsOn(persistence = new MemoryPersistence()): ProviderTraitsStorage {
  return new ProviderTraitsStorage(persistence, persistence);
}

const MiB = 1024 * 1024;
const noProgress = (): Promise<void> => Promise.resolve();

/** The object's header, read from its first block (the memory node has no `cat`). */
async function headerOf(client: KuboRpcClient, cid: string): Promise<ObjectHeader> {
  for await (const block of readDag(client, cid)) {
    return parseHeader(block.subarray(0, HEADER_PROBE_BYTES));
  }
  throw new Error('empty object');
}

function fileOf(size: number): { bytes: Uint8Array; metadata: { name: string; mediaType: string; size: number } } {
  const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31 + (i >> 10)) & 0xff);
  return { bytes, metadata: { name: 'report.pdf', mediaType: 'application/pdf', size } };
}

function clientOf(node: MemoryKubo, apiUrl: string): KuboRpcClient {
  return new KuboRpcClient(node, { apiUrl, auth: { kind: 'none' }, timeoutMs: 5000 });
}

describe('streamed store and get (issue #5)', () => {
  const traits = traitsOn();
  test('a 3 MiB + 7 file goes up in ~1 MiB requests, comes back whole with the file key or the password', async () => {
    const node = new MemoryKubo();
    const client = clientOf(node, 'http://stream.test');
    const { bytes, metadata } = fileOf(3 * MiB + 7);
    const progress: number[] = [];
    const { cid, fileKey } = await encryptAndUpload(
      client,
      traits,
      { plaintext: bytes, metadata, password: 'pw-1', kdf: FAST_KDF },
      (done) => {
        progress.push(done);
        return Promise.resolve();
      },
    );
    assert.ok(node.pins.has(cid), 'the root is pinned');
    assert.ok(Math.max(...node.seen.map((r) => Math.max(r.requestBytes, r.responseBytes))) <= MiB + 1024);
    assert.ok(progress.length >= 3 && progress.every((p, i) => p >= (progress[i - 1] ?? 0)), 'progress only grows');

    const header = await headerOf(client, cid);
    assert.deepEqual(await downloadAndDecrypt(client, cid, unlockWithFileKey(header, fileKey), noProgress), bytes);
    assert.deepEqual(await downloadAndDecrypt(client, cid, unlockHeader(header, 'pw-1'), noProgress), bytes);
  });

  test('a provider without block/put gets one whole add, and is remembered', async () => {
    const node = new MemoryKubo({ noBlockApi: true });
    const client = clientOf(node, 'http://no-blocks.test');
    const { bytes, metadata } = fileOf(2 * MiB);
    const first = await encryptAndUpload(
      client,
      traits,
      { plaintext: bytes, metadata, password: 'pw-2', kdf: FAST_KDF },
      noProgress,
    );
    assert.ok(node.pins.has(first.cid));
    const tried = node.seen.filter((r) => r.command === 'block/put').length;
    await encryptAndUpload(client, traits, { plaintext: bytes, metadata, password: 'pw-2', kdf: FAST_KDF }, noProgress);
    assert.equal(node.seen.filter((r) => r.command === 'block/put').length, tried, 'no second try of block/put');
    assert.equal(node.seen.filter((r) => r.command === 'add').length, 2);
  });

  test('a provider that refused a 1 MiB block/put gets dag/import from the start next time, on every instance', async () => {
    const database = new MemoryPersistence();
    const traits = traitsOn(database);
    const otherInstance = traitsOn(database);
    const node = new MemoryKubo({ maxPutBody: MiB });
    const client = clientOf(node, 'http://js-ipfs.test');
    const { bytes, metadata } = fileOf(3 * MiB);
    await encryptAndUpload(client, traits, { plaintext: bytes, metadata, password: 'pw-4', kdf: FAST_KDF }, noProgress);
    const refusedBefore = node.seen.filter((r) => r.command === 'block/put').length;
    await encryptAndUpload(client, traits, { plaintext: bytes, metadata, password: 'pw-4', kdf: FAST_KDF }, noProgress);
    assert.equal(node.seen.filter((r) => r.command === 'block/put').length, refusedBefore, 'no block/put tried again');

    // another server instance of a cluster (another process, the same database) knows it too
    await encryptAndUpload(
      client,
      otherInstance,
      { plaintext: bytes, metadata, password: 'pw-4', kdf: FAST_KDF },
      noProgress,
    );
    assert.equal(node.seen.filter((r) => r.command === 'block/put').length, refusedBefore, 'nor on another instance');
  });

  test('a block that comes back changed stops the download at that block', async () => {
    const node = new MemoryKubo();
    const client = clientOf(node, 'http://liar.test');
    const { bytes, metadata } = fileOf(2 * MiB + 5);
    const { cid, fileKey } = await encryptAndUpload(
      client,
      traits,
      { plaintext: bytes, metadata, password: 'pw-3', kdf: FAST_KDF },
      noProgress,
    );
    const header = await headerOf(client, cid);
    node.faults = {
      corruptGet: (_cid, block) =>
        block.length === MiB ? Uint8Array.from(block, (b, i) => (i === 9 ? b ^ 1 : b)) : block,
    };
    await assert.rejects(
      downloadAndDecrypt(client, cid, unlockWithFileKey(header, fileKey), noProgress),
      CidMismatchError,
    );
  });
});
