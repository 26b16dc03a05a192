import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { startHost } from '../../dev/host';
import type { WorkspaceHost } from '../../dev/host';

const root = path.resolve(__dirname, '../..');
const zip = path.join(root, 'dist', 'hello.zip');
const expect = { slashCommands: ['hello'], actionButtons: ['hello_echo'], settings: ['greeting'] };

// @types/node 16 has no before/after hooks: one test owns the host, its steps are subtests
test('workspace host with the fixture app, through the Deno runtime', async (t) => {
  execFileSync(process.execPath, ['scripts/package.mjs', '--app', 'test/fixtures/hello-app', '--out', zip], {
    cwd: root,
  });
  const host: WorkspaceHost = await startHost({ appZip: zip, expect });
  const alice: IUser = host.addUser({ username: 'alice' });
  try {
    await steps(t, host, alice);
  } finally {
    await host.stop();
  }
});

async function steps(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  await t.test('a slash command posts a message as the app bot', async () => {
    const r = await host.runSlashCommand(alice, host.general, '/hello world');
    assert.ok(r.triggerId);
    const last = host.messages(host.general.id).at(-1);
    assert.equal(last?.text, 'hello world');
    assert.equal(last?.sender.username, 'hello-fixture.bot');
  });

  await t.test('a modal opens, shows a validation error, then submits', async () => {
    const opened = await host.runSlashCommand(alice, host.general, '/hello modal');
    assert.equal(opened.opened.length, 1);
    const viewId = opened.opened[0].id;
    assert.deepEqual(
      host.openViews(alice).map((v) => v.id),
      [viewId],
    );

    const invalid = await host.submitViewValues(alice, viewId, { name: '  ' });
    assert.deepEqual(invalid.errors, { name: 'required' });
    assert.equal(host.openViews(alice).length, 1, 'the modal stays open with its error');

    const ok = await host.submitView(alice, viewId, { name_block: { name: 'Ada' } });
    assert.deepEqual(ok.closed, [viewId]);
    assert.ok(ok.ms < 5000, 'answered within the client timeout');
    assert.equal(host.messages(host.general.id).at(-1)?.text, 'Hello, Ada! (from alice)');
    assert.deepEqual(
      ok.ephemeral.map((m) => m.text),
      ['sent'],
    );
    assert.equal(host.persistenceDump().length, 0, 'the view context was removed');
  });

  await t.test('an admin setting change reaches the app', async () => {
    await host.setAppSetting('greeting', 'Hi');
    assert.equal(host.settings.greeting, 'Hi');
    const { opened } = await host.runSlashCommand(alice, host.general, '/hello modal');
    await host.submitViewValues(alice, opened[0].id, { name: 'Bob' });
    assert.equal(host.messages(host.general.id).at(-1)?.text, 'Hi, Bob! (from alice)');
  });

  await t.test('a permission app.json does not list is refused', async () => {
    const r = await host.runSlashCommand(alice, host.general, '/hello http');
    assert.deepEqual(
      r.ephemeral.map((m) => m.text),
      ['http: refused'],
    );
    assert.ok(
      host.permissionDenials.some((d) => d.includes('networking')),
      host.permissionDenials.join('\n'),
    );
    assert.equal(host.bridges.http.calls.length, 0);
  });

  await t.test('a message action reads a shared file and uploads a copy', async () => {
    const bytes = Buffer.from('some file bytes');
    const shared = host.uploadFile(alice, host.general, { name: 'a.txt', type: 'text/plain', bytes });
    assert.equal(shared.file?.name, 'a.txt');
    await host.clickMessageAction(alice, shared, 'hello_echo');
    const echo = await host.waitFor(() => host.messages(host.general.id).find((m) => m.file?.name === 'echo-a.txt'));
    assert.equal(echo.sender.username, 'hello-fixture.bot');
    const stored = host.uploads().find((u) => u.id === echo.file?._id);
    assert.deepEqual(stored?.bytes, bytes);
  });

  await t.test('server settings, threads and the scheduler', async () => {
    const lang = await host.runSlashCommand(alice, host.general, '/hello lang');
    assert.deepEqual(
      lang.ephemeral.map((m) => m.text),
      ['language: en'],
    );

    const parent = host.sendMessage(alice, host.general, 'thread start');
    await host.runSlashCommand(alice, host.general, '/hello in thread', { threadId: parent.id });
    assert.equal(host.messages(host.general.id).at(-1)?.threadId, parent.id);

    await host.runSlashCommand(alice, host.general, '/hello later "x y"');
    await host.waitFor(() => host.messages(host.general.id).some((m) => m.text === 'later: x y'), 5000);
  });

  await t.test('the app logged its work and hit no host gap', () => {
    assert.ok(host.appLogs().length > 0);
    assert.deepEqual(host.appErrors(), []);
    assert.deepEqual(host.gaps, []);
  });
}

test('hosts can start and stop in sequence in one process', async () => {
  const zip2 = path.join(root, 'dist', 'hello.zip');
  for (let i = 0; i < 2; i++) {
    const host = await startHost({ appZip: zip2, expect });
    const r = await host.runSlashCommand(host.admin, host.general, `/hello round ${i}`);
    assert.ok(r.ms >= 0);
    assert.equal(host.messages(host.general.id).at(-1)?.text, `hello round ${i}`);
    await host.stop();
  }
});
