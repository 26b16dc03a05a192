/**
 * Every way an object can be wrong must raise its specific error, through the whole-object path AND the
 * streaming path (which has no early length check, so STREAM itself must catch truncation and appending).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  beginEncryption,
  checkKdfParams,
  ChunkDecryptor,
  CorruptObjectError,
  decryptObject,
  decryptWithPassword,
  encryptObject,
  ForeignObjectError,
  HEADER_PROBE_BYTES,
  KDF_LIMITS,
  KdfTooExpensiveError,
  parseHeader,
  unlockHeader,
  UnsupportedVersionError,
  WrongPasswordError,
} from '../../src/crypto';
import { UserFacingError } from '../../src/errors';
import { concat, FAST_KDF, streamDecrypt, textLike } from '../support/cryptoHelpers';

const PW = 'hunter2 but longer';
const CHUNK = 65536;
const SEALED = CHUNK + 16;
const H = HEADER_PROBE_BYTES;
const SIZE = 2 * CHUNK + 5000; // three chunks: full, full, 5000
const plaintext = textLike(SIZE);
const base = encryptObject(plaintext, { name: 'x.txt', mediaType: 'text/plain', size: SIZE }, PW, FAST_KDF);
const header = base.subarray(0, H);
const chunk = (i: number) => base.subarray(H + i * SEALED, Math.min(base.length, H + (i + 1) * SEALED));

type ErrorClass = new (...args: never[]) => Error;
function flip(offset: number): Uint8Array {
  const copy = base.slice();
  copy[offset] ^= 0x80;
  return copy;
}
function withByte(offset: number, value: number): Uint8Array {
  const copy = base.slice();
  copy[offset] = value;
  return copy;
}

/** Both decryption paths must throw exactly `expected`. */
function assertFails(object: Uint8Array, expected: ErrorClass, password = PW): void {
  assert.throws(() => decryptWithPassword(object, password), expected);
  for (const piece of [1000, SEALED, 3 * SEALED]) {
    assert.throws(() => streamDecrypt(object, password, piece), expected, `streaming in ${piece}-byte pieces`);
  }
}

describe('crypto failures', () => {
  test('the base object decrypts (sanity)', () => {
    assert.equal(base.length, H + SIZE + 3 * 16);
    assert.deepEqual(decryptWithPassword(base, PW).plaintext, plaintext);
  });

  const cases: [string, () => Uint8Array, ErrorClass, string?][] = [
    ['wrong password', () => base, WrongPasswordError, 'not the password'],
    ['empty password', () => base, WrongPasswordError, ''],
    ['flipped bit in the salt', () => flip(15), WrongPasswordError],
    ['flipped bit in the wrapped key', () => flip(50), WrongPasswordError],
    ['flipped bit in the chunk-size byte', () => withByte(9, 15), CorruptObjectError],
    ['flipped bit in the sealed metadata', () => flip(700), CorruptObjectError],
    ['flipped bit in the header MAC', () => flip(H - 1), CorruptObjectError],
    ['flipped bit in a chunk', () => flip(H + SEALED + 1000), CorruptObjectError],
    ['flipped bit in a tag', () => flip(H + 2 * SEALED + 7), CorruptObjectError],
    ['truncated at a chunk boundary', () => base.slice(0, H + 2 * SEALED), CorruptObjectError],
    ['truncated after the first chunk', () => base.slice(0, H + SEALED), CorruptObjectError],
    ['truncated mid-chunk', () => base.slice(0, H + SEALED + 100), CorruptObjectError],
    ['truncated inside the last tag', () => base.slice(0, base.length - 1), CorruptObjectError],
    ['header only', () => base.slice(0, H), CorruptObjectError],
    ['truncated header', () => base.slice(0, H - 1), CorruptObjectError],
    ['swapped chunks', () => concat([header, chunk(1), chunk(0), chunk(2)]), CorruptObjectError],
    ['duplicated chunk', () => concat([header, chunk(0), chunk(0), chunk(1), chunk(2)]), CorruptObjectError],
    ['dropped middle chunk', () => concat([header, chunk(0), chunk(2)]), CorruptObjectError],
    ['appended byte', () => concat([base, Uint8Array.of(0)]), CorruptObjectError],
    ['appended 16 bytes', () => concat([base, new Uint8Array(16)]), CorruptObjectError],
    ['appended copy of the last chunk', () => concat([base, chunk(2)]), CorruptObjectError],
    ['foreign file', () => new TextEncoder().encode('%PDF-1.7 not ours at all'), ForeignObjectError],
    ['empty input', () => new Uint8Array(0), ForeignObjectError],
    ['magic and no version', () => base.slice(0, 8), ForeignObjectError],
    ['unsupported version', () => withByte(8, 2), UnsupportedVersionError],
    ['KDF logN 30', () => withByte(10, 30), KdfTooExpensiveError],
    ['KDF p 200', () => withByte(12, 200), KdfTooExpensiveError],
  ];
  for (const [name, make, expected, password] of cases) {
    test(`${name} → ${expected.name}`, () => assertFails(make(), expected, password));
  }

  test('a chunk from another object with the same password does not fit', () => {
    const other = encryptObject(plaintext, { name: 'x.txt', mediaType: 'text/plain', size: SIZE }, PW, FAST_KDF);
    const mixed = concat([header, chunk(0), other.subarray(H + SEALED, H + 2 * SEALED), chunk(2)]);
    assertFails(mixed, CorruptObjectError);
  });

  test('errors carry the i18n keys and are UserFacingErrors', () => {
    const keys: [UserFacingError, string][] = [
      [new WrongPasswordError(), 'error_wrong_password'],
      [new ForeignObjectError(), 'error_foreign_object'],
      [new UnsupportedVersionError(3), 'error_unsupported_version'],
      [new CorruptObjectError(), 'error_corrupt_object'],
      [new KdfTooExpensiveError(), 'error_kdf_too_expensive'],
    ];
    for (const [err, key] of keys) {
      assert.ok(err instanceof UserFacingError);
      assert.equal(err.i18nKey, key);
      assert.equal(err.name, err.constructor.name);
    }
  });

  test('parseHeader refuses KDF params over the cap without deriving (it never sees a password)', () => {
    for (const [offset, value] of [
      [10, 30],
      [10, 21],
      [11, 9],
      [12, 5],
    ]) {
      assert.throws(() => parseHeader(withByte(offset, value)), KdfTooExpensiveError);
    }
    const heavy = withByte(10, 20);
    heavy[11] = 8;
    heavy[12] = 2; // logN 20, r 8, p 2: each bound met, N·r·p = 2^24 over the work cap
    assert.throws(() => parseHeader(heavy), KdfTooExpensiveError);
    // Through the one-call API as well: N = 2^30 would need 128 GiB if anything tried to derive.
    assert.throws(() => decryptWithPassword(withByte(10, 30), PW), KdfTooExpensiveError);
  });

  test('the cap admits every setting the admin may choose and refuses more', () => {
    for (let logN = KDF_LIMITS.settingMinLogN; logN <= KDF_LIMITS.settingMaxLogN; logN++) {
      checkKdfParams({ logN, r: 8, p: 1 });
    }
    assert.throws(() => checkKdfParams({ logN: 21, r: 8, p: 1 }), KdfTooExpensiveError);
    assert.throws(() => checkKdfParams({ logN: 10, r: 0, p: 1 }), RangeError);
    assert.throws(
      () => encryptObject(new Uint8Array(0), { name: '', mediaType: '', size: 0 }, PW, { logN: 25, r: 8, p: 1 }),
      KdfTooExpensiveError,
    );
  });

  test('decryptObject refuses an object whose length disagrees with its metadata before decrypting', () => {
    const unlocked = unlockHeader(parseHeader(base), PW);
    assert.throws(() => decryptObject(base.subarray(0, base.length - 16), unlocked), CorruptObjectError);
    assert.throws(() => decryptObject(concat([base, Uint8Array.of(1)]), unlocked), CorruptObjectError);
  });

  test('a failed decryptor stays failed; a finished encryptor refuses more input', () => {
    const unlocked = unlockHeader(parseHeader(base), PW);
    const dec = new ChunkDecryptor(unlocked);
    const bad = flip(H + 10).subarray(H);
    assert.throws(() => dec.push(bad), CorruptObjectError);
    assert.throws(() => dec.push(base.subarray(H)), Error);
    const { encryptor } = beginEncryption({ name: '', mediaType: '', size: 0 }, PW, FAST_KDF);
    assert.equal(encryptor.finish().length, 16);
    assert.throws(() => encryptor.push(Uint8Array.of(1)), Error);
  });

  test('unlockHeader only takes headers from parseHeader', () => {
    const forged = { version: 1, headerLength: H, kdf: FAST_KDF, chunkSize: CHUNK };
    assert.throws(() => unlockHeader(forged, PW), TypeError);
  });
});
