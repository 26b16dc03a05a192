import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { startHost } from '../../dev/host';
import type { WorkspaceHost } from '../../dev/host';

const root = path.resolve(__dirname, '../..');
const zip = path.join(root, 'dist', 'probe.zip');

/** Runs `/probe <line>` as the user and returns what the app told them (`<op> ok …` / `<op> failed: …`). */
async function probe(host: WorkspaceHost, user: IUser, room: IRoom, line: string, threadId?: string) {
  const result = await host.runSlashCommand(user, room, `/probe ${line}`, { threadId });
  const told = result.ephemeral.map((m) => m.text ?? '').at(-1) ?? '';
  return { result, told };
}

// @types/node 16 has no before/after hooks: one test owns the host, its steps are subtests
test("the host enforces Rocket.Chat's rules on what an app does", async (t) => {
  execFileSync(process.execPath, ['scripts/package.mjs', '--app', 'test/fixtures/probe-app', '--out', zip], {
    cwd: root,
  });
  const server = http.createServer((_req, res) => res.end('hi'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = await startHost({ appZip: zip, expect: { slashCommands: ['probe'] } });
  const alice = host.addUser({ username: 'alice' });
  try {
    await ssrf(t, host, alice, port);
    await uploads(t, host, alice);
    await messages(t, host, alice);
    await triggerIds(t, host, alice);
    await schedulerAndPersistence(t, host, alice);
  } finally {
    await host.stop();
    server.close();
  }
});

async function ssrf(t: TestContext, host: WorkspaceHost, alice: IUser, port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/`;
  await t.test(
    'an HTTP call to loopback fails with error-ssrf-validation-failed until the admin allowlists it',
    async () => {
      assert.equal(
        (await probe(host, alice, host.general, `http ${url}`)).told,
        'http failed: error-ssrf-validation-failed',
      );
      assert.equal(host.bridges.http.calls.at(-1)?.refused, 'error-ssrf-validation-failed');
      host.setServerSetting('SSRF_Allowlist', `example.org\n127.0.0.1:${port}`);
      assert.equal((await probe(host, alice, host.general, `http ${url}`)).told, 'http ok status 200');
      host.setServerSetting('SSRF_Allowlist', '');
    },
  );
  await t.test(
    "in app-opt-in mode only calls that ask for ssrfValidation are checked (the bridge's own rule)",
    async () => {
      host.setRules({ ssrf: 'app-opt-in' });
      assert.equal((await probe(host, alice, host.general, `http ${url}`)).told, 'http ok status 200');
      assert.match((await probe(host, alice, host.general, `http ${url} optin`)).told, /error-ssrf-validation-failed/);
      host.setRules({ ssrf: 'always' });
    },
  );
}

async function uploads(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  await t.test(
    'uploadBuffer meets FileUpload_Enabled, uploads in DMs, the size limit and the media-type lists',
    async () => {
      const upload = (line: string) => probe(host, alice, host.general, `upload ${line}`).then((r) => r.told);
      assert.match(await upload('a.txt 10'), /^upload ok /);
      assert.equal(await upload('logo.svg 10'), 'upload failed: File type is not accepted. [error-invalid-file-type]');
      host.setServerSetting('FileUpload_MaxFileSize', 1048576);
      assert.equal(
        await upload('big.bin 1048577'),
        'upload failed: File size exceeds upload limit of 1 MB. [error-file-too-large]',
      );
      host.setServerSetting('FileUpload_MediaTypeWhiteList', 'image/*');
      assert.equal(await upload('a.txt 10'), 'upload failed: File type is not accepted. [error-invalid-file-type]');
      assert.match(await upload('a.png 10'), /^upload ok /);
      host.setServerSetting('FileUpload_MediaTypeWhiteList', '');
      host.setServerSetting('FileUpload_Enabled_Direct', false);
      assert.equal(
        await upload('a.txt 10 dm'),
        'upload failed: File sharing not allowed in direct messages. [error-direct-message-file-upload-not-allowed]',
      );
      host.setServerSetting('FileUpload_Enabled', false);
      assert.equal(await upload('a.txt 10'), 'upload failed: File uploads are disabled. [error-file-upload-disabled]');
      host.setServerSetting('FileUpload_Enabled', true);
      host.setServerSetting('FileUpload_Enabled_Direct', true);
    },
  );
  await t.test(
    'an end-to-end encrypted upload reads as ciphertext, a federated one never finishes reading',
    async () => {
      const plain = Buffer.from('secret words');
      const e2ee = host.uploadFile(alice, host.general, { name: 's.txt', bytes: plain }, { e2ee: true });
      const { told } = await probe(host, alice, host.general, `read ${e2ee.file?._id}`);
      assert.match(told, /^read ok 12 /);
      assert.notEqual(told, `read ok 12 ${plain.toString('hex')}`, 'not the plaintext');
      const federated = host.uploadFile(alice, host.general, { name: 'f.txt', bytes: plain }, { federated: true });
      const pending = probe(host, alice, host.general, `read ${federated.file?._id}`).catch(() => 'gave up');
      await host.waitFor(() => host.bridges.uploads.hangingReads.includes(federated.file?._id ?? ''));
      const outcome = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still reading'), 1000))]);
      assert.equal(outcome, 'still reading');
      // the engine's 30 s call limit ends the command later; the host is stopped before it matters
    },
  );
}

async function messages(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  await t.test('a message over Message_MaxAllowedSize, or a thread reply with threads off, is refused', async () => {
    assert.match((await probe(host, alice, host.general, 'send 5000')).told, /^send ok /);
    assert.equal(
      (await probe(host, alice, host.general, 'send 5001')).told,
      'send failed: Message size exceeds Message_MaxAllowedSize [error-message-size-exceeded]',
    );
    const parent = host.sendMessage(alice, host.general, 'parent');
    assert.match((await probe(host, alice, host.general, 'send 3', parent.id)).told, /^send ok /);
    host.setServerSetting('Threads_enabled', false);
    assert.equal(
      (await probe(host, alice, host.general, 'send 3', parent.id)).told,
      'send failed: not-allowed [error-not-allowed]',
    );
    host.setServerSetting('Threads_enabled', true);
  });
  await t.test('the bot posts in a read-only room only with post-readonly, and not while muted', async () => {
    const announcements = host.addRoom({ name: 'announcements', members: [host.admin, alice], readOnly: true });
    assert.equal(
      (await probe(host, alice, announcements, 'send 3')).told,
      "send failed: You can't send messages because the room is readonly.",
    );
    host.setPermissionRoles('post-readonly', ['admin', 'owner', 'moderator', 'app']);
    assert.match((await probe(host, alice, announcements, 'send 3')).told, /^send ok /);
    assert.match((await probe(host, alice, announcements, 'upload a.txt 3')).told, /^upload ok /);
    const muted = host.addRoom({ name: 'muted', members: [alice], muted: [host.appUser.username] });
    assert.equal((await probe(host, alice, muted, 'send 3')).told, 'send failed: You_have_been_muted');
  });
  await t.test(
    "the bot's plaintext is refused in an end-to-end encrypted room and an encrypted-by-default DM",
    async () => {
      host.setServerSetting('E2E_Enable', true);
      const secret = host.addRoom({ name: 'secret', type: RoomType.PRIVATE_GROUP, members: [alice], encrypted: true });
      const refused = 'Not allowed to send un-encrypted messages in an encrypted room [error-not-allowed]';
      assert.equal((await probe(host, alice, secret, 'send 3')).told, `send failed: ${refused}`);
      const before = host.uploads().length;
      assert.equal((await probe(host, alice, secret, 'upload a.txt 3')).told, `upload failed: ${refused}`);
      assert.equal(host.uploads().length, before + 1, 'the file was stored before its message was refused');
      host.setServerSetting('E2E_Enabled_Default_DirectRooms', true);
      const bob = host.addUser({ username: 'bob' });
      assert.match((await probe(host, bob, host.general, 'dm')).told, /^dm ok \w+ encrypted=true$/);
      assert.equal((await probe(host, bob, host.general, 'send 3 dm')).told, `send failed: ${refused}`);
      host.setServerSetting('E2E_Enable', false);
    },
  );
  await t.test('the bot creates a DM only while its role holds create-d', async () => {
    const carol = host.addUser({ username: 'carol' });
    host.setPermissionRoles('create-d', ['admin', 'user']);
    assert.equal((await probe(host, carol, host.general, 'dm')).told, 'dm failed: Not allowed [error-not-allowed]');
    host.setPermissionRoles('create-d', ['admin', 'user', 'bot', 'app']);
    assert.match((await probe(host, carol, host.general, 'dm')).told, /^dm ok /);
  });
}

async function triggerIds(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  await t.test('a triggerId opens one view; a second open with it is dropped and recorded', async () => {
    const { result, told } = await probe(host, alice, host.general, 'open-twice');
    assert.equal(told, 'open-twice ok opened twice', 'the app cannot tell');
    assert.equal(result.opened.length, 1);
    assert.deepEqual(
      result.dropped.map((d) => [d.type, d.reason, d.triggerId]),
      [['modal.open', 'used', result.triggerId]],
    );
  });
  await t.test('an open more than 5 s after the interaction is dropped as expired', async () => {
    const { result } = await probe(host, alice, host.general, 'open-late');
    assert.equal(result.opened.length, 0);
    assert.deepEqual(
      result.dropped.map((d) => d.reason),
      ['expired'],
    );
  });
  await t.test('errors answered after an update used the triggerId are dropped, and the modal closes', async () => {
    const { result } = await probe(host, alice, host.general, 'modal');
    const viewId = result.opened[0].id;
    const submitted = await host.submitViewValues(alice, viewId, { answer: 'update-then-errors' });
    assert.equal(submitted.updated.length, 1, 'the pushed update was applied');
    assert.deepEqual(submitted.errors, {}, 'the errors never reached the modal');
    assert.deepEqual(
      submitted.dropped.map((d) => [d.type, d.reason]),
      [['errors', 'used']],
    );
    assert.deepEqual(submitted.closed, [viewId]);
  });
  await t.test('errors answered after the 5 s client timeout are dropped, and the modal closes', async () => {
    const { result } = await probe(host, alice, host.general, 'modal');
    const viewId = result.opened[0].id;
    const submitted = await host.submitViewValues(alice, viewId, { answer: 'late-errors' });
    assert.deepEqual(submitted.errors, {});
    assert.deepEqual(
      submitted.dropped.map((d) => [d.type, d.reason]),
      [['errors', 'client timeout']],
    );
    assert.deepEqual(submitted.closed, [viewId]);
  });
  await t.test('errors answered in time reach the modal, which stays open', async () => {
    const { result } = await probe(host, alice, host.general, 'modal');
    const submitted = await host.submitViewValues(alice, result.opened[0].id, { answer: 'plain' });
    assert.deepEqual(submitted.errors, { answer: 'wrong' });
    assert.deepEqual(submitted.closed, []);
  });
}

async function schedulerAndPersistence(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  await t.test('a job cancelled by the id scheduleOnce returned never runs', async () => {
    const room = host.addRoom({ name: 'jobs', members: [alice] });
    const scheduled = (await probe(host, alice, room, 'schedule')).told;
    const jobId = /^schedule ok (\w+)$/.exec(scheduled)?.[1];
    assert.ok(jobId, scheduled);
    assert.equal((await probe(host, alice, room, `cancel ${jobId}`)).told, 'cancel ok cancelled');
    assert.equal(host.bridges.scheduler.jobs.size, 0);
    await host.advanceClock(2 * 3600_000);
    assert.equal(host.messages(room.id).length, 0, 'no "job ran" message');
    // an uncancelled job does run: the check above is not vacuous
    await probe(host, alice, room, 'schedule');
    await host.advanceClock(2 * 3600_000);
    await host.waitFor(() => host.messages(room.id).some((m) => m.text === 'job ran'));
  });
  await t.test('removeByAssociations removes every match, or one of them, as the host is set', async () => {
    const strict = host.ws.rules.persistenceRemoval;
    assert.equal(strict, 'one', "strict by default: the newer servers' deleteOne");
    assert.equal((await probe(host, alice, host.general, 'persist')).told, 'persist ok removed=2 left=1');
    host.setRules({ persistenceRemoval: 'all' });
    assert.equal((await probe(host, alice, host.general, 'persist')).told, 'persist ok removed=2 left=0');
    host.setRules({ persistenceRemoval: strict });
  });
}
