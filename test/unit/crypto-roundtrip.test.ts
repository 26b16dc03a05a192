import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  beginEncryption,
  DEFAULT_KDF,
  decryptObject,
  decryptWithPassword,
  encryptedSize,
  encryptObject,
  HEADER_PROBE_BYTES,
  parseHeader,
  randomBytes,
  unlockHeader,
} from '../../src/crypto';
import { beginEncryptionWith } from '../../src/crypto/object';
import { referenceDecrypt } from '../support/referenceDecrypt';
import { concat, FAST_KDF, prng, sameBytes, streamDecrypt, textLike } from '../support/cryptoHelpers';

const CHUNK = 65536;
const PW = 'pässwörd ✓';

describe('crypto round trips', () => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * 1024 * 1024 + 7]) {
    test(`${size} bytes`, () => {
      const plaintext = randomBytes(size);
      const metadata = { name: `file-${size}.bin`, mediaType: 'application/octet-stream', size };
      const object = encryptObject(plaintext, metadata, PW, FAST_KDF);
      assert.equal(object.length, encryptedSize(size));
      const header = parseHeader(object.subarray(0, HEADER_PROBE_BYTES));
      assert.equal(header.headerLength, HEADER_PROBE_BYTES);
      assert.equal(header.chunkSize, CHUNK);
      assert.deepEqual(header.kdf, FAST_KDF);
      const unlocked = unlockHeader(header, PW);
      assert.deepEqual(unlocked.metadata, metadata);
      assert.ok(sameBytes(decryptObject(object, unlocked), plaintext));
      assert.ok(sameBytes(streamDecrypt(object, PW, 1 << 20).plaintext, plaintext));
      if (size <= 3 * CHUNK) assert.ok(sameBytes(referenceDecrypt(object, PW).plaintext, plaintext));
    });
  }

  test('metadata survives: unicode name, empty fields, maximum lengths, NFC-equivalent password', () => {
    const cases = [
      { name: 'Größe 📄 résumé.pdf', mediaType: 'application/pdf', size: 3 },
      { name: '', mediaType: '', size: 3 },
      { name: '\uFEFFé'.padEnd(1021, 'x'), mediaType: 'a'.repeat(255), size: 3 },
    ];
    for (const metadata of cases) {
      const object = encryptObject(Uint8Array.of(1, 2, 3), metadata, 'caf\u00e9', FAST_KDF);
      const viaNfd = decryptWithPassword(object, 'cafe\u0301');
      assert.deepEqual(viaNfd.metadata, metadata);
      assert.deepEqual(referenceDecrypt(object, 'caf\u00e9').metadata, metadata);
    }
  });

  test('refuses metadata that does not fit or disagrees with the plaintext', () => {
    const bytes = new Uint8Array(4);
    const ok = { name: 'a', mediaType: 'b', size: 4 };
    assert.throws(() => encryptObject(bytes, { ...ok, name: 'é'.repeat(513) }, PW, FAST_KDF), RangeError);
    assert.throws(() => encryptObject(bytes, { ...ok, mediaType: 'x'.repeat(256) }, PW, FAST_KDF), RangeError);
    assert.throws(() => encryptObject(bytes, { ...ok, size: 5 }, PW, FAST_KDF), RangeError);
    const { encryptor } = beginEncryption({ ...ok, size: 10 }, PW, FAST_KDF);
    encryptor.push(bytes);
    assert.throws(() => encryptor.finish(), RangeError);
  });

  test('randomized streaming: random sizes and piece boundaries through ChunkEncryptor/ChunkDecryptor', () => {
    const seed = Date.now() >>> 0;
    const rnd = prng(seed);
    for (let iter = 0; iter < 300; iter++) {
      const chunkLog2 = 10 + rnd(3); // 1–4 KiB chunks: many boundaries for little data
      const chunk = 2 ** chunkLog2;
      const size = rnd(4) === 0 ? rnd(3) * chunk + rnd(3) - 1 : rnd(6 * chunk);
      const plaintext = randomBytes(Math.max(0, size));
      const metadata = { name: `n${iter}`, mediaType: 't', size: plaintext.length };
      const { header, encryptor, objectLength } = beginEncryptionWith(metadata, 'pw', FAST_KDF, { chunkLog2 });
      const parts = [header];
      for (let off = 0; off < plaintext.length;) {
        const n = 1 + rnd(2 * chunk + 40);
        const piece = plaintext.subarray(off, off + n);
        const expected = encryptor.outputLength(piece.length);
        const out = encryptor.push(piece);
        assert.equal(out.length, expected);
        parts.push(out);
        off += n;
      }
      parts.push(encryptor.finish());
      const object = concat(parts);
      assert.equal(object.length, objectLength, `seed ${seed} iter ${iter}`);
      const pieceSize = 1 + rnd(3 * chunk);
      const back = streamDecrypt(object, 'pw', pieceSize).plaintext;
      assert.ok(sameBytes(back, plaintext), `seed ${seed} iter ${iter} size ${plaintext.length} piece ${pieceSize}`);
    }
  });

  test('ciphertext holds neither the file name nor any 16-byte run of the plaintext', () => {
    const plaintext = textLike(200_000);
    const name = 'quarterly-salaries-confidential.xlsx';
    const mediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const object = encryptObject(plaintext, { name, mediaType, size: plaintext.length }, PW, FAST_KDF);
    const hay = Buffer.from(object);
    assert.equal(hay.indexOf(Buffer.from(name)), -1);
    assert.equal(hay.indexOf(Buffer.from(mediaType)), -1);
    assert.equal(hay.indexOf(Buffer.from(name, 'utf16le')), -1);
    const windows = new Set<string>();
    for (let i = 0; i + 16 <= hay.length; i++) windows.add(hay.toString('latin1', i, i + 16));
    const pt = Buffer.from(plaintext);
    for (let i = 0; i + 16 <= pt.length; i++) {
      if (windows.has(pt.toString('latin1', i, i + 16))) assert.fail(`plaintext run at ${i} found in ciphertext`);
    }
  });

  test('two encryptions of the same file share nothing but the public fields', () => {
    const plaintext = textLike(5000);
    const meta = { name: 'same.txt', mediaType: 'text/plain', size: plaintext.length };
    const a = encryptObject(plaintext, meta, PW, FAST_KDF);
    const b = encryptObject(plaintext, meta, PW, FAST_KDF);
    assert.equal(a.length, b.length);
    assert.ok(sameBytes(a.subarray(0, 13), b.subarray(0, 13))); // magic, version, chunk size, KDF params
    let equal = 0;
    for (let i = 13; i < a.length; i++) if (a[i] === b[i]) equal++;
    assert.ok(equal < (a.length - 13) / 64, `${equal} equal bytes`);
  });

  test('randomBytes fills more than one 65536-byte piece', () => {
    const big = randomBytes(200_000);
    assert.equal(big.length, 200_000);
    const tail = big.subarray(150_000);
    assert.ok(tail.some((b) => b !== 0));
    assert.ok(!sameBytes(randomBytes(32), randomBytes(32)));
    assert.equal(randomBytes(0).length, 0);
    assert.throws(() => randomBytes(-1), RangeError);
  });

  test('default KDF (logN 17): src encrypts, the reference decryptor (native scrypt) opens', () => {
    const plaintext = textLike(1000);
    const metadata = { name: 'd.txt', mediaType: 'text/plain', size: 1000 };
    const object = encryptObject(plaintext, metadata, PW);
    assert.deepEqual(parseHeader(object).kdf, DEFAULT_KDF);
    const back = referenceDecrypt(object, PW);
    assert.deepEqual(back.metadata, metadata);
    assert.ok(sameBytes(back.plaintext, plaintext));
  });
});
