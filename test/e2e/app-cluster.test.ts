import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test, type TestContext } from 'node:test';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { WorkspaceHost } from '../../dev/host';
import { engineVersion, isOlderEngine } from '../../dev/host/engine';
import type { HostJob } from '../../dev/host/bridges/scheduler';
import { allowlistEntryFor } from '../../dev/host/http/ssrf';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { EntryStatus } from '../../src/archive/entries';
import { decryptWithPassword } from '../../src/crypto';
import type { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { archiveEntries } from '../support/archiveEntries';
import { retrieveWithKey, seen, startAppWorkspace, storeThroughCommand, waitToBeTold } from '../support/appWorkspace';
import { startFaultyProxy, type FaultyProxy } from '../support/faultyProxy';

// Issue #10, item 4: a Rocket.Chat cluster runs one app process per server instance over one database. Two
// instances here: `a` installed the app, `b` started it from the shared storage, each with its own AppManager
// and Deno process; users, rooms, messages, uploads, persistence, settings and scheduler jobs are shared.

const MiB = 1024 * 1024;
const HOUR = 3_600_000;
const PASSWORD = 'cobalt-Harbor-42-lantern';

test('two server instances over one database serve the same files, shares, forms and jobs', async (t) => {
  const workspace = await startAppWorkspace();
  const { host: a, node } = workspace;
  // every upload goes through a proxy that counts the provider's requests, on both instances
  const proxy = await startFaultyProxy(node.apiUrl);
  try {
    a.setServerSetting('SSRF_Allowlist', [node.apiUrl, proxy.url].map(allowlistEntryFor).join(','));
    await a.setAppSetting('ipfs_api_url', proxy.url);
    const b = await a.startInstance({
      expect: { slashCommands: ['ipfs'], actionButtons: ['ipfs_store_message_file'] },
    });
    await scenario(t, a, b, proxy);
    await archiveCutOff(t, a, workspace.ipfs, proxy);
  } finally {
    await workspace.stop(); // stops `b` first
    await proxy.close();
  }
});

async function scenario(t: TestContext, a: WorkspaceHost, b: WorkspaceHost, proxy: FaultyProxy): Promise<void> {
  const alice = a.addUser({ username: 'alice' });
  const bob = a.addUser({ username: 'bob' });
  const carol = a.addUser({ username: 'carol' });
  const report = crypto.randomBytes(2 * MiB + 123);
  let cid = '';

  await t.test('each instance runs the app in its own engine, and both grant it the same permissions', () => {
    assert.notEqual(a.manager, b.manager);
    assert.equal(AppManager.Instance, a.manager, "the engine's permission checks ask the first manager");
    assert.equal(b.appId, a.appId);
    assert.deepEqual(b.manager.getPermissionsById(b.appId), a.manager.getPermissionsById(a.appId));
    assert.notEqual(a.runtime(), b.runtime(), 'two Deno processes');
    assert.equal(b.runtime().getProcessState(), 'ready');
  });

  await t.test('what the provider refused on A is known to B: B uploads by dag/import from the start', async () => {
    a.uploadFile(alice, a.general, { name: 'report.bin', bytes: report });
    proxy.setFaults({});
    cid = (await storeThroughCommand(a, alice, a.general, PASSWORD)).cid;
    const bigBlockPuts = () => proxy.seen.filter((r) => r.command === 'block/put' && r.requestBytes > MiB);
    assert.equal(bigBlockPuts().length, 1, 'A tried one 1 MiB block by block/put, which js-ipfs refuses');
    assert.ok(proxy.seen.some((r) => r.command === 'dag/import'));

    b.uploadFile(bob, b.general, { name: 'notes.bin', bytes: crypto.randomBytes(2 * MiB) });
    proxy.setFaults({});
    await storeThroughCommand(b, bob, b.general, PASSWORD);
    assert.equal(bigBlockPuts().length, 0, 'B never tries the refused path');
    assert.ok(proxy.seen.some((r) => r.command === 'dag/import'));
  });

  await t.test('a get form opened on A is submitted on B; the owner gets the file by name on B', async () => {
    const opened = await a.runSlashCommand(bob, a.general, `/ipfs get ${cid}`);
    assert.equal(opened.opened.length, 1, 'the password form opens on A');
    const [uploads, told] = [a.uploads().length, seen(a, bob).length];
    const submitted = await b.submitViewValues(bob, opened.opened[0].id, { ipfs_password: PASSWORD });
    assert.deepEqual(submitted.errors, {}, 'B finds the view context A stored');
    const outcome = await b.waitFor(
      () =>
        seen(b, bob)
          .slice(told)
          .find((text) => /^(✅|❌)/.test(text)),
      60_000,
    );
    assert.match(outcome, /^✅/);
    assert.ok(b.uploads()[uploads].bytes.equals(report));

    assert.ok((await retrieveWithKey(b, alice, b.general, 'report.bin')).bytes.equals(report));
  });

  await t.test('a share made on A is used on B, and expires when B runs its job at the time', async () => {
    const shared = await a.runSlashCommand(alice, a.general, '/ipfs share report.bin @bob 1h');
    assert.match(shared.ephemeral.map((m) => m.text).join(), /shared with @bob until/);
    assert.ok((await retrieveWithKey(b, bob, b.general, cid)).bytes.equals(report));

    const expiry = () => expiryJobs(a)[0];
    assert.equal(expiry()?.timerOf, a.bridges.scheduler, "A's timer holds the job, an hour from now");
    await b.advanceClock(2 * HOUR); // the shared clock: B's scheduler runs what falls due
    assert.equal(expiry(), undefined, 'B ran it');
    const refused = await a.runSlashCommand(bob, a.general, `/ipfs get ${cid}`);
    assert.equal(refused.opened.length, 0);
    assert.match(refused.ephemeral.map((m) => m.text).join(), /Your access to `report\.bin` ended on/);
  });

  await t.test("unsharing on B ends a share made on A and cancels A's scheduled expiry", async () => {
    await a.runSlashCommand(alice, a.general, '/ipfs share report.bin @carol 7d');
    assert.equal(expiryJobs(a).length, 1);
    const ended = await b.runSlashCommand(alice, b.general, '/ipfs unshare report.bin @carol');
    assert.match(ended.ephemeral.map((m) => m.text).join(), /share of `report\.bin` with @carol has ended/);
    assert.equal(expiryJobs(a).length, 0, 'the job is cancelled in the shared scheduler');
    const after = await a.runSlashCommand(carol, a.general, `/ipfs get ${cid}`);
    assert.equal(after.opened.length, 1, 'carol needs the password again');
    await a.closeView(carol, after.opened[0].id);
  });

  await t.test('a removal confirmed on B, asked for on A, unpins the file', async () => {
    const opened = await a.runSlashCommand(alice, a.general, '/ipfs rm report.bin');
    assert.equal(opened.opened.length, 1, 'a confirmation form on A');
    const confirmed = await b.submitViewValues(alice, opened.opened[0].id, {});
    assert.deepEqual(confirmed.errors, {});
    await waitToBeTold(b, alice, /report\.bin`: 1 version\(s\) unpinned/);
    const gone = await a.runSlashCommand(alice, a.general, '/ipfs get report.bin');
    assert.match(gone.ephemeral.map((m) => m.text).join(), /no file called `report\.bin`/);
  });

  await t.test("a store cut off when instance B goes down is reported by A's restart check", async () => {
    b.uploadFile(carol, b.general, { name: 'cut.bin', bytes: crypto.randomBytes(4 * MiB) });
    proxy.setFaults({ holdUploadsAfter: 1 }); // the provider stalls, so B's job is surely mid-way
    const opened = await b.runSlashCommand(carol, b.general, '/ipfs put');
    await b.submitViewValues(carol, opened.opened[0].id, { ipfs_password: PASSWORD, ipfs_password_confirm: PASSWORD });
    await b.waitFor(() => proxy.seen.some((request) => request.fault === 'held'), 60_000);
    const progress = progressText(a, carol);
    await a.waitFor(() => /cut\.bin.*encrypting and uploading/.test(progress()), 30_000);

    await b.stop(); // the instance and its app process go away; the job's record stays in the database
    proxy.setFaults({});
    await a.restartAppProcess(); // A's process starts anew and looks for jobs nobody renews any more
    const reported = await a.waitFor(() => /^❌ Storing stopped/.test(progress()) && progress(), 90_000);
    assert.match(reported, /server restarted the app before it finished.*Nothing was stored/);
    // the report edits the message first, then forgets the record: wait for that too
    await a.waitFor(() => !JSON.stringify(a.persistenceDump()).includes('ipfs-in-flight-job'), 10_000);
    assert.ok(!seen(a, carol).some((text) => text.includes('CID:')), 'nothing claims to be stored');
  });
}

/** The share expiry jobs in the workspace's scheduler (the engine names processors `<id>_<appId>`). */
function expiryJobs(host: WorkspaceHost): HostJob[] {
  return [...host.bridges.scheduler.jobs.values()].filter((job) => job.processorId.startsWith('ipfs-expire-share_'));
}

/** The last message in the user's direct room with the app (where a job's progress is shown). */
function progressText(host: WorkspaceHost, user: IUser): () => string {
  return () => {
    const room = host.directRoom(user, host.appUser);
    return room ? (host.messages(room.id).at(-1)?.text ?? '') : '';
  };
}

/**
 * Issue #11, item 5: an upload archived on instance C, which goes down for good mid-way. Instance A is never
 * restarted: the recovery job scheduled when the file message was linked runs on A (the scheduler's jobs are
 * shared) and archives the chat copy.
 */
async function archiveCutOff(t: TestContext, a: WorkspaceHost, ipfs: KuboRpcClient, proxy: FaultyProxy): Promise<void> {
  if (isOlderEngine) {
    // engines before 1.62 have no IPreFileUpload: there is nothing to archive (the matrix runs this file too)
    await t.test('an archive job cut off when its instance goes down for good is finished by another', (sub) =>
      sub.skip(`engine ${engineVersion} has no upload hooks`),
    );
    return;
  }
  const owner = a.addUser({ username: 'olga' });
  const member = a.addUser({ username: 'mats' });
  const room = a.addRoom({ name: 'minutes', type: 'p' as IRoom['type'], members: [owner, member], creator: owner });
  await a.setAppSetting('archive_mode', 'opt_in'); // before C starts: C reads the settings as it boots
  const form = await a.runSlashCommand(owner, room, '/ipfs archive on');
  await a.submitViewValues(owner, form.opened[0].id, { ipfs_password: PASSWORD, ipfs_password_confirm: PASSWORD });
  await waitToBeTold(a, owner, /Archiving is on/);
  const c = await a.startInstance({ expect: { slashCommands: ['ipfs'], actionButtons: ['ipfs_store_message_file'] } });

  await t.test('an archive job cut off when its instance goes down for good is finished by another', async () => {
    const bytes = crypto.randomBytes(3 * MiB + 5);
    // C's boot-time recovery run is over, so only what the upload itself schedules can save it
    const recoveryJobs = () =>
      [...a.bridges.scheduler.jobs.values()].filter((job) => job.processorId.startsWith('ipfs-archive-recovery_'));
    await a.waitFor(() => recoveryJobs().length === 0, 30_000);
    proxy.setFaults({ holdUploadsAfter: 0 }); // the provider stalls: C's job is surely mid-way when C goes
    const trace = await c.upload(member, room, { name: 'minutes.bin', bytes });
    await trace.postMessageSent;
    await a.waitFor(() => archiveEntries(a).find((e) => e.name === 'minutes.bin' && e.messageId), 30_000);
    await a.waitFor(() => proxy.seen.some((request) => request.fault === 'held'), 30_000);
    await c.stop();
    proxy.setFaults({});
    const done = await a.waitFor(
      () => archiveEntries(a).find((e) => e.name === 'minutes.bin' && e.status === EntryStatus.Archived),
      120_000,
    );
    const opened = decryptWithPassword(await ipfs.cat(done.cid ?? ''), PASSWORD);
    assert.equal(opened.metadata.name, 'minutes.bin');
    assert.ok(Buffer.from(opened.plaintext).equals(bytes), 'the chat copy, archived byte for byte');
  });
}
