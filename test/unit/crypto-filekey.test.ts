/**
 * sealObject / unlockWithFileKey (opening an object with its file key instead of the password) and the previous
 * version's CID inside the sealed metadata.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  beginSealing,
  CorruptObjectError,
  decryptObject,
  decryptWithPassword,
  encryptObject,
  HEADER_PROBE_BYTES,
  MAX_PREVIOUS_CID_BYTES,
  parseHeader,
  randomBytes,
  sealObject,
  unlockHeader,
  unlockWithFileKey,
} from '../../src/crypto';
import { cidFromBytes, cidToBytes, formatCid, parseCid } from '../../src/ipfs/cid';
import { referenceDecrypt } from '../support/referenceDecrypt';
import { FAST_KDF, sameBytes, streamDecrypt } from '../support/cryptoHelpers';

const PW = 'a long enough password';
const PREVIOUS = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';

describe('file key access', () => {
  test('sealObject hands back the key that opens the object without the password', () => {
    const plaintext = randomBytes(200_000);
    const metadata = { name: 'a.bin', mediaType: 'application/octet-stream', size: plaintext.length };
    const { object, fileKey } = sealObject(plaintext, metadata, PW, FAST_KDF);
    assert.equal(fileKey.length, 32);
    const unlocked = unlockWithFileKey(parseHeader(object.subarray(0, HEADER_PROBE_BYTES)), fileKey);
    assert.deepEqual(unlocked.metadata, metadata);
    assert.ok(sameBytes(decryptObject(object, unlocked), plaintext));
    assert.ok(sameBytes(decryptWithPassword(object, PW).plaintext, plaintext), 'the password still opens it');
    assert.equal(fileKey.length, 32);
    assert.ok(
      fileKey.some((b) => b !== 0),
      'the returned key is not wiped',
    );
  });

  test('a wrong or malformed file key is CorruptObjectError, never a plaintext', () => {
    const plaintext = Uint8Array.of(1, 2, 3);
    const { object, fileKey } = sealObject(plaintext, { name: 'x', mediaType: '', size: 3 }, PW, FAST_KDF);
    const other = sealObject(plaintext, { name: 'x', mediaType: '', size: 3 }, PW, FAST_KDF).fileKey;
    const header = parseHeader(object);
    const flipped = fileKey.slice();
    flipped[0] ^= 1;
    for (const key of [other, flipped, new Uint8Array(32), fileKey.subarray(0, 31), new Uint8Array(0)]) {
      assert.throws(() => unlockWithFileKey(header, key), CorruptObjectError);
    }
    assert.throws(() => unlockWithFileKey({ ...header }, fileKey), TypeError);
  });

  test('two objects of the same file have different file keys', () => {
    const meta = { name: 'same', mediaType: 'text/plain', size: 1 };
    const a = sealObject(Uint8Array.of(7), meta, PW, FAST_KDF);
    const b = sealObject(Uint8Array.of(7), meta, PW, FAST_KDF);
    assert.ok(!sameBytes(a.fileKey, b.fileKey));
  });
});

describe('previous version CID in the metadata', () => {
  test('round trips through the password, the file key, the stream and the reference decryptor', () => {
    const previousCid = cidToBytes(parseCid(PREVIOUS));
    const metadata = { name: 'v2.txt', mediaType: 'text/plain', size: 5, previousCid };
    const { object, fileKey } = sealObject(new TextEncoder().encode('hello'), metadata, PW, FAST_KDF);
    const viaPassword = unlockHeader(parseHeader(object), PW).metadata;
    const viaKey = unlockWithFileKey(parseHeader(object), fileKey).metadata;
    for (const got of [
      viaPassword,
      viaKey,
      streamDecrypt(object, PW, 9).metadata,
      referenceDecrypt(object, PW).metadata,
    ]) {
      assert.deepEqual(got, metadata);
    }
    assert.equal(formatCid(cidFromBytes(viaKey.previousCid!)), PREVIOUS);
  });

  test('a first version has no previousCid property; the header length does not depend on it', () => {
    const first = encryptObject(Uint8Array.of(1), { name: 'a', mediaType: '', size: 1 }, PW, FAST_KDF);
    const second = encryptObject(
      Uint8Array.of(1),
      { name: 'a', mediaType: '', size: 1, previousCid: new Uint8Array(MAX_PREVIOUS_CID_BYTES).fill(9) },
      PW,
      FAST_KDF,
    );
    assert.equal(first.length, second.length);
    assert.equal(HEADER_PROBE_BYTES, 1480);
    assert.ok(!('previousCid' in decryptWithPassword(first, PW).metadata));
  });

  test('refuses an empty or over-long previous CID', () => {
    for (const previousCid of [new Uint8Array(0), new Uint8Array(MAX_PREVIOUS_CID_BYTES + 1)]) {
      assert.throws(
        () => encryptObject(Uint8Array.of(1), { name: 'a', mediaType: '', size: 1, previousCid }, PW, FAST_KDF),
        RangeError,
      );
    }
  });
});

describe('beginSealing (streamed encryption that also yields the file key)', () => {
  test('pieces pushed in any sizes make an object that the returned key and the password both open', () => {
    const plaintext = randomBytes(200_000);
    const metadata = { name: 'streamed.bin', mediaType: 'application/octet-stream', size: plaintext.length };
    const { header, encryptor, objectLength, fileKey } = beginSealing(metadata, 'pw', FAST_KDF);
    const parts = [header];
    for (let offset = 0; offset < plaintext.length; offset += 70_001) {
      parts.push(encryptor.push(plaintext.subarray(offset, offset + 70_001)));
    }
    parts.push(encryptor.finish());
    const object = Buffer.concat(parts);
    assert.equal(object.length, objectLength);
    const byKey = unlockWithFileKey(parseHeader(object.subarray(0, HEADER_PROBE_BYTES)), fileKey);
    assert.deepEqual(decryptObject(object, byKey), plaintext);
    assert.deepEqual(decryptWithPassword(object, 'pw').plaintext, plaintext);
  });
});
