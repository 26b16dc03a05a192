import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { encodeMultipart } from '../../src/ipfs/multipart';

function allBytes(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

void describe('encodeMultipart', () => {
  void test('every byte value 0–255 comes out intact between head and tail', () => {
    const content = allBytes();
    const { body, contentType } = encodeMultipart({
      name: 'file',
      filename: 'blob',
      contentType: 'application/octet-stream',
      content,
    });
    assert.ok(Buffer.isBuffer(body));
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
    assert.ok(boundary);
    assert.ok(contentType.startsWith('multipart/form-data; boundary='));
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    assert.deepEqual(body.subarray(0, head.length), head);
    assert.deepEqual(body.subarray(body.length - tail.length), tail);
    assert.deepEqual(new Uint8Array(body.subarray(head.length, body.length - tail.length)), content);
  });

  void test("the engine's JSON check of the request stays small, and the bytes and the Buffer are unchanged", () => {
    const content = new Uint8Array(1024 * 1024).fill(200);
    const { body } = encodeMultipart({ name: 'f', filename: 'b', contentType: 'x/y', content });
    const checked = JSON.stringify({ method: 'post', params: [{ content: body }] });
    assert.ok(checked.length < 200, `stringified to ${checked.length} characters`);
    assert.ok(Buffer.isBuffer(body), 'still a Buffer, which the engine sends as binary');
    assert.ok(!Object.keys(body).includes('toJSON'), 'no enumerable property the engine would encode');
    assert.notEqual(body.indexOf(Buffer.from(content)), -1);
  });

  void test('works on a view into a larger buffer without leaking neighbours', () => {
    const big = allBytes();
    const view = big.subarray(10, 20);
    const { body } = encodeMultipart({ name: 'f', filename: 'b', contentType: 'x/y', content: view });
    assert.equal(body.indexOf(Buffer.from([9, 10])), -1);
    assert.notEqual(body.indexOf(Buffer.from(view)), -1);
  });

  void test('the boundary never occurs in the content', () => {
    for (let i = 0; i < 50; i++) {
      const content = Buffer.from(`prefix ----ipfs-storage- and more ${'-'.repeat(i)}`);
      const { body, contentType } = encodeMultipart({ name: 'f', filename: 'b', contentType: 'x/y', content });
      const boundary = contentType.split('boundary=')[1];
      assert.equal(content.indexOf(boundary), -1);
      // Exactly two delimiter lines: the opening and the closing one.
      assert.equal(body.toString('latin1').split(`--${boundary}`).length, 3);
    }
  });

  void test('a given boundary that occurs in the content, or is not a token, is refused', () => {
    const part = { name: 'f', filename: 'b', contentType: 'x/y', content: Buffer.from('abc XYZ def') };
    assert.throws(() => encodeMultipart(part, 'XYZ'), RangeError);
    assert.throws(() => encodeMultipart(part, 'has space'), RangeError);
    assert.throws(() => encodeMultipart(part, 'x'.repeat(71)), RangeError);
    assert.ok(encodeMultipart(part, 'QQQ').contentType.endsWith('boundary=QQQ'));
  });

  void test('header values cannot break out of their quotes or lines', () => {
    const { body } = encodeMultipart({
      name: 'f',
      filename: 'evil"\r\nX-Injected: 1',
      contentType: 'x/y',
      content: new Uint8Array(0),
    });
    const text = body.toString('latin1');
    assert.ok(!text.includes('\r\nX-Injected'));
    assert.ok(text.includes('filename="evil___X-Injected: 1"'));
  });
});
