/**
 * Grants and directory entries under every way Rocket.Chat's persistence removes and updates: one logical
 * record stays one record, and unshare, rm, revoke and expiry leave no key behind and no expiry job running.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { isShareLive } from '../../src/sharing/access';
import { endShares, removeVersions } from '../../src/sharing/lifecycle';
import type { Grant } from '../../src/storage/GrantStorage';
import { ViewContextStorage, ViewKind } from '../../src/storage/ViewContextStorage';
import { UnknownUserError } from '../../src/sharing/errors';
import { expireShare, shareFile, unshareFile } from '../../src/sharing/shares';
import type { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { SERVER_BEHAVIOURS, SharingWorld } from '../support/sharingFakes';

const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);
const user = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.USER, id);
const unpinning = { pinRm: () => Promise.resolve() } as unknown as KuboRpcClient;

for (const [behaviour, options] of SERVER_BEHAVIOURS) {
  describe(`sharing records on a server that ${behaviour}`, () => {
    test('two overlapping shares with one person leave one grant; unshare ends access and every job', async () => {
      const world = await SharingWorld.create(['alice', 'bob'], options);
      const { alice, bob } = world.users;
      const file = await world.store('alice', 'plan.txt');
      const request = { owner: alice, file: 'plan.txt', recipientUsername: '@bob' };
      await Promise.all([
        shareFile(world.access, world.read, world.modify, { ...request, duration: '1h' }),
        shareFile(world.access, world.read, world.modify, { ...request, duration: '2h' }),
      ]);
      assert.equal(world.grantRecords(file.cid, bob.id).length, 1, 'one grant record for bob');
      await shareFile(world.access, world.read, world.modify, { ...request, duration: '3h' });
      assert.equal(world.grantRecords(file.cid, bob.id).length, 1, 'sharing again replaces it');

      const { existed } = await unshareFile(world.access, world.read, world.modify, request);
      assert.equal(existed, true);
      assert.deepEqual(world.grantRecords(file.cid, bob.id), [], 'no grant left for bob');
      assert.equal(await world.access.fileKeyFor(bob.id, file.cid, Date.now()), undefined, 'bob has no key');
      assert.deepEqual(world.scheduler.pending(), [], 'every expiry job cancelled');
    });

    test('grants duplicated by an earlier version of the app are all ended by unshare', async () => {
      const world = await SharingWorld.create(['alice', 'bob'], options);
      const { alice, bob } = world.users;
      const file = await world.store('alice', 'plan.txt');
      const request = { owner: alice, file: 'plan.txt', recipientUsername: 'bob' };
      await shareFile(world.access, world.read, world.modify, { ...request, duration: '1h' });
      const [grant] = world.grantRecords(file.cid, bob.id);
      await world.db.createWithAssociations({ ...grant, expiryJobId: 'old-job' }, [
        misc('ipfs-grant'),
        misc(`cid:${file.cid}`),
        user(bob.id),
      ]);
      await unshareFile(world.access, world.read, world.modify, request);
      assert.deepEqual(world.grantRecords(file.cid, bob.id), []);
      assert.ok(world.scheduler.cancelled.includes('old-job'), "the duplicate's job is cancelled too");
    });

    test('expiry leaves a record without the key, and only one', async () => {
      const world = await SharingWorld.create(['alice', 'bob'], options);
      const { alice, bob } = world.users;
      const file = await world.store('alice', 'plan.txt');
      const request = { owner: alice, file: 'plan.txt', recipientUsername: 'bob', duration: '1h' };
      await Promise.all([1, 2].map(() => shareFile(world.access, world.read, world.modify, request)));
      const grant = await world.access.grants.find(file.cid, bob.id);
      assert.ok(grant);
      await expireShare(world.access, {
        cid: file.cid,
        recipientId: bob.id,
        expiresAt: grant.expiresAt,
      });
      const left = world.grantRecords(file.cid, bob.id);
      assert.equal(left.length, 1, 'one record says the share expired');
      assert.equal(left[0].wrapped ?? undefined, undefined, 'without the key');
      assert.equal(isShareLive(left[0] as unknown as Grant, grant.createdAt), false, 'no longer live');
    });

    test('rm forgets every version, key, share and job, duplicates included', async () => {
      const world = await SharingWorld.create(['alice', 'bob', 'carol'], options);
      const { alice } = world.users;
      const v1 = await world.store('alice', 'plan.txt', 1);
      const v2 = await world.store('alice', 'plan.txt', 2);
      for (const recipientUsername of ['bob', 'carol']) {
        const request = { owner: alice, file: 'plan.txt', recipientUsername, duration: '1d' };
        await Promise.all([1, 2].map(() => shareFile(world.access, world.read, world.modify, request)));
      }
      await world.db.createWithAssociations(v2, [
        misc('ipfs-directory-entry'),
        user(alice.id),
        misc(`cid:${v2.cid}`),
        misc(`name:${alice.id}:plan.txt`),
      ]);
      await removeVersions(world.access, world.modify, unpinning, [v1, v2]);
      assert.deepEqual(await world.access.directory.entriesOf(alice.id), []);
      assert.deepEqual([...world.grantRecords(v1.cid), ...world.grantRecords(v2.cid)], []);
      assert.deepEqual(world.scheduler.pending(), []);
    });

    test("revoke's end of shares removes every grant of the object and cancels every job", async () => {
      const world = await SharingWorld.create(['alice', 'bob', 'carol'], options);
      const { alice, bob } = world.users;
      const file = await world.store('alice', 'plan.txt');
      for (const recipientUsername of ['bob', 'bob', 'carol']) {
        const request = { owner: alice, file: 'plan.txt', recipientUsername, duration: '1d' };
        await shareFile(world.access, world.read, world.modify, request);
      }
      assert.equal(await endShares(world.access, world.modify, file.cid), 2, 'two people lose access');
      assert.equal(world.grantRecords(file.cid).length, 1, "only the owner's key is left");
      assert.equal(await world.access.fileKeyFor(bob.id, file.cid, Date.now()), undefined);
      assert.deepEqual(world.scheduler.pending(), []);
    });

    test('storing the same directory entry twice keeps one record', async () => {
      const world = await SharingWorld.create(['alice'], options);
      const entry = await world.store('alice', 'plan.txt');
      await Promise.all([world.access.directory.add(entry), world.access.directory.add(entry)]);
      assert.equal((await world.access.directory.entriesOf(world.users.alice.id)).length, 1);
    });
  });
}

for (const [behaviour, options] of SERVER_BEHAVIOURS) {
  test(`a form's context is one record, and closing the form forgets it, on a server that ${behaviour}`, async () => {
    const world = await SharingWorld.create(['alice'], options);
    const views = new ViewContextStorage(world.db, world.db);
    const context = {
      kind: ViewKind.Directory as const,
      userId: 'id-alice',
      roomId: 'general',
      createdAt: Date.now(),
      page: 0,
    };
    await views.save('v1', { ...context, query: 'a' });
    await views.save('v1', { ...context, query: 'ab' });
    await world.db.createWithAssociations({ ...context, viewId: 'v1' }, [
      misc('ipfs-view-context'),
      misc('view:v1'),
      user('id-alice'),
    ]);
    await views.save('v1', { ...context, query: 'abc' });
    const found = await views.find('v1');
    assert.equal(found?.kind === ViewKind.Directory && found.query, 'abc');
    await views.remove('v1');
    assert.equal(await views.find('v1'), undefined);
  });
}

test('a recipient named by 100 000 characters is refused without a lookup', async () => {
  const world = await SharingWorld.create(['alice']);
  await world.store('alice', 'plan.txt');
  const request = { owner: world.users.alice, file: 'plan.txt', recipientUsername: `@${'b'.repeat(100_000)}` };
  await assert.rejects(shareFile(world.access, world.read, world.modify, request), UnknownUserError);
});
