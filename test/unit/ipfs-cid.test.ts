import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CODEC_DAG_PB, CODEC_RAW, cidEquals, cidFromBytes, cidToBytes, formatCid, parseCid } from '../../src/ipfs/cid';
import { CidTooLongError, InvalidCidError } from '../../src/ipfs/errors';
import { MAX_DECODE_CHARS, decodeBase32, decodeBase58, encodeBase32, encodeBase58 } from '../../src/ipfs/multibase';
import { readVarint, varintLength, writeVarint } from '../../src/ipfs/varint';

// The same dag-pb block written three ways (CIDv0, CIDv1 base32, CIDv1 base58btc).
const V0 = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';
const V1_B32 = 'bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby';
const V1_B58 = 'zdj7WaCPMsy3FP2whSwpFXHjDEaTVmjnddYSn5W2Gdn4aEZFj';
// "hello world" as a raw leaf.
const RAW = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';

void describe('parseCid', () => {
  void test('CIDv0 is dag-pb sha2-256 and formats as CIDv1 base32', () => {
    const cid = parseCid(V0);
    assert.equal(cid.version, 0);
    assert.equal(cid.codec, CODEC_DAG_PB);
    assert.equal(cid.digest.length, 32);
    assert.equal(formatCid(cid), V1_B32);
  });

  void test('CIDv1 base32 round-trips', () => {
    const cid = parseCid(V1_B32);
    assert.equal(cid.version, 1);
    assert.equal(formatCid(cid), V1_B32);
    assert.equal(parseCid(RAW).codec, CODEC_RAW);
    assert.equal(formatCid(parseCid(RAW)), RAW);
  });

  void test('CIDv1 base58btc and upper-case base32 parse to the same CID', () => {
    assert.ok(cidEquals(parseCid(V1_B58), parseCid(V1_B32)));
    assert.ok(cidEquals(parseCid(V1_B32.toUpperCase().replace(/^B/, 'B')), parseCid(V1_B32)));
  });

  void test('v0 equals its v1 form; raw and dag-pb of one digest differ', () => {
    assert.ok(cidEquals(parseCid(V0), parseCid(V1_B32)));
    const dag = parseCid(V1_B32);
    assert.ok(!cidEquals(dag, { ...dag, codec: CODEC_RAW }));
    assert.ok(!cidEquals(dag, parseCid(RAW)));
  });

  void test('surrounding whitespace is ignored', () => {
    assert.equal(formatCid(parseCid(`  ${V1_B32}\n`)), V1_B32);
    assert.equal(formatCid(parseCid(`\t${V0} `)), V1_B32);
  });

  void test('garbage, empty and truncated input throw InvalidCidError with its i18n key', () => {
    const bad = [
      '',
      '   ',
      'hello',
      'Qm',
      V0.slice(0, -1),
      V0.replace('T', '0'), // 0 is not base58
      V1_B32.slice(0, -2),
      V1_B32 + 'aa',
      'b' + '!'.repeat(20),
      'f01701220' + '00'.repeat(32), // base16 is not accepted
      'mAXASIA', // base64 is not accepted
      'z' + encodeBase58(Uint8Array.from([2, 0x70, 0x12, 0x01, 0x00])), // version 2
    ];
    for (const text of bad) {
      assert.throws(
        () => parseCid(text),
        (err: unknown) => err instanceof InvalidCidError && err.i18nKey === 'error_invalid_cid',
        JSON.stringify(text),
      );
    }
    assert.throws(() => parseCid(undefined as unknown as string), InvalidCidError);
  });

  void test('100 000 characters are refused at once as too long, whatever their prefix', () => {
    for (const text of ['z' + '2'.repeat(100_000), 'b' + 'a'.repeat(100_000), 'Qm' + '2'.repeat(100_000)]) {
      const started = performance.now();
      assert.throws(
        () => parseCid(text),
        (err: unknown) => err instanceof CidTooLongError && err.i18nKey === 'error_cid_too_long' && err.max === 128,
      );
      // base58 decoding of this text took ~4 s before the length was checked first
      assert.ok(performance.now() - started < 50, `took ${performance.now() - started} ms`);
    }
    assert.ok(parseCid(` ${V1_B32}${' '.repeat(500)}`), 'surrounding whitespace does not count');
  });
});

void describe('multibase', () => {
  void test('base32 and base58 round-trip arbitrary bytes, leading zeros included', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      if (n > 2) bytes[0] = bytes[1] = 0;
      assert.deepEqual(decodeBase32(encodeBase32(bytes)), bytes);
      assert.deepEqual(decodeBase58(encodeBase58(bytes)), bytes);
    }
  });

  void test('text longer than any CID is refused before decoding', () => {
    const long = '2'.repeat(MAX_DECODE_CHARS + 1);
    assert.throws(() => decodeBase58(long), RangeError);
    assert.throws(() => decodeBase32(long.replace(/2/g, 'a')), RangeError);
    assert.equal(decodeBase58('2'.repeat(MAX_DECODE_CHARS)).length > 0, true);
  });

  void test('RFC 4648 base32 vector', () => {
    assert.equal(encodeBase32(new TextEncoder().encode('foobar')), 'mzxw6ytboi');
  });
});

void describe('cidFromBytes', () => {
  void test('reads back what cidToBytes wrote, CIDv0 input included (as its CIDv1 form)', () => {
    for (const text of [V0, V1_B32, V1_B58, RAW]) {
      const cid = parseCid(text);
      const bytes = cidToBytes(cid);
      const back = cidFromBytes(bytes);
      assert.equal(back.version, 1);
      assert.ok(cidEquals(back, cid));
      assert.equal(formatCid(back), formatCid(cid));
      assert.deepEqual(cidToBytes(back), bytes);
    }
    assert.equal(cidToBytes(parseCid(RAW)).length, 36);
  });

  void test('refuses anything that is not exactly one binary CIDv1', () => {
    const good = cidToBytes(parseCid(RAW));
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      good.subarray(0, good.length - 1), // truncated digest
      Uint8Array.from([...good, 0]), // trailing byte
      Uint8Array.from([2, ...good.subarray(1)]), // version 2
      good.subarray(1), // no version
      Uint8Array.from([1, 0x55, 0x12, 0x80]), // unterminated length varint
      Uint8Array.from([1, 0x55, 0x12, 65, ...new Uint8Array(65)]), // digest longer than 64
    ];
    for (const bytes of bad) {
      assert.throws(
        () => cidFromBytes(bytes),
        (err: unknown) => err instanceof InvalidCidError && err.i18nKey === 'error_invalid_cid',
        Buffer.from(bytes).toString('hex'),
      );
    }
    assert.throws(() => cidFromBytes('bafy' as unknown as Uint8Array), InvalidCidError);
  });
});

void describe('checks kept on top of multiformats', () => {
  const good = () => cidToBytes(parseCid(RAW));

  void test('a binary CID with a non-minimal varint is refused', () => {
    // version 1 written as 0x81 0x00 decodes to 1 but is not how any encoder writes it
    const bytes = Uint8Array.from([0x81, 0x00, ...good().subarray(1)]);
    assert.throws(() => cidFromBytes(bytes), InvalidCidError);
  });

  void test('a codec past 2^53 is refused rather than rounded', () => {
    const huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    const bytes = Uint8Array.from([1, ...huge, ...good().subarray(2)]);
    assert.throws(() => cidFromBytes(bytes), InvalidCidError);
    assert.throws(() => readVarint(Uint8Array.from(huge), 0), RangeError);
  });

  void test('base32 CIDs parse in any case, as users may retype them', () => {
    const mixed = V1_B32.slice(0, 10) + V1_B32.slice(10).toUpperCase();
    assert.ok(cidEquals(parseCid(mixed), parseCid(V1_B32)));
    assert.ok(cidEquals(parseCid('B' + V1_B32.slice(1)), parseCid(V1_B32)));
  });

  void test('varints round-trip through writeVarint and readVarint', () => {
    for (const value of [0, 1, 127, 128, 300, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const out: number[] = [];
      writeVarint(out, value);
      assert.equal(out.length, varintLength(value));
      assert.deepEqual(readVarint(Uint8Array.from([9, ...out]), 1), { value, next: out.length + 1 });
    }
    assert.throws(() => readVarint(Uint8Array.from([0x80, 0x00]), 0), RangeError);
    assert.throws(() => readVarint(Uint8Array.from([0x80]), 0), RangeError);
  });
});
