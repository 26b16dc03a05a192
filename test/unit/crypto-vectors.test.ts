/**
 * The committed vectors (scripts/make-vectors.ts) must decrypt, or fail with the listed error, both with src/crypto
 * and with the reference decryptor written from docs/FORMAT.md alone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  decryptObject,
  decryptWithPassword,
  HEADER_PROBE_BYTES,
  parseHeader,
  unlockWithFileKey,
  type FileMetadata,
  type KdfParams,
} from '../../src/crypto';
import {
  referenceDecrypt,
  ReferenceDecryptError,
  referenceDecryptWithFileKey,
  type ReferenceFailure,
} from '../support/referenceDecrypt';
import { sameBytes, streamDecrypt } from '../support/cryptoHelpers';

interface Vectors {
  valid: {
    id: string;
    password: string;
    fileKey: string;
    kdf: KdfParams;
    chunkSize: number;
    metadata: Omit<FileMetadata, 'previousCid'> & { previousCid?: string };
    plaintext: string;
    object: string;
  }[];
  invalid: { id: string; description: string; password: string; fileKey?: string; object: string; error: string }[];
}

const vectors = JSON.parse(readFileSync(join(__dirname, '../vectors/v1.json'), 'utf8')) as Vectors;
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
/** src/crypto's whole-object path with a file key instead of the password. */
function decryptWithFileKey(object: Uint8Array, fileKey: Uint8Array) {
  const unlocked = unlockWithFileKey(parseHeader(object), fileKey);
  return { metadata: unlocked.metadata, plaintext: decryptObject(object, unlocked) };
}

/** The vector's metadata as decryptors return it: the previous CID (base64 in JSON) as bytes. */
function expectedMetadata({ previousCid, ...rest }: Vectors['valid'][number]['metadata']): FileMetadata {
  return previousCid === undefined ? rest : { ...rest, previousCid: bytes(previousCid) };
}

const REFERENCE_KIND: Record<string, ReferenceFailure> = {
  WrongPasswordError: 'wrong-password',
  ForeignObjectError: 'foreign',
  UnsupportedVersionError: 'unsupported-version',
  CorruptObjectError: 'corrupt',
  KdfTooExpensiveError: 'kdf-too-expensive',
};

describe('test vectors v1', () => {
  test('the set covers what the format promises', () => {
    assert.deepEqual(
      vectors.valid.map((v) => v.metadata.size),
      [0, 1, 1024, 1025, 3000, 100, 200, 10, 64, 5, 3],
    );
    assert.ok(vectors.valid.some((v) => v.metadata.previousCid !== undefined));
    assert.ok(
      vectors.valid.some((v) => v.password !== v.password.normalize('NFC')),
      'a password that needs NFC',
    );
    assert.ok(
      vectors.valid.some((v) => v.kdf.logN >= 15 && v.kdf.r === 8),
      'a KDF over crypto.scrypt default maxmem',
    );
    assert.ok(
      vectors.valid.some((v) => v.metadata.name.startsWith('\ufeff')),
      'a name with a leading U+FEFF',
    );
    assert.ok(
      vectors.valid.some((v) => Buffer.byteLength(v.metadata.name) === 1024),
      'a name at the limit',
    );
    const ids = new Set(vectors.invalid.map((v) => v.id));
    for (const id of ['empty-chunk-removed', 'name-too-long', 'name-padding', 'type-padding', 'wrong-file-key']) {
      assert.ok(ids.has(id), id);
    }
    for (const id of ['kdf-logn-21', 'kdf-r-255', 'kdf-p-5', 'kdf-work'])
      assert.ok(ids.has(id), `each KDF limit: ${id}`);
    assert.ok(vectors.invalid.length >= 40);
  });

  for (const v of vectors.valid) {
    test(`valid: ${v.id}`, () => {
      const object = bytes(v.object);
      const plaintext = bytes(v.plaintext);
      const header = parseHeader(object.subarray(0, HEADER_PROBE_BYTES));
      assert.deepEqual({ ...header.kdf }, v.kdf);
      assert.equal(header.chunkSize, v.chunkSize);
      const viaSrc = decryptWithPassword(object, v.password);
      const metadata = expectedMetadata(v.metadata);
      assert.deepEqual(viaSrc.metadata, metadata);
      assert.ok(sameBytes(viaSrc.plaintext, plaintext));
      const viaStream = streamDecrypt(object, v.password, 7);
      assert.ok(sameBytes(viaStream.plaintext, plaintext));
      const viaReference = referenceDecrypt(object, v.password);
      assert.deepEqual(viaReference.metadata, metadata);
      assert.ok(sameBytes(viaReference.plaintext, plaintext));
      const fileKey = bytes(v.fileKey);
      for (const viaKey of [decryptWithFileKey(object, fileKey), referenceDecryptWithFileKey(object, fileKey)]) {
        assert.deepEqual(viaKey.metadata, metadata);
        assert.ok(sameBytes(viaKey.plaintext, plaintext));
      }
    });
  }

  for (const v of vectors.invalid.filter((x) => x.fileKey !== undefined)) {
    test(`invalid with a file key: ${v.id} → ${v.error}`, () => {
      const object = bytes(v.object);
      const fileKey = bytes(v.fileKey!);
      assert.throws(
        () => decryptWithFileKey(object, fileKey),
        (err: Error) => err.constructor.name === v.error,
        `${v.description}: src/crypto should throw ${v.error}`,
      );
      assert.throws(
        () => referenceDecryptWithFileKey(object, fileKey),
        (err: unknown) => err instanceof ReferenceDecryptError && err.kind === REFERENCE_KIND[v.error],
        `${v.description}: the reference decryptor should fail as ${REFERENCE_KIND[v.error]}`,
      );
    });
  }

  for (const v of vectors.invalid.filter((x) => x.fileKey === undefined)) {
    test(`invalid: ${v.id} → ${v.error}`, () => {
      const object = bytes(v.object);
      assert.throws(
        () => decryptWithPassword(object, v.password),
        (err: Error) => err.constructor.name === v.error,
        `${v.description}: src/crypto should throw ${v.error}`,
      );
      assert.throws(
        () => referenceDecrypt(object, v.password),
        (err: unknown) => err instanceof ReferenceDecryptError && err.kind === REFERENCE_KIND[v.error],
        `${v.description}: the reference decryptor should fail as ${REFERENCE_KIND[v.error]}`,
      );
      assert.throws(
        () => streamDecrypt(object, v.password, 100),
        (err: Error) => err.constructor.name === v.error,
        `${v.description}: the streaming path should throw ${v.error}`,
      );
    });
  }
});
