/**
 * Which file a typed name means: a share can never silently stand in for the file a user expects, nor hide
 * their own; the CID always picks one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AmbiguousNameError, FileNotFoundError, NotOwnerError, ShareExpiredError } from '../../src/sharing/errors';
import { ownedFile, shareFile } from '../../src/sharing/shares';
import { SharingWorld } from '../support/sharingFakes';

async function world(): Promise<SharingWorld> {
  return SharingWorld.create(['alice', 'bob', 'mallory']);
}

async function share(w: SharingWorld, from: string, file: string, to: string, duration = '1h'): Promise<number> {
  const owner = w.users[from];
  return (await shareFile(w.access, w.read, w.modify, { owner, file, recipientUsername: to, duration })).expiresAt;
}

const ambiguity = (owners: string[]) => (error: unknown) => {
  assert.ok(error instanceof AmbiguousNameError, String(error));
  assert.deepEqual(error.choices.map((c) => c.ownerId).sort(), owners.map((o) => `id-${o}`).sort());
  return true;
};

test('a later share under the name of one a user expects is refused as ambiguous, not taken', async () => {
  const w = await world();
  const expected = await w.store('alice', 'plan.txt');
  await share(w, 'alice', 'plan.txt', 'bob');
  const bob = w.users.bob.id;
  assert.equal((await w.access.resolve(bob, 'plan.txt')).cid, expected.cid);

  const bait = await w.store('mallory', 'PLAN.txt');
  await share(w, 'mallory', 'PLAN.txt', 'bob');
  await assert.rejects(w.access.resolve(bob, 'plan.txt'), ambiguity(['alice', 'mallory']));
  const picked = await w.access.resolve(bob, expected.cid);
  assert.deepEqual([picked.cid, picked.ownerId, picked.entry], [expected.cid, 'id-alice', undefined]);
  assert.equal((await w.access.resolve(bob, bait.cid)).ownerId, 'id-mallory');
});

test("a share under the name of the user's own file is refused as ambiguous too", async () => {
  const w = await world();
  const mine = await w.store('bob', 'notes.md');
  await w.store('mallory', 'notes.md');
  await share(w, 'mallory', 'notes.md', 'bob');
  await assert.rejects(w.access.resolve(w.users.bob.id, 'notes.md'), ambiguity(['bob', 'mallory']));
  assert.equal((await w.access.resolve(w.users.bob.id, mine.cid)).entry?.cid, mine.cid);
  assert.equal((await ownedFile(w.access, w.users.bob, 'notes.md')).cid, mine.cid, 'owner commands mean your own');
});

test("several versions shared by one owner are that owner's file: the newest, or the one named", async () => {
  const w = await world();
  const v1 = await w.store('alice', 'plan.txt');
  const v2 = await w.store('alice', 'plan.txt');
  await share(w, 'alice', 'plan.txt@1', 'bob');
  await share(w, 'alice', 'plan.txt', 'bob');
  assert.equal((await w.access.resolve(w.users.bob.id, 'plan.txt')).cid, v2.cid);
  assert.equal((await w.access.resolve(w.users.bob.id, 'plan.txt@1')).cid, v1.cid);
});

test('ended shares neither count as choices nor hide a live one; alone they are reported as ended', async () => {
  const w = await world();
  const live = await w.store('alice', 'plan.txt');
  await w.store('mallory', 'plan.txt');
  const endsAt = await share(w, 'mallory', 'plan.txt', 'bob', '1m');
  await share(w, 'alice', 'plan.txt', 'bob', '1d');
  const later = endsAt + 1;
  assert.equal((await w.access.resolve(w.users.bob.id, 'plan.txt', later)).cid, live.cid);

  const other = await world();
  await other.store('alice', 'old.txt');
  const end = await share(other, 'alice', 'old.txt', 'bob', '1m');
  await assert.rejects(other.access.resolve(other.users.bob.id, 'old.txt', end + 1), ShareExpiredError);
});

test('owner commands refuse a file shared with the user, and over-long text is refused unread', async () => {
  const w = await world();
  await w.store('alice', 'plan.txt');
  await share(w, 'alice', 'plan.txt', 'bob');
  await assert.rejects(ownedFile(w.access, w.users.bob, 'plan.txt'), NotOwnerError);
  await assert.rejects(ownedFile(w.access, w.users.bob, 'nothing.txt'), FileNotFoundError);
  const started = Date.now();
  await assert.rejects(w.access.resolve(w.users.bob.id, 'Q'.repeat(100_000)), FileNotFoundError);
  await assert.rejects(ownedFile(w.access, w.users.bob, 'z'.repeat(100_000)), FileNotFoundError);
  assert.ok(Date.now() - started < 200, 'refused before any parsing');
});
