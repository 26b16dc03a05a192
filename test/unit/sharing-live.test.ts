/**
 * One rule decides whether a share is live: access (`get`) and the directory panel both ask it, so a share
 * past its end is over everywhere at once, whether or not its expiry job has run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { directoryState } from '../../src/forms/directoryPanel';
import { translatorFor } from '../../src/i18n/translate';
import { isShareLive } from '../../src/sharing/access';
import { ShareExpiredError } from '../../src/sharing/errors';
import { expireShare, shareFile } from '../../src/sharing/shares';
import { directoryView } from '../../src/ui/directoryView';
import { SharingWorld } from '../support/sharingFakes';

const t = translatorFor('en');

async function panelText(world: SharingWorld, username: string, now: number): Promise<string> {
  const accessors = { appId: 'app', read: world.read, persistence: world.db };
  const state = await directoryState(accessors, world.users[username], 'view', { query: '', page: 0 }, now);
  return JSON.stringify(directoryView(t, state).blocks);
}

test('a share past its end gives no key and shows as ended, before its expiry job has run', async () => {
  const world = await SharingWorld.create(['alice', 'bob', 'carol']);
  const { alice, bob } = world.users;
  const file = await world.store('alice', 'plan.txt');
  await world.store('alice', 'plan.txt');
  const share = (recipientUsername: string, file: string, duration: string) =>
    shareFile(world.access, world.read, world.modify, { owner: alice, file, recipientUsername, duration });
  const { expiresAt } = await share('bob', 'plan.txt', '1h');
  await share('carol', 'plan.txt@1', '1d');
  const now = Date.now();

  const toAlice = await panelText(world, 'alice', now);
  assert.match(toAlice, /Shared with @bob until \d{4}-\d\d-\d\d \d\d:\d\d UTC, @carol \(v1\) until/);
  assert.match(await panelText(world, 'bob', now), /`plan.txt` from @alice until .* · `baf/);
  assert.ok((await world.access.fileKeyFor(bob.id, file.cid, now)) === undefined, 'bob holds v2, not v1');

  const later = expiresAt + 1;
  const grant = await world.access.grants.find(
    (await world.access.directory.versionsOf(alice.id, 'plan.txt'))[0].cid,
    bob.id,
  );
  assert.ok(grant?.wrapped, 'the expiry job has not run: the key is still stored');
  assert.equal(isShareLive(grant, later), false);
  await assert.rejects(world.access.fileKeyFor(bob.id, grant.cid, later), ShareExpiredError);
  const afterEnd = await panelText(world, 'alice', later);
  assert.doesNotMatch(afterEnd, /@bob until/, "bob's share is no longer listed for alice");
  assert.match(afterEnd, /@carol \(v1\) until/);
  assert.match(await panelText(world, 'bob', later), /`plan.txt` from @alice: the share ended on/);

  await expireShare(world.access, { cid: grant.cid, recipientId: bob.id, expiresAt });
  assert.match(await panelText(world, 'bob', later), /the share ended on/, 'the same once the job ran');
});

test('a file shared with nobody says so', async () => {
  const world = await SharingWorld.create(['alice']);
  await world.store('alice', 'notes.md');
  assert.match(await panelText(world, 'alice', Date.now()), /`notes.md` · 1 version\(s\).*Not shared/);
});
