import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { startHost } from '../../dev/host';
import type { WorkspaceHost } from '../../dev/host';

const root = path.resolve(__dirname, '../..');
const zip = path.join(root, 'dist', 'upload-probe.zip');

interface ProbeRecord {
  kind: 'pre' | 'post';
  name?: string;
  size?: number;
  userId?: string;
  contentLength?: number;
  head?: string;
  fileMessagesThen?: number;
  fileId?: string;
  files?: string[];
  uploadName?: string;
}

function probe(host: WorkspaceHost): ProbeRecord[] {
  return host.persistenceDump().map((r) => r.data as ProbeRecord);
}

// one test owns the host, its steps are subtests
test("a user's upload runs the apps' hooks in Rocket.Chat's order, through the real engine", async (t) => {
  execFileSync(process.execPath, ['scripts/package.mjs', '--app', 'test/fixtures/upload-probe-app', '--out', zip], {
    cwd: root,
  });
  const host = await startHost({ appZip: zip });
  const alice = host.addUser({ username: 'alice' });
  try {
    await steps(t, host, alice);
  } finally {
    await host.stop();
  }
});

async function steps(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  await t.test(
    'IPreFileUpload sees the bytes before the file exists; IPostMessageSent sees the stored file',
    async () => {
      const bytes = Buffer.from('report body '.repeat(1000));
      const trace = await host.upload(alice, host.general, { name: 'report.txt', bytes });
      assert.deepEqual(
        trace.steps.map((s) => s.step),
        ['IPreFileUpload', 'stored', 'message saved'],
        'the request returns once the message is saved, without waiting for IPostMessageSent',
      );
      await trace.postMessageSent;
      const [pre, post] = probe(host);
      assert.equal(pre.kind, 'pre');
      assert.equal(pre.name, 'report.txt');
      assert.equal(pre.size, bytes.length);
      assert.equal(pre.userId, alice.id);
      assert.equal(pre.contentLength, bytes.length, 'the whole file reached the hook through the temporary file');
      assert.equal(pre.head, bytes.subarray(0, 16).toString('hex'));
      assert.equal(pre.fileMessagesThen, 0, 'no file message existed while the hook ran');
      assert.deepEqual(post, {
        kind: 'post',
        messageId: trace.message?.id,
        fileId: trace.uploadId,
        files: ['report.txt'],
        uploadName: 'report.txt',
      });
    },
  );

  await t.test('the temporary file is gone once the hook is over', () => {
    const tmp = host.manager.getTempFilePath();
    assert.deepEqual(
      fs.readdirSync(tmp).filter((f) => /^[0-9a-f-]{36}$/.test(f)),
      [],
    );
  });

  await t.test('an image fires the hook a second time for its thumbnail, before the message', async () => {
    const before = probe(host).length;
    const trace = await host.upload(alice, host.general, { name: 'cat.png', bytes: Buffer.alloc(20_000, 7) });
    assert.deepEqual(
      trace.steps.map((s) => ('name' in s ? `${s.step} ${s.name}` : s.step)),
      [
        'IPreFileUpload cat.png',
        'stored cat.png',
        'IPreFileUpload thumb-cat.png',
        'stored thumb-cat.png',
        'message saved',
      ],
    );
    await trace.postMessageSent;
    const seen = probe(host).slice(before);
    assert.deepEqual(
      seen.map((r) => `${r.kind} ${r.name ?? r.files?.join(',')}`),
      ['pre cat.png', 'pre thumb-cat.png', 'post cat.png,thumb-cat.png'],
    );
    assert.equal(trace.message?.file?.name, 'cat.png', 'message.file is the image, files[1] its thumbnail');
  });

  await t.test('FileUploadNotAllowedException refuses the upload: nothing stored, no message', async () => {
    const uploads = host.uploads().length;
    const messages = host.messages(host.general.id).length;
    await assert.rejects(
      host.upload(alice, host.general, { name: 'refuse-me.txt', bytes: Buffer.from('x') }),
      /the probe refuses this file \[error-app-prevented\]/,
    );
    assert.equal(host.uploads().length, uploads);
    assert.equal(host.messages(host.general.id).length, messages);
  });

  await t.test('any other error in the hook is swallowed by the engine: the upload goes on', async () => {
    const trace = await host.upload(alice, host.general, { name: 'crash.txt', bytes: Buffer.from('y') });
    assert.equal(trace.message?.file?.name, 'crash.txt');
    await trace.postMessageSent;
    assert.ok(probe(host).some((r) => r.kind === 'post' && r.files?.[0] === 'crash.txt'));
  });

  await t.test('upload policies run before the hook', async () => {
    const before = probe(host).length;
    await assert.rejects(
      host.upload(alice, host.general, { name: 'x.svg', bytes: Buffer.from('<svg/>') }),
      /\[error-invalid-file-type\]/,
    );
    assert.equal(probe(host).length, before, 'the hook never ran');
  });
}
