import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openSink } from '../../src/page/browser/save';

/**
 * The page's disk sink against a File System Access writable whose writes finish only when the test says so:
 * the real one (Chromium, test/e2e/app-page.test.ts) cannot be held mid-write to show the order.
 */
function heldWritable() {
  const writes: { bytes: Uint8Array; finish: () => void; fail: (error: Error) => void }[] = [];
  const calls: string[] = [];
  const writable = {
    write: (bytes: Uint8Array) =>
      new Promise<void>((finish, fail) => {
        calls.push(`write ${bytes.length}`);
        writes.push({ bytes, finish, fail });
      }),
    close: () => {
      calls.push('close');
      return Promise.resolve();
    },
    abort: () => {
      calls.push('abort');
      return Promise.resolve();
    },
  };
  const handle = {
    createWritable: () => Promise.resolve(writable),
    getFile: () => Promise.resolve(new Blob([])),
    remove: () => {
      calls.push('remove');
      return Promise.resolve();
    },
  };
  Object.assign(globalThis, { window: { showSaveFilePicker: () => Promise.resolve(handle) } });
  return { writes, calls };
}

/** Runs `check` with a page `window` whose save picker hands out a held writable, then takes the window away. */
async function withHeldWritable(check: (held: ReturnType<typeof heldWritable>) => Promise<void>): Promise<void> {
  try {
    await check(heldWritable());
  } finally {
    delete (globalThis as { window?: unknown }).window;
  }
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('the page saving to disk', () => {
  test('keeps one write on its way while the next block is fetched, never more', () =>
    withHeldWritable(async ({ writes }) => {
      const sink = await openSink('a.bin', '');
      assert.ok(await settled(sink.write(new Uint8Array(3))), 'the first write does not hold up the next block');
      const second = sink.write(new Uint8Array(5));
      assert.equal(await settled(second), false, 'the second waits until the disk has the first');
      writes[0].finish();
      assert.ok(await settled(second));
      assert.equal(writes.length, 2);
    }));

  test('closes only after the last write reached the disk', () =>
    withHeldWritable(async ({ writes, calls }) => {
      const sink = await openSink('a.bin', '');
      await sink.write(new Uint8Array(3));
      const closing = sink.close();
      assert.equal(await settled(closing), false);
      assert.deepEqual(calls, ['write 3']);
      writes[0].finish();
      await closing;
      assert.deepEqual(calls, ['write 3', 'close']);
    }));

  test('a write that failed fails the next write, and abort still drops the file', () =>
    withHeldWritable(async ({ writes, calls }) => {
      const sink = await openSink('a.bin', '');
      await sink.write(new Uint8Array(3));
      writes[0].fail(new Error('disk full'));
      await assert.rejects(sink.write(new Uint8Array(5)), /disk full/);
      await sink.abort();
      assert.deepEqual(calls, ['write 3', 'abort', 'remove']);
    }));

  test('when the last write failed, close fails and drops the file instead of keeping a truncated one', () =>
    withHeldWritable(async ({ writes, calls }) => {
      const sink = await openSink('a.bin', '');
      await sink.write(new Uint8Array(3));
      writes[0].fail(new Error('disk full'));
      await assert.rejects(sink.close(), /disk full/);
      assert.deepEqual(calls, ['write 3', 'abort', 'remove']);
    }));
});
