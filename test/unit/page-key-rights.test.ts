import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import type { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import {
  fileKeyWithPassword,
  parseHeader,
  sealObject,
  unlockWithFileKey,
  WrongPasswordError,
  HEADER_PROBE_BYTES,
} from '../../src/crypto';
import { cidV1Sha256, CODEC_RAW, formatCid } from '../../src/ipfs/cid';
import { PAGE_KEY_TTL_MS, PAGE_LINK_TTL_MS, PageLinks } from '../../src/page/links';
import { fileKeyByRight, keyRightOf } from '../../src/page/keyRight';
import { shareFile, unshareFile } from '../../src/sharing/shares';
import { MemoryPersistence } from '../support/memoryPersistence';
import { SharingWorld } from '../support/sharingFakes';

const cidOf = (seed: string) => formatCid(cidV1Sha256(CODEC_RAW, sha256(new TextEncoder().encode(seed))));
const CID = cidOf('one file');
const OTHER = cidOf('another file');
const NO_HTTP = {} as IHttp;

test('a key-bearing link hands out the key once, within its hour; a password link never', async () => {
  const db = new MemoryPersistence();
  const links = new PageLinks(db, db);
  const now = 1_000_000;
  const plain = await links.issue('u1', CID, now);
  assert.equal(await links.takeKey(plain, CID, now), 'not_offered');
  assert.deepEqual(await links.check(plain, CID, now), { userId: 'u1', keyOffered: false });

  const keyed = await links.issue('u1', CID, now, true);
  assert.deepEqual(await links.check(keyed, CID, now), { userId: 'u1', keyOffered: true });
  assert.equal(await links.takeKey(keyed, OTHER, now), 'invalid', 'bound to its CID');
  assert.deepEqual(await links.takeKey(keyed, CID, now + 1), { userId: 'u1' });
  assert.equal(await links.takeKey(keyed, CID, now + 2), 'taken', 'single use');
  assert.deepEqual(await links.check(keyed, CID, now + 3), { userId: 'u1', keyOffered: false }, 'blocks still open');

  const late = await links.issue('u1', CID, now, true);
  assert.equal(await links.takeKey(late, CID, now + PAGE_KEY_TTL_MS), 'expired');
  assert.equal(await links.takeKey(late, CID, now + PAGE_LINK_TTL_MS), 'invalid', 'the whole link has expired');
  assert.ok(!JSON.stringify(db.all()).includes(keyed), 'persistence keeps no capability');
});

test('owner and live share have the right; it ends with the share, and a stranger never has it', async () => {
  const world = await SharingWorld.create(['alice', 'bob', 'carol']);
  const { alice, bob, carol } = world.users;
  const file = await world.store('alice', 'plan.txt');
  const { expiresAt } = await shareFile(world.access, world.read, world.modify, {
    owner: alice,
    file: 'plan.txt',
    recipientUsername: 'bob',
    duration: '1h',
  });
  const now = Date.now();
  const right = (user: typeof alice, at = now) => keyRightOf(world.read, world.db, user, file.cid, at);
  const key = (user: typeof alice, at = now) => fileKeyByRight(world.read, NO_HTTP, world.db, user, file.cid, at);

  assert.equal(await right(alice), 'owner');
  assert.equal(await right(bob), 'share');
  assert.equal(await right(carol), undefined);
  const ownerKey = await key(alice);
  assert.ok(ownerKey && ownerKey.length === 32);
  assert.deepEqual(await key(bob), ownerKey, 'the share unwraps the same file key');
  assert.equal(await key(carol), undefined);

  assert.equal(await right(bob, expiresAt), undefined, 'a share past its end, before its job ran');
  assert.equal(await key(bob, expiresAt), undefined);
  await unshareFile(world.access, world.read, world.modify, {
    owner: alice,
    file: 'plan.txt',
    recipientUsername: 'bob',
  });
  assert.equal(await key(bob), undefined, 'an unshared file gives no key');
  assert.equal(await right(alice), 'owner');
});

test('the file key comes out of a header only with the right password, and opens that header', async () => {
  const { object } = sealObject(new Uint8Array(10), { name: 'a.txt', mediaType: '', size: 10 }, 'pw-right', {
    logN: 10,
    r: 8,
    p: 1,
  });
  const header = parseHeader(object.subarray(0, HEADER_PROBE_BYTES));
  await assert.rejects(fileKeyWithPassword(header, 'pw-wrong'), WrongPasswordError);
  const fileKey = await fileKeyWithPassword(header, 'pw-right');
  assert.equal(unlockWithFileKey(header, fileKey).metadata.name, 'a.txt');
});
