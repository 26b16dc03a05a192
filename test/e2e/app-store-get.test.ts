import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { computeUnixfsCid } from '../../src/ipfs/unixfs';
import { cidEquals, parseCid } from '../../src/ipfs/cid';
import { referenceDecrypt } from '../../test/support/referenceDecrypt';
import {
  lastFileMessage,
  retrieveThroughCommand,
  seen,
  startAppWorkspace,
  storeThroughCommand,
  retrieveWithKey,
  submitPutModal,
  type AppWorkspace,
} from '../support/appWorkspace';
import { assertNoSecrets, workspaceTraces } from '../support/secrets';

/** Readable text whose every 16-byte window is distinct, so a leak of any part of it can be found. */
function memo(size: number): Buffer {
  const text = Array.from(
    { length: Math.ceil(size / 24) + 1 },
    (_, i) => `memo line ${String(i).padStart(8, '0')};\n`,
  ).join('');
  return Buffer.from(text.slice(0, size), 'latin1');
}

const PASSWORD = 'violet-Harbor-42-lantern';

// One workspace (IPFS node + engine host) for the whole file; each behaviour is a subtest.
test('store and get through the real engine, its Deno runtime and a local IPFS node', async (t) => {
  const workspace = await startAppWorkspace();
  try {
    await flows(t, workspace);
  } finally {
    await workspace.stop();
  }
});

async function flows(t: TestContext, { host, ipfs }: AppWorkspace): Promise<void> {
  const alice = host.addUser({ username: 'alice' });
  const bob = host.addUser({ username: 'bob' });
  const plaintexts: Buffer[] = [];
  const objects: Record<string, Uint8Array> = {};

  await t.test('/ipfs put, then /ipfs get with the password gives back the identical file in a DM', async () => {
    const bytes = memo(200_000);
    plaintexts.push(bytes);
    host.uploadFile(alice, host.general, { name: 'quarterly-secret-plan.txt', type: 'text/plain', bytes });
    const { cid, modalMs } = await storeThroughCommand(host, alice, host.general, PASSWORD);
    assert.ok(modalMs < 1000, `put modal answered in ${modalMs} ms`);
    const told = seen(host, alice).join('\n');
    assert.match(told, /Storing `quarterly-secret-plan\.txt`/);
    const progressRoom = [...host.ws.rooms.values()].find(
      (room) =>
        String(room.type) === 'd' && room.usernames.includes('alice') && room.usernames.includes('ipfs-storage.bot'),
    );
    // the DM's last edit is written by the app's process and may land after the user was told: wait for it
    const done = new RegExp(`^✅ \`quarterly-secret-plan\\.txt\`.*${cid}`, 's');
    await host.waitFor(() => done.test(host.messages(progressRoom?.id ?? '').at(-1)?.text ?? ''), 30_000);
    assert.ok(told.includes(`/ipfs get ${cid}`), 'the user is told the exact command to get it back');

    // bob has no key: he needs the password, and the file comes to his DM with the app
    const got = await retrieveThroughCommand(host, bob, host.general, cid, PASSWORD);
    assert.ok(got.bytes.equals(bytes), 'byte-identical');
    assert.equal(got.name, 'quarterly-secret-plan.txt');
    const dm = host.ws.rooms.get(got.roomId);
    assert.equal(dm?.type, 'd', 'delivered in a direct message');
    assert.ok(got.modalMs < 5000, `get modal answered in ${got.modalMs} ms`);

    const object = await ipfs.cat(cid);
    objects[`IPFS object ${cid}`] = object;
    assert.ok(cidEquals(parseCid(cid), computeUnixfsCid(object)), "the provider's CID is the locally computed one");
    const decrypted = referenceDecrypt(object, PASSWORD);
    assert.ok(Buffer.from(decrypted.plaintext).equals(bytes), 'decrypts with the procedure in docs/FORMAT.md');
    assert.equal(decrypted.metadata.name, 'quarterly-secret-plan.txt');
  });

  await t.test('the CID is posted as a thread reply to the file message', async () => {
    const fileMessage = lastFileMessage(host, host.general);
    const replies = await host.waitFor(() => {
      const found = host.messages(host.general.id).filter((m) => m.threadId === fileMessage.id);
      return found.length > 0 && found;
    });
    assert.equal(replies.length, 1);
    assert.match(replies[0].text ?? '', /stored `quarterly-secret-plan\.txt`/);
    assert.equal(replies[0].sender.username, 'ipfs-storage.bot');
  });

  await t.test('"Store on IPFS" on a message stores that message\'s file, even when it is not the newest', async () => {
    const older = memo(70_000).reverse();
    plaintexts.push(older);
    const olderMessage = host.uploadFile(bob, host.general, {
      name: 'older.bin',
      type: 'application/octet-stream',
      bytes: older,
    });
    host.uploadFile(bob, host.general, { name: 'newer.bin', bytes: crypto.randomBytes(1000) });
    const clicked = await host.clickMessageAction(bob, olderMessage, 'ipfs_store_message_file');
    assert.equal(clicked.opened.length, 1, 'the put modal opens');
    const { cid } = await submitPutModal(host, bob, clicked.opened[0].id, PASSWORD);
    const got = await retrieveThroughCommand(host, alice, host.general, cid, PASSWORD);
    assert.ok(got.bytes.equals(older));
    assert.equal(got.name, 'older.bin');
    objects[`IPFS object ${cid}`] = await ipfs.cat(cid);
  });

  await t.test('"Store on IPFS" on a message without a file says so and opens nothing', async () => {
    const text = host.sendMessage(alice, host.general, 'just words');
    const clicked = await host.clickMessageAction(alice, text, 'ipfs_store_message_file');
    assert.equal(clicked.opened.length, 0);
    assert.match(clicked.ephemeral.map((m) => m.text).join(), /has no file to store/);
  });

  await t.test("in a thread, /ipfs put preselects the thread's file", async () => {
    const root = host.uploadFile(alice, host.general, { name: 'thread-root.txt', bytes: memo(5000) });
    host.uploadFile(alice, host.general, { name: 'elsewhere.txt', bytes: memo(3000) });
    const opened = await host.runSlashCommand(alice, host.general, '/ipfs put', { threadId: root.id });
    const select = JSON.stringify(opened.opened[0].blocks[0]);
    assert.match(select, /"initialValue":"[^"]+"/);
    assert.ok(select.includes(`"initialValue":"${root.file?._id}"`), 'the thread root file is preselected');
    await host.closeView(alice, opened.opened[0].id);
  });

  await t.test('two users with modals open at once each store their own file', async () => {
    const aliceFile = memo(40_000);
    const bobFile = Buffer.from(memo(41_000).toString('latin1').toUpperCase(), 'latin1');
    plaintexts.push(aliceFile, bobFile);
    const aliceMessage = host.uploadFile(alice, host.general, { name: 'alice.txt', bytes: aliceFile });
    const bobMessage = host.uploadFile(bob, host.general, { name: 'bob.txt', bytes: bobFile });
    const aliceModal = await host.clickMessageAction(alice, aliceMessage, 'ipfs_store_message_file');
    const bobModal = await host.clickMessageAction(bob, bobMessage, 'ipfs_store_message_file');
    const [bobStored, aliceStored] = await Promise.all([
      submitPutModal(host, bob, bobModal.opened[0].id, 'bob-password-1'),
      submitPutModal(host, alice, aliceModal.opened[0].id, 'alice-password-1'),
    ]);
    const aliceBack = await retrieveThroughCommand(host, bob, host.general, aliceStored.cid, 'alice-password-1');
    const bobBack = await retrieveThroughCommand(host, alice, host.general, bobStored.cid, 'bob-password-1');
    assert.ok(aliceBack.bytes.equals(aliceFile) && aliceBack.name === 'alice.txt');
    assert.ok(bobBack.bytes.equals(bobFile) && bobBack.name === 'bob.txt');
  });

  await t.test("/ipfs list opens the user's own directory, newest first", async () => {
    const listed = await host.runSlashCommand(alice, host.general, '/ipfs list');
    assert.equal(listed.opened.length, 1, 'a contextual bar opens');
    assert.equal(listed.opened[0].type, 'contextualBar');
    const text = JSON.stringify(listed.opened[0].blocks);
    assert.match(text, /2 files/);
    assert.ok(text.indexOf('alice.txt') < text.indexOf('quarterly-secret-plan.txt'), 'newest first');
    assert.ok(!text.includes('bob.txt') && !text.includes('older.bin'));
    await host.closeView(alice, listed.opened[0].id);
  });

  await t.test('a 20 MB file: the modal still answers in under a second, and the file comes back whole', async () => {
    const big = crypto.randomBytes(20 * 1000 * 1000);
    host.uploadFile(alice, host.general, { name: 'big.bin', bytes: big });
    const { cid, modalMs } = await storeThroughCommand(host, alice, host.general, PASSWORD);
    assert.ok(modalMs < 1000, `put modal answered in ${modalMs} ms`);
    const got = await retrieveThroughCommand(host, bob, host.general, cid, PASSWORD);
    assert.ok(got.modalMs < 5000, `get modal answered in ${got.modalMs} ms`);
    assert.ok(got.bytes.equals(big));
    const own = await retrieveWithKey(host, alice, host.general, 'big.bin');
    assert.ok(own.bytes.equals(big), 'the owner gets it by name, without the password');
  });

  await t.test('no password and no plaintext run of 16 bytes in logs, persistence, messages or on IPFS', () => {
    const passwords = [PASSWORD, 'alice-password-1', 'bob-password-1'];
    // logs, persistence and every message (room, thread, DM, ephemeral); delivered files are the point, not traces
    const traces = workspaceTraces(host, [alice, bob]);
    assertNoSecrets({ 'workspace traces': traces, ...objects }, { passwords, plaintexts });
    for (const object of Object.values(objects)) {
      assert.ok(!Buffer.from(object).includes('quarterly-secret-plan'), 'the file name is not on IPFS');
    }
    assert.deepEqual(host.appErrors(), []);
  });

  await t.test('every form submitted or closed left no context behind', () => {
    const contexts = host
      .persistenceDump()
      .filter((record) => record.associations?.some((a) => a.id === 'ipfs-view-context'));
    assert.deepEqual(contexts, []);
  });
}
