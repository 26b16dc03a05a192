import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { WorkspaceHost } from '../../dev/host';
import { allowlistEntryFor } from '../../dev/host/http/ssrf';
import { decryptWithPassword } from '../../src/crypto';
import { EntryStatus, type ArchiveEntry } from '../../src/archive/entries';
import { archiveEntries } from '../support/archiveEntries';
import { startFaultyProxy } from '../support/faultyProxy';
import { retrieveWithKey, seen, startAppWorkspace, waitToBeTold, type AppWorkspace } from '../support/appWorkspace';

const PASSWORD = 'archive-pass-2026';

type Entry = ArchiveEntry;

function entries(host: WorkspaceHost): Entry[] {
  return archiveEntries(host);
}

async function archived(host: WorkspaceHost, name: string, timeoutMs = 90_000): Promise<Entry> {
  return host.waitFor(
    () => entries(host).find((e) => e.name === name && e.status === EntryStatus.Archived && e.messageId),
    timeoutMs,
  );
}

/** The object on the IPFS node, opened with the archive password by the format's own decryptor. */
async function openOnNode(ws: AppWorkspace, cid: string): Promise<{ name: string; plaintext: Uint8Array }> {
  const object = await ws.ipfs.cat(cid);
  const { metadata, plaintext } = decryptWithPassword(object, PASSWORD);
  return { name: metadata.name, plaintext };
}

test('archive mode: every upload of an opted-in room is on IPFS, encrypted with the room password', async (t) => {
  const ws = await startAppWorkspace({ appSettings: { archive_mode: 'opt_in' } });
  const { host } = ws;
  const alice = host.addUser({ username: 'alice' });
  const bob = host.addUser({ username: 'bob' });
  const carol = host.addUser({ username: 'carol' });
  const team = host.addRoom({ name: 'team', type: 'p' as IRoom['type'], members: [alice, bob], creator: alice });
  try {
    await steps(t, ws, { alice, bob, carol, team });
  } finally {
    await ws.stop();
  }
});

async function steps(
  t: TestContext,
  ws: AppWorkspace,
  { alice, bob, carol, team }: { alice: IUser; bob: IUser; carol: IUser; team: IRoom },
): Promise<void> {
  const { host } = ws;
  const small = Buffer.from('minutes of the meeting\n'.repeat(200));

  await t.test('a member who is no owner or moderator is refused clearly', async () => {
    const r = await host.runSlashCommand(bob, team, '/ipfs archive on');
    assert.equal(r.opened.length, 0);
    await waitToBeTold(host, bob, /Only owners and moderators/);
  });

  await t.test('the owner turns archiving on through the form (password twice)', async () => {
    const r = await host.runSlashCommand(alice, team, '/ipfs archive on');
    assert.equal(r.opened.length, 1, seen(host, alice).join(' | '));
    const mismatch = await host.submitViewValues(alice, r.opened[0].id, {
      ipfs_password: PASSWORD,
      ipfs_password_confirm: 'something else',
    });
    assert.ok(mismatch.errors.ipfs_password_confirm);
    const done = await host.submitViewValues(alice, r.opened[0].id, {
      ipfs_password: PASSWORD,
      ipfs_password_confirm: PASSWORD,
    });
    assert.deepEqual(done.errors, {});
    await waitToBeTold(host, alice, /Archiving is on/);
    assert.ok(
      !JSON.stringify(host.persistenceDump()).includes(PASSWORD),
      'the password is kept sealed, never in clear',
    );
  });

  await t.test(
    'an upload is archived in the background; the object opens with the password outside the app',
    async () => {
      const trace = await host.upload(bob, team, { name: 'minutes.txt', bytes: small });
      const hookMs = trace.steps.find((s) => s.step === 'IPreFileUpload');
      assert.ok(hookMs && 'ms' in hookMs && hookMs.ms < 1000, `the hook returned quickly (${JSON.stringify(hookMs)})`);
      const entry = await archived(host, 'minutes.txt');
      assert.equal(entry.messageId, trace.message?.id, 'linked to its file message');
      const opened = await openOnNode(ws, entry.cid ?? '');
      assert.equal(opened.name, 'minutes.txt');
      assert.deepEqual(Buffer.from(opened.plaintext), small);
    },
  );

  await t.test("an image is archived, the server's thumbnail is not", async () => {
    await host.upload(bob, team, { name: 'cat.png', bytes: randomBytes(50_000) });
    await archived(host, 'cat.png');
    assert.ok(!entries(host).some((e) => e.name === 'thumb-cat.png'));
  });

  await t.test('a file past 32 MiB is archived too, and opens with the password', async () => {
    const big = randomBytes(33 * 1024 * 1024 + 123);
    await host.upload(bob, team, { name: 'big.bin', bytes: big });
    const entry = await archived(host, 'big.bin', 110_000);
    const opened = await openOnNode(ws, entry.cid ?? '');
    assert.ok(Buffer.from(opened.plaintext).equals(big));
  });

  await t.test('a member gets an archived file back without the password; a non-member is refused', async () => {
    const entry = entries(host).find((e) => e.name === 'minutes.txt');
    const cid = entry?.cid ?? '';
    const got = await retrieveWithKey(host, alice, team, cid);
    assert.deepEqual(got.bytes, small);
    const before = host.uploads().length;
    await host.runSlashCommand(carol, host.general, `/ipfs get ${cid}`);
    await waitToBeTold(host, carol, /❌|not|may/);
    assert.equal(host.uploads().length, before, 'nothing delivered to a non-member');
  });

  await t.test('the uploader owns the archived object; /ipfs list shows the room archive', async () => {
    const cid = entries(host).find((e) => e.name === 'minutes.txt')?.cid;
    assert.ok(
      host.persistenceDump().some((r) => {
        const d = r.data as { ownerId?: string; cid?: string; version?: number };
        return d.ownerId === bob.id && d.cid === cid && d.version === 1;
      }),
      "a version in bob's directory",
    );
    await host.runSlashCommand(alice, team, '/ipfs list');
    await waitToBeTold(host, alice, /This room's archive \(3\)/);
  });

  await t.test('a job cut off by a restart is retried from the chat copy; status counts it', async () => {
    // The provider is held (a proxy in front of the node keeps every block upload unanswered), so the job is
    // provably still running when the process is killed: no race with a fast job.
    const proxy = await startFaultyProxy(ws.node.apiUrl, { holdUploadsAfter: 0 });
    host.setServerSetting('SSRF_Allowlist', [ws.node.apiUrl, proxy.url].map(allowlistEntryFor).join(','));
    await host.setAppSetting('ipfs_api_url', proxy.url);
    try {
      const trace = await host.upload(bob, team, { name: 'cut.bin', bytes: randomBytes(8 * 1024 * 1024) });
      await trace.postMessageSent; // linked to its message, so the chat copy can be found again
      await host.waitFor(() => entries(host).find((e) => e.name === 'cut.bin' && e.messageId));
      await host.waitFor(() => proxy.seen.some((request) => request.fault === 'held'));
      assert.equal(
        entries(host).find((e) => e.name === 'cut.bin')?.status,
        EntryStatus.Pending,
        'held at the provider',
      );
      await host.restartAppProcess();
      proxy.setFaults({}); // the provider answers again: the new process retries from the chat copy
      await archived(host, 'cut.bin', 100_000).catch((error: unknown) => {
        throw new Error(`${String(error)}: ${JSON.stringify(entries(host).filter((e) => e.name === 'cut.bin'))}`);
      });
    } finally {
      await host.setAppSetting('ipfs_api_url', ws.node.apiUrl);
      proxy.setFaults({});
      await proxy.close();
    }
    await host.runSlashCommand(alice, team, '/ipfs archive status');
    await waitToBeTold(host, alice, /Archived: 4 · pending: 0 · not archived: 0/);
  });
}
