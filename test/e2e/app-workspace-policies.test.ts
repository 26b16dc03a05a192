import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { RoomType, type IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUpload } from '@rocket.chat/apps-engine/definition/uploads';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { WorkspaceHost } from '../../dev/host';
import { seen, startAppWorkspace, storeThroughCommand, waitToBeTold } from '../support/appWorkspace';

const PASSWORD = 'amber-Quarry-97-ladder';

/** Rocket.Chat's values for every setting a test here changes; each test puts back what it changed. */
const DEFAULTS: Record<string, unknown> = {
  FileUpload_Enabled: true,
  FileUpload_Enabled_Direct: true,
  FileUpload_MaxFileSize: 104_857_600,
  FileUpload_MediaTypeBlackList: 'image/svg+xml',
  FileUpload_MediaTypeWhiteList: '',
  Threads_enabled: true,
  Message_MaxAllowedSize: 5000,
  E2E_Enable: false,
  E2E_Allow_Unencrypted_Messages: false,
  E2E_Enabled_Default_DirectRooms: false,
};

// One workspace for the file; each behaviour is a subtest that sets the settings it needs and restores them.
test('the app checks the workspace settings first, then acts', async (t) => {
  const workspace = await startAppWorkspace({ serverSettings: DEFAULTS });
  try {
    await policies(t, workspace.host);
  } finally {
    await workspace.stop();
  }
});

/** Rocket.Chat hands apps fields its types do not name under `_unmappedProperties_`; the host's rooms keep them. */
function markRoom(room: IRoom, fields: Record<string, unknown>): void {
  Object.assign(room, { _unmappedProperties_: fields });
}

/** Makes the host's upload bridge return Rocket.Chat's extra fields (federation, E2EE content) for one upload. */
function markUpload(host: WorkspaceHost, uploadId: string, fields: Record<string, unknown>): void {
  const bridge = host.bridges.uploads;
  const original = bridge.toAppUpload.bind(bridge);
  bridge.toAppUpload = (upload) => {
    const converted = original(upload);
    return upload.id === uploadId ? ({ ...converted, _unmappedProperties_: fields } as IUpload) : converted;
  };
}

async function withSettings(host: WorkspaceHost, settings: Record<string, unknown>, run: () => Promise<void>) {
  for (const [id, value] of Object.entries(settings)) host.setServerSetting(id, value);
  try {
    await run();
  } finally {
    for (const id of Object.keys(settings)) host.setServerSetting(id, DEFAULTS[id]);
  }
}

/** Submits the get form; returns its errors and the provider calls made while it answered. */
async function submitGet(host: WorkspaceHost, user: IUser, room: IRoom, cid: string) {
  const opened = await host.runSlashCommand(user, room, `/ipfs get ${cid}`);
  assert.equal(opened.opened.length, 1, 'the get form opens');
  const callsBefore = host.bridges.http.calls.length;
  const submitted = await host.submitViewValues(user, opened.opened[0].id, { ipfs_password: PASSWORD });
  return { errors: submitted.errors, calls: host.bridges.http.calls.slice(callsBefore).map((call) => call.url) };
}

/** Only the form's probe of the object's first bytes: nothing was downloaded. */
function assertOnlyHeaderProbe(calls: string[]): void {
  assert.equal(calls.length, 1, `provider calls: ${calls.join(', ')}`);
  assert.match(calls[0], /\/api\/v0\/cat\?.*length=/);
}

/** Counts the app's reads of upload bytes (getBufferById) from now on. */
function countBufferReads(host: WorkspaceHost): { count: number } {
  const bridge = host.bridges.uploads as unknown as { getBuffer(upload: IUpload): Promise<Buffer> };
  const original = bridge.getBuffer.bind(bridge);
  const counter = { count: 0 };
  bridge.getBuffer = (upload) => {
    counter.count += 1;
    return original(upload);
  };
  return counter;
}

function botMessages(host: WorkspaceHost, room: IRoom): IMessage[] {
  return host.messages(room.id).filter((message) => message.sender.username === 'ipfs-storage.bot');
}

async function policies(t: TestContext, host: WorkspaceHost): Promise<void> {
  const alice = host.addUser({ username: 'alice' });
  // not the owner: gets through the password form
  const bob = host.addUser({ username: 'bob' });
  const carol = host.addUser({ username: 'carol', language: 'de' });
  host.uploadFile(alice, host.general, { name: 'report.txt', type: 'text/plain', bytes: Buffer.from('q3 numbers\n') });
  const { cid } = await storeThroughCommand(host, alice, host.general, PASSWORD);

  await t.test('uploads off: the form refuses before any download and names FileUpload_Enabled', async () => {
    await withSettings(host, { FileUpload_Enabled: false }, async () => {
      const uploadsBefore = host.uploads().length;
      const { errors, calls } = await submitGet(host, bob, host.general, cid);
      assert.match(errors.ipfs_cid ?? '', /FileUpload_Enabled\b/);
      assert.match(errors.ipfs_cid ?? '', /nothing was downloaded/);
      assertOnlyHeaderProbe(calls);
      assert.equal(host.uploads().length, uploadsBefore, 'nothing posted');
    });
  });

  await t.test('the default blacklist refuses an SVG everywhere, in the form, before any download', async () => {
    host.uploadFile(alice, host.general, { name: 'logo.svg', type: 'image/svg+xml', bytes: Buffer.from('<svg/>') });
    const stored = await storeThroughCommand(host, alice, host.general, PASSWORD);
    const { errors, calls } = await submitGet(host, bob, host.general, stored.cid);
    assert.match(errors.ipfs_cid ?? '', /image\/svg\+xml.*FileUpload_MediaTypeBlackList/);
    assertOnlyHeaderProbe(calls);
  });

  await t.test(
    'the owner, who needs no form: refused in chat, naming the setting, with only the header read',
    async () => {
      await withSettings(host, { FileUpload_MaxFileSize: 4 }, async () => {
        const callsBefore = host.bridges.http.calls.length;
        const uploadsBefore = host.uploads().length;
        await host.runSlashCommand(alice, host.general, `/ipfs get ${cid}`);
        const told = await waitToBeTold(host, alice, /could not be retrieved/);
        assert.match(told, /FileUpload_MaxFileSize/);
        assertOnlyHeaderProbe(host.bridges.http.calls.slice(callsBefore).map((call) => call.url));
        assert.equal(host.uploads().length, uploadsBefore);
      });
    },
  );

  await t.test('uploads in DMs off: the file goes to the room, and the user is told why', async () => {
    await withSettings(host, { FileUpload_Enabled_Direct: false }, async () => {
      const uploadsBefore = host.uploads().length;
      const { errors } = await submitGet(host, carol, host.general, cid);
      assert.deepEqual(errors, {});
      const told = await waitToBeTold(host, carol, /^✅/);
      assert.match(told, /in diesem Raum/);
      assert.ok(
        seen(host, carol).some((text) => text.includes('FileUpload_Enabled_Direct')),
        'told the setting',
      );
      const delivered = await host.waitFor(() => host.uploads()[uploadsBefore]);
      assert.equal(delivered.roomId, host.general.id);
    });
  });

  await t.test('new DMs encrypted by default: delivered in the room, progress told, no DM created', async () => {
    const dave = host.addUser({ username: 'dave' });
    const settings = { E2E_Enable: true, E2E_Enabled_Default_DirectRooms: true };
    await withSettings(host, settings, async () => {
      const uploadsBefore = host.uploads().length;
      const { errors } = await submitGet(host, dave, host.general, cid);
      assert.deepEqual(errors, {});
      await waitToBeTold(host, dave, /^✅/);
      assert.ok(seen(host, dave).some((text) => text.includes('E2E_Enabled_Default_DirectRooms')));
      assert.equal(host.uploads()[uploadsBefore]?.roomId, host.general.id);
      const bot = host.ws.userByUsername('ipfs-storage.bot');
      assert.ok(bot);
      assert.equal(host.directRoom(dave, bot), undefined, 'the app created no direct room it cannot post in');
    });
  });

  await t.test('delivery to an encrypted room falls back to the DM', async () => {
    const vault = host.addRoom({ name: 'vault', type: RoomType.PRIVATE_GROUP, members: [bob] });
    markRoom(vault, { encrypted: true });
    await host.setAppSetting('delivery', 'room');
    try {
      await withSettings(host, { E2E_Enable: true }, async () => {
        const uploadsBefore = host.uploads().length;
        const { errors } = await submitGet(host, bob, vault, cid);
        assert.deepEqual(errors, {});
        await waitToBeTold(host, bob, /^✅ .*direct messages/);
        assert.ok(seen(host, bob).some((text) => text.includes('E2E_Allow_Unencrypted_Messages')));
        assert.notEqual(host.uploads()[uploadsBefore]?.roomId, vault.id);
      });
    } finally {
      await host.setAppSetting('delivery', 'dm');
    }
  });

  await t.test('threads off: the announce goes to the room itself instead of failing', async () => {
    await withSettings(host, { Threads_enabled: false }, async () => {
      host.uploadFile(alice, host.general, { name: 'threadless.txt', bytes: Buffer.from('no threads\n') });
      const stored = await storeThroughCommand(host, alice, host.general, PASSWORD);
      const announce = botMessages(host, host.general).find((message) => message.text?.includes(stored.cid));
      assert.ok(announce, 'announced');
      assert.equal(announce.threadId, undefined);
    });
  });

  await t.test('a read-only room: stored, the room is not told, the user is told why', async () => {
    const notices = host.addRoom({ name: 'notices', members: [alice] });
    host.uploadFile(alice, notices, { name: 'memo.txt', bytes: Buffer.from('read only\n') });
    notices.isReadOnly = true;
    const stored = await storeThroughCommand(host, alice, notices, PASSWORD);
    assert.ok(stored.cid);
    assert.equal(botMessages(host, notices).length, 0);
    await host.waitFor(() => seen(host, alice).some((text) => /not told.*`notices` is read-only/.test(text)), 10_000);
  });

  await t.test('bot messages are cut to Message_MaxAllowedSize', async () => {
    await withSettings(host, { Message_MaxAllowedSize: 60 }, async () => {
      host.uploadFile(alice, host.general, { name: 'short.txt', bytes: Buffer.from('short\n') });
      const stored = await storeThroughCommand(host, alice, host.general, PASSWORD);
      assert.ok(stored.cid);
      const longest = Math.max(
        ...botMessages(host, host.general)
          .slice(-1)
          .map((m) => m.text?.length ?? 0),
      );
      assert.ok(longest <= 60, `announce of ${longest} characters`);
    });
  });

  for (const [kind, fields, pattern] of [
    [
      'a federated',
      { federation: { type: 'matrix', mxcUri: 'mxc://remote.example/abc', isRemote: true } },
      /federation/,
    ],
    [
      'an end-to-end encrypted',
      { content: { algorithm: 'rc.v1.aes-sha2', ciphertext: 'AAAA' } },
      /end-to-end encrypted/,
    ],
  ] as const) {
    await t.test(`${kind} upload is refused by "Store on IPFS" and left out of the put form, never read`, async () => {
      const room = host.addRoom({ name: `room-${kind.length}`, members: [alice] });
      const message = host.uploadFile(alice, room, { name: 'remote.txt', bytes: Buffer.from('remote\n') });
      markUpload(host, message.file?._id ?? '', fields);
      const reads = countBufferReads(host);
      const clicked = await host.clickMessageAction(alice, message, 'ipfs_store_message_file');
      assert.equal(clicked.opened.length, 0, 'no form');
      assert.match(seen(host, alice).at(-1) ?? '', pattern);
      const put = await host.runSlashCommand(alice, room, '/ipfs put');
      assert.equal(put.opened.length, 0, 'no form: nothing readable');
      assert.match(seen(host, alice).at(-1) ?? '', /cannot read them/);
      assert.equal(reads.count, 0, 'the upload was never read');
    });
  }
}
