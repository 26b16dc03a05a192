import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  beginSealingAsync,
  decryptWithPassword,
  fileKeyWithPassword,
  parseHeader,
  unlockHeaderAsync,
  useScrypt,
  WrongPasswordError,
} from '../../src/crypto';
import { deriveWrapKey, deriveWrapKeyAsync } from '../../src/crypto/kdf';
import { nativeScrypt } from '../../src/crypto/nativeScrypt';

const KDF = { logN: 14, r: 8, p: 1 };
const salt = new Uint8Array(16).fill(7);

test('the native scrypt derives the same wrap key as the portable one, non-ASCII passwords included', async () => {
  useScrypt(nativeScrypt);
  for (const password of ['hunter2-long-enough', 'Straße-ÄÖÜ-密码', 'e\u0301-decomposed']) {
    assert.deepEqual([...(await deriveWrapKeyAsync(password, salt, KDF))], [...deriveWrapKey(password, salt, KDF)]);
  }
});

test('an object sealed through the installed scrypt opens with the portable reader, and back', async () => {
  useScrypt(nativeScrypt);
  const plaintext = new TextEncoder().encode('minutes of the meeting '.repeat(5000));
  const start = await beginSealingAsync(
    { name: 'minutes.txt', mediaType: 'text/plain', size: plaintext.length },
    'pw-right-1',
    KDF,
  );
  const parts = [start.header, start.encryptor.push(plaintext), start.encryptor.finish()];
  const object = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (object.set(p, at), at + p.length), 0);
  assert.equal(object.length, start.objectLength);
  const opened = decryptWithPassword(object, 'pw-right-1'); // the portable scrypt, on this thread
  assert.deepEqual([opened.metadata.name, Buffer.from(opened.plaintext).equals(plaintext)], ['minutes.txt', true]);
  const header = parseHeader(object);
  assert.equal((await unlockHeaderAsync(header, 'pw-right-1')).metadata.size, plaintext.length);
  await assert.rejects(unlockHeaderAsync(header, 'pw-wrong-1'), WrongPasswordError);
  assert.deepEqual([...(await fileKeyWithPassword(header, 'pw-right-1'))], [...start.fileKey]);
});

test('while the installed scrypt works, the thread stays free for other calls', async () => {
  useScrypt(nativeScrypt);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    await deriveWrapKeyAsync('pw-right-1', salt, { logN: 17, r: 8, p: 1 });
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks >= 5, `timers ran during a logN 17 scrypt (${ticks} ticks)`);
});
