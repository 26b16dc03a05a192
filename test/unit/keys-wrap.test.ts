/** File keys wrapped to X25519 public keys and bound to a CID. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import nacl from 'tweetnacl';
import { randomBytes } from '../../src/crypto';
import { cidToBytes, parseCid } from '../../src/ipfs/cid';
import { KeyUnwrapError, unwrapFileKey, wrapFileKey, type WrappedKey } from '../../src/keys';

const CID = cidToBytes(parseCid('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'));
const OTHER_CID = cidToBytes(parseCid('bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby'));

const pair = () => nacl.box.keyPair.fromSecretKey(randomBytes(32));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const isUnwrapError = (err: unknown) => err instanceof KeyUnwrapError && err.i18nKey === 'error_key_unwrap';

describe('wrapFileKey / unwrapFileKey', () => {
  test('round trip; every wrap is fresh', () => {
    const recipient = pair();
    const fileKey = randomBytes(32);
    const a = wrapFileKey(fileKey, recipient.publicKey, CID);
    const b = wrapFileKey(fileKey, recipient.publicKey, CID);
    assert.deepEqual(unwrapFileKey(a, recipient.secretKey, CID), fileKey);
    assert.deepEqual(unwrapFileKey(b, recipient.secretKey, CID), fileKey);
    assert.notEqual(a.ephemeralPublicKey, b.ephemeralPublicKey);
    assert.notEqual(a.nonce, b.nonce);
    assert.notEqual(a.box, b.box);
    assert.equal(unb64(a.box).length, 16 + 32 + CID.length);
    assert.ok(!a.box.includes(b64(fileKey)) && !JSON.stringify(a).includes(b64(fileKey)));
  });

  test('another recipient, a tampered field or another CID → KeyUnwrapError', () => {
    const recipient = pair();
    const fileKey = randomBytes(32);
    const wrapped = wrapFileKey(fileKey, recipient.publicKey, CID);
    assert.throws(() => unwrapFileKey(wrapped, pair().secretKey, CID), isUnwrapError);
    assert.throws(() => unwrapFileKey(wrapped, recipient.secretKey, OTHER_CID), isUnwrapError);
    assert.throws(() => unwrapFileKey(wrapped, recipient.secretKey, CID.subarray(0, 35)), isUnwrapError);
    for (const field of ['ephemeralPublicKey', 'nonce', 'box'] as const) {
      const bytes = unb64(wrapped[field]);
      for (const at of [0, bytes.length - 1]) {
        const copy = bytes.slice();
        copy[at] ^= 0x01;
        assert.throws(() => unwrapFileKey({ ...wrapped, [field]: b64(copy) }, recipient.secretKey, CID), isUnwrapError);
      }
    }
    const malformed: unknown[] = [
      { ...wrapped, box: '' },
      { ...wrapped, nonce: b64(new Uint8Array(23)) },
      { ...wrapped, ephemeralPublicKey: 'not base64!' },
      { ...wrapped, box: unb64(wrapped.box) },
      {},
      null,
    ];
    for (const bad of malformed) {
      assert.throws(() => unwrapFileKey(bad as WrappedKey, recipient.secretKey, CID), isUnwrapError);
    }
  });

  test('a box sealing only the file key (no CID) does not open', () => {
    const recipient = pair();
    const eph = pair();
    const nonce = randomBytes(24);
    const box = nacl.box(randomBytes(32), nonce, recipient.publicKey, eph.secretKey);
    const wrapped = { ephemeralPublicKey: b64(eph.publicKey), nonce: b64(nonce), box: b64(box) };
    assert.throws(() => unwrapFileKey(wrapped, recipient.secretKey, CID), isUnwrapError);
  });

  test('refuses malformed inputs when wrapping', () => {
    const { publicKey } = pair();
    assert.throws(() => wrapFileKey(randomBytes(31), publicKey, CID), RangeError);
    assert.throws(() => wrapFileKey(randomBytes(32), publicKey.subarray(1), CID), RangeError);
    assert.throws(() => wrapFileKey(randomBytes(32), publicKey, new Uint8Array(0)), RangeError);
  });
});
