import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { WorkspaceHost } from '../../dev/host';
import { allowlistEntryFor } from '../../dev/host/http/ssrf';
import { EntryStatus, type ArchiveEntry } from '../../src/archive/entries';
import { MAX_BYTES_HELD } from '../../src/archive/queue';
import { decryptWithPassword } from '../../src/crypto';
import { archiveEntries } from '../support/archiveEntries';
import { startFaultyProxy } from '../support/faultyProxy';
import { seen, startAppWorkspace, waitToBeTold, type AppWorkspace } from '../support/appWorkspace';

const ROOM_PASSWORD = 'room-archive-pass-7';
const DEFAULT_PASSWORD = 'workspace-default-pass-9';
const MiB = 1024 * 1024;

function entry(host: WorkspaceHost, name: string): ArchiveEntry | undefined {
  return archiveEntries(host).find((e) => e.name === name);
}

function archivedEntry(host: WorkspaceHost, name: string, timeoutMs = 60_000): Promise<ArchiveEntry> {
  return host.waitFor(() => {
    const e = entry(host, name);
    return e?.status === EntryStatus.Archived && e.messageId ? e : undefined;
  }, timeoutMs);
}

async function opensWith(ws: AppWorkspace, cid: string, password: string, bytes: Buffer): Promise<void> {
  const { plaintext } = decryptWithPassword(await ws.ipfs.cat(cid), password);
  assert.ok(Buffer.from(plaintext).equals(bytes), 'the object on the node opens with the password');
}

/** Answers the form the command opened with the password twice. */
async function submitPasswordForm(host: WorkspaceHost, user: IUser, viewId: string, password: string): Promise<void> {
  const done = await host.submitViewValues(user, viewId, { ipfs_password: password, ipfs_password_confirm: password });
  assert.deepEqual(done.errors, {});
}

test('archive paths: notices, the queue refusing to hold, turning off, and the default password', async (t) => {
  const ws = await startAppWorkspace({
    appSettings: { archive_mode: 'opt_in', archive_notice: 'thread' },
    // the fill files below are bigger than Rocket.Chat's default 100 MB upload limit allows together, not each
    serverSettings: { FileUpload_MaxFileSize: -1 },
  });
  const { host } = ws;
  const alice = host.addUser({ username: 'alice' });
  const bob = host.addUser({ username: 'bob' });
  const team = host.addRoom({ name: 'team', type: 'p' as IRoom['type'], members: [alice, bob], creator: alice });
  try {
    await steps(t, ws, { alice, bob, team });
  } finally {
    await ws.stop();
  }
});

async function steps(
  t: TestContext,
  ws: AppWorkspace,
  { alice, bob, team }: { alice: IUser; bob: IUser; team: IRoom },
): Promise<void> {
  const { host } = ws;

  await t.test('with the thread-reply notice, each archived file gets a reply in its thread', async () => {
    const r = await host.runSlashCommand(alice, team, '/ipfs archive on');
    assert.equal(r.opened.length, 1, seen(host, alice).join(' | '));
    await submitPasswordForm(host, alice, r.opened[0].id, ROOM_PASSWORD);
    const first = await host.upload(bob, team, { name: 'one.txt', bytes: Buffer.from('first file\n') });
    const second = await host.upload(bob, team, { name: 'two.txt', bytes: Buffer.from('second file\n') });
    for (const [trace, name] of [
      [first, 'one.txt'],
      [second, 'two.txt'],
    ] as const) {
      const archived = await archivedEntry(host, name);
      const reply = await host.waitFor(() =>
        host.messages(team.id).find((m) => m.threadId === trace.message?.id && m.text?.includes('archived on IPFS')),
      );
      assert.ok(reply.text?.includes(archived.cid ?? '-'), 'the reply names the CID');
    }
  });

  await t.test('an upload the queue cannot hold waits, then is archived from the chat copy', async () => {
    // The provider stalls (a proxy holds every block upload), so held jobs keep their bytes; three uploads fill
    // the queue's byte cap exactly, and the next upload cannot be held.
    const proxy = await startFaultyProxy(ws.node.apiUrl, { holdUploadsAfter: 0 });
    host.setServerSetting('SSRF_Allowlist', [ws.node.apiUrl, proxy.url].map(allowlistEntryFor).join(','));
    await host.setAppSetting('ipfs_api_url', proxy.url);
    try {
      const fill = [90_000_000, 90_000_000, MAX_BYTES_HELD - 180_000_000];
      for (const [i, size] of fill.entries()) {
        await host.upload(bob, team, { name: `fill-${i}.bin`, bytes: Buffer.alloc(size, i + 1) });
      }
      await host.waitFor(() => proxy.seen.some((request) => request.fault === 'held'));
      const late = randomBytes(64 * 1024);
      const lateTrace = await host.upload(bob, team, { name: 'late.bin', bytes: late });
      await lateTrace.postMessageSent;
      await host.waitFor(() => entry(host, 'late.bin')?.waiting);
      // too big to read back from the chat (over the 20 MiB limit): failed with a reason, never silently missing
      await (
        await host.upload(bob, team, { name: 'late-big.bin', bytes: Buffer.alloc(25 * MiB, 7) })
      ).postMessageSent;
      await host.waitFor(() => entry(host, 'late-big.bin')?.status === EntryStatus.Failed);
      await host.runSlashCommand(alice, team, '/ipfs archive status');
      const told = await waitToBeTold(host, alice, /waiting for room in the archive queue/);
      assert.match(told, /late-big\.bin.*bigger than the largest file the app can read back/);
      // the held jobs end with their process (the queue is empty again); the waiting upload goes on from the chat
      await host.restartAppProcess();
      proxy.setFaults({});
      const archived = await archivedEntry(host, 'late.bin', 60_000);
      await opensWith(ws, archived.cid ?? '', ROOM_PASSWORD, late);
    } finally {
      await host.setAppSetting('ipfs_api_url', ws.node.apiUrl);
      proxy.setFaults({});
      await proxy.close();
    }
  });

  await t.test('archive off: the next upload is not archived, and status says so', async () => {
    await host.runSlashCommand(alice, team, '/ipfs archive off');
    await waitToBeTold(host, alice, /Archiving is off for this room/);
    const trace = await host.upload(bob, team, { name: 'after-off.txt', bytes: Buffer.from('not archived\n') });
    await trace.postMessageSent; // the hook and the link both ran: neither wrote an entry
    assert.equal(entry(host, 'after-off.txt'), undefined);
    await host.runSlashCommand(alice, team, '/ipfs archive status');
    await waitToBeTold(host, alice, /This room does not archive its uploads/);
  });

  await t.test('every room: only an admin sets the default password, and rooms without their own use it', async () => {
    await host.setAppSetting('archive_mode', 'every');
    const refused = await host.runSlashCommand(bob, host.general, '/ipfs archive default');
    assert.equal(refused.opened.length, 0);
    await waitToBeTold(host, bob, /Only workspace administrators/);
    const before = await host.upload(bob, host.general, { name: 'no-password.txt', bytes: Buffer.from('x') });
    await before.postMessageSent;
    assert.equal(entry(host, 'no-password.txt')?.status, EntryStatus.Failed);
    const r = await host.runSlashCommand(host.admin, host.general, '/ipfs archive default');
    assert.equal(r.opened.length, 1, seen(host, host.admin).join(' | '));
    await submitPasswordForm(host, host.admin, r.opened[0].id, DEFAULT_PASSWORD);
    await waitToBeTold(host, host.admin, /default archive password is set/);
    assert.ok(!JSON.stringify(host.persistenceDump()).includes(DEFAULT_PASSWORD), 'sealed, never in clear');
    const bytes = Buffer.from('archived with the workspace default\n');
    await host.upload(bob, host.general, { name: 'with-default.txt', bytes });
    const archived = await archivedEntry(host, 'with-default.txt');
    await opensWith(ws, archived.cid ?? '', DEFAULT_PASSWORD, bytes);
    await host.runSlashCommand(bob, host.general, '/ipfs archive status');
    const told = await waitToBeTold(host, bob, /workspace's default archive password/);
    assert.match(told, /no-password\.txt.*workspace admins: `\/ipfs archive default`/);
  });
}
