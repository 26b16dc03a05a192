/**
 * The committed vectors (scripts/make-vectors.ts) must decrypt, or fail with the listed error, both with src/crypto
 * and with the reference decryptor written from docs/FORMAT.md alone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  decryptWithPassword,
  HEADER_PROBE_BYTES,
  parseHeader,
  type FileMetadata,
  type KdfParams,
} from '../../src/crypto';
import { referenceDecrypt, ReferenceDecryptError, type ReferenceFailure } from '../support/referenceDecrypt';
import { sameBytes, streamDecrypt } from '../support/cryptoHelpers';

interface Vectors {
  valid: {
    id: string;
    password: string;
    kdf: KdfParams;
    chunkSize: number;
    metadata: Omit<FileMetadata, 'previousCid'> & { previousCid?: string };
    plaintext: string;
    object: string;
  }[];
  invalid: { id: string; description: string; password: string; object: string; error: string }[];
}

const vectors = JSON.parse(readFileSync(join(__dirname, '../vectors/v1.json'), 'utf8')) as Vectors;
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
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
      [0, 1, 1024, 1025, 3000, 100, 200],
    );
    assert.ok(vectors.valid.some((v) => v.metadata.previousCid !== undefined));
    assert.ok(vectors.invalid.length >= 25);
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
    });
  }

  for (const v of vectors.invalid) {
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
