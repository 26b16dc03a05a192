/**
 * The command-line opener's decrypt-and-write path (src/opener/openObject.ts) passes every committed vector: each
 * valid one opened with its password and with its file key gives the plaintext on disk under its (sanitised)
 * name; each invalid one fails with the listed outcome and leaves the output folder empty.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  CorruptObjectError,
  ForeignObjectError,
  KdfTooExpensiveError,
  UnsupportedVersionError,
  WrongPasswordError,
} from '../../src/crypto';
import { safeFileName } from '../../src/opener/fileName';
import { FileKeyMismatchError, openObject, type OpenSecret } from '../../src/opener/openObject';

interface Vector {
  id: string;
  description: string;
  password: string;
  fileKey?: string;
  object: string;
  plaintext?: string;
  metadata?: { name: string; size: number };
  error?: string;
}
const vectors = JSON.parse(readFileSync(join(__dirname, '../vectors/v1.json'), 'utf8')) as {
  valid: Vector[];
  invalid: Vector[];
};
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const ERRORS: Record<string, new (...args: never[]) => Error> = {
  WrongPasswordError,
  ForeignObjectError,
  UnsupportedVersionError,
  CorruptObjectError,
  KdfTooExpensiveError,
};

/** The object in pieces of `size` bytes, as blocks would arrive. */
async function* piecesOf(object: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < object.length; off += size) yield object.subarray(off, off + size);
  await Promise.resolve();
}

async function openInFreshDir(v: Vector, secret: OpenSecret, pieceSize: number) {
  const outDir = mkdtempSync(join(tmpdir(), 'opener-vector-'));
  try {
    const opened = await openObject({
      pieces: piecesOf(bytes(v.object), pieceSize),
      secret: () => Promise.resolve(secret),
      outDir,
    });
    return { opened, files: readdirSync(outDir), content: readFileSync(opened.path) };
  } catch (err) {
    return { err, files: readdirSync(outDir) };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

describe('the opener passes every vector', () => {
  for (const v of vectors.valid) {
    test(`valid: ${v.id}, with the password and with the file key`, async () => {
      for (const [secret, pieceSize] of [
        [{ password: v.password }, 1000],
        [{ fileKey: bytes(v.fileKey!) }, 1480 + 7],
      ] as const) {
        const result = await openInFreshDir(v, secret, pieceSize);
        assert.ok(result.opened, `${v.id}: ${String(result.err)}`);
        assert.equal(result.opened.metadata.name, v.metadata!.name);
        assert.equal(result.opened.name, safeFileName(v.metadata!.name));
        assert.deepEqual(result.files, [result.opened.name]);
        assert.ok(result.content.equals(Buffer.from(bytes(v.plaintext!))));
      }
    });
  }

  for (const v of vectors.invalid) {
    test(`invalid: ${v.id} → ${v.error}, nothing written`, async () => {
      const secret: OpenSecret = v.fileKey ? { fileKey: bytes(v.fileKey) } : { password: v.password };
      const result = await openInFreshDir(v, secret, 333);
      assert.ok(result.err instanceof ERRORS[v.error!], `${v.description}: got ${String(result.err)}`);
      assert.deepEqual(result.files, []);
    });
  }

  test('a wrong file key is told as such, a damaged record behind a good key as corrupt', async () => {
    const wrong = vectors.invalid.find((v) => v.id === 'wrong-file-key')!;
    assert.ok(
      (await openInFreshDir(wrong, { fileKey: bytes(wrong.fileKey!) }, 4096)).err instanceof FileKeyMismatchError,
    );
    const flipped = vectors.invalid.find((v) => v.id === 'file-key-flip-chunk')!;
    const chunk = (await openInFreshDir(flipped, { fileKey: bytes(flipped.fileKey!) }, 4096)).err;
    assert.ok(chunk instanceof CorruptObjectError && !(chunk instanceof FileKeyMismatchError));
  });
});
