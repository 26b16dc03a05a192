/**
 * KeyRing and the workspace secret on an in-memory persistence that behaves like Rocket.Chat's: pairs are made
 * once and reused, races end on the stored pair, records do not move between users, and no private key is
 * stored unwrapped.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import nacl from 'tweetnacl';
import {
  CorruptObjectError,
  decryptObject,
  HEADER_PROBE_BYTES,
  parseHeader,
  randomBytes,
  sealObject,
  unlockWithFileKey,
} from '../../src/crypto';
import { cidToBytes, parseCid } from '../../src/ipfs/cid';
import {
  ensureWorkspaceSecret,
  KeyRing,
  KeyUnwrapError,
  loadWorkspaceSecret,
  unwrapFileKey,
  type UserKeyRecord,
} from '../../src/keys';
import { openUserKeyRecord } from '../../src/keys/userKeys';
import { FAST_KDF, sameBytes } from '../support/cryptoHelpers';
import { MemoryPersistence } from '../support/memoryPersistence';

const CID = cidToBytes(parseCid('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'));
const isUnwrapError = (err: unknown) => err instanceof KeyUnwrapError && err.i18nKey === 'error_key_unwrap';
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const userRecords = (db: MemoryPersistence) =>
  db
    .all()
    .filter((r) => r.associations.some((a) => a.id === 'ipfs-user-key'))
    .map((r) => ({ record: r, data: JSON.parse(r.json) as UserKeyRecord }));

describe('workspace secret', () => {
  test('created once, 32 bytes, stable across loads; racing creators agree', async () => {
    const db = new MemoryPersistence();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => loadWorkspaceSecret(db, db)));
    assert.equal(a.length, 32);
    assert.deepEqual(a, b);
    assert.deepEqual(a, c);
    await ensureWorkspaceSecret(db, db);
    assert.deepEqual(await loadWorkspaceSecret(db, db), a);
    assert.equal((JSON.parse(db.dump()) as unknown[]).length, 1);
  });

  test('a malformed stored secret is an error, never silently replaced', async () => {
    const db = new MemoryPersistence();
    await ensureWorkspaceSecret(db, db);
    db.all()[0].json = JSON.stringify({ secret: 'short', createdAt: 0 });
    await assert.rejects(() => loadWorkspaceSecret(db, db), /malformed/);
    assert.equal((JSON.parse(db.all()[0].json) as { secret: string }).secret, 'short');
  });
});

describe('KeyRing', () => {
  test('creates a pair on first use and reuses it; wrapFor/open round trip', async () => {
    const db = new MemoryPersistence();
    const ring = new KeyRing(db, db, () => 1_700_000_000_000);
    const first = await ring.publicKeyOf('alice');
    const writes = db.writes;
    assert.deepEqual(await ring.publicKeyOf('alice'), first);
    assert.deepEqual(await new KeyRing(db, db).publicKeyOf('alice'), first, 'another KeyRing sees the same pair');
    assert.equal(db.writes, writes, 'no write once the pair exists');
    assert.equal(userRecords(db).length, 1);
    const { data, record } = userRecords(db)[0];
    assert.equal(data.userId, 'alice');
    assert.equal(data.createdAt, 1_700_000_000_000);
    assert.deepEqual(record.associations, [
      { model: 'misc', id: 'ipfs-user-key' },
      { model: 'user', id: 'alice' },
    ]);
    const fileKey = randomBytes(32);
    const wrapped = await ring.wrapFor('alice', fileKey, CID);
    assert.deepEqual(await new KeyRing(db, db).open('alice', wrapped, CID), fileKey);
  });

  test('other users, a user without a pair, another CID → KeyUnwrapError', async () => {
    const db = new MemoryPersistence();
    const ring = new KeyRing(db, db);
    const wrapped = await ring.wrapFor('alice', randomBytes(32), CID);
    await ring.publicKeyOf('bob');
    await assert.rejects(() => ring.open('bob', wrapped, CID), isUnwrapError);
    await assert.rejects(() => ring.open('carol', wrapped, CID), isUnwrapError);
    assert.equal(userRecords(db).length, 2, 'open never creates a pair');
    await assert.rejects(() => ring.open('alice', wrapped, CID.subarray(0, 30)), isUnwrapError);
    await assert.rejects(() => ring.publicKeyOf(''), RangeError);
  });

  test("a user's record copied onto another user's id does not open", async () => {
    const db = new MemoryPersistence();
    const ring = new KeyRing(db, db);
    const fileKey = randomBytes(32);
    const forAlice = await ring.wrapFor('alice', fileKey, CID);
    await ring.publicKeyOf('mallory');
    const alice = userRecords(db).find((r) => r.data.userId === 'alice')!;
    const mallory = userRecords(db).find((r) => r.data.userId === 'mallory')!;
    // As is, and with its userId field rewritten too.
    mallory.record.json = alice.record.json;
    await assert.rejects(() => ring.open('mallory', forAlice, CID), isUnwrapError);
    mallory.record.json = JSON.stringify({ ...alice.data, userId: 'mallory' });
    await assert.rejects(() => ring.open('mallory', forAlice, CID), isUnwrapError);
    await assert.rejects(() => ring.publicKeyOf('mallory'), isUnwrapError, 'nothing gets wrapped to that key');
    assert.deepEqual(await ring.open('alice', forAlice, CID), fileKey);
  });

  test('a swapped public key or another workspace secret is refused', async () => {
    const db = new MemoryPersistence();
    const ring = new KeyRing(db, db);
    await ring.publicKeyOf('alice');
    const { data } = userRecords(db)[0];
    const secret = await loadWorkspaceSecret(db, db);
    const swapped = { ...data, publicKey: b64(nacl.box.keyPair().publicKey) };
    assert.throws(() => openUserKeyRecord(swapped, secret, 'alice'), isUnwrapError);
    assert.throws(() => openUserKeyRecord(data, randomBytes(32), 'alice'), isUnwrapError);
    assert.equal(openUserKeyRecord(data, secret, 'alice').secretKey.length, 32);
  });

  test('concurrent first uses end with one stored pair that every result agrees with', async () => {
    const db = new MemoryPersistence();
    const rings = [1, 2, 3, 4].map(() => new KeyRing(db, db));
    const keys = await Promise.all(rings.map((ring) => ring.publicKeyOf('dave')));
    assert.ok(db.writes >= 5, `the calls really raced (${db.writes} writes: secret and pair by each)`);
    assert.equal(userRecords(db).length, 1);
    const stored = userRecords(db)[0].data.publicKey;
    for (const key of keys) assert.equal(b64(key), stored);
    const fileKey = randomBytes(32);
    const wrapped = await Promise.all(rings.map((ring) => ring.wrapFor('erin', fileKey, CID)));
    for (const w of wrapped) assert.deepEqual(await rings[0].open('erin', w, CID), fileKey);
  });

  test('persistence holds no private key, file key or secret key unwrapped', async () => {
    const db = new MemoryPersistence();
    const ring = new KeyRing(db, db);
    const fileKey = randomBytes(32);
    const wrapped = [];
    for (const user of ['alice', 'bob', 'carol']) wrapped.push(await ring.wrapFor(user, fileKey, CID));
    await db.create({ grants: wrapped }); // the app stores wrapped keys in persistence too
    const dump = db.dump();
    const secret = await loadWorkspaceSecret(db, db);
    for (const { data } of userRecords(db)) {
      const { secretKey, publicKey } = openUserKeyRecord(data, secret, data.userId);
      assert.ok(dump.includes(b64(publicKey)));
      for (const form of [b64(secretKey), Buffer.from(secretKey).toString('hex'), b64(secretKey.subarray(0, 24))]) {
        assert.ok(!dump.includes(form), `a private key is stored in clear (${data.userId})`);
      }
      assert.ok(!dump.includes(JSON.stringify(Array.from(secretKey.subarray(0, 8))).slice(1, -1)));
    }
    for (const form of [b64(fileKey), Buffer.from(fileKey).toString('hex'), b64(fileKey.subarray(0, 24))]) {
      assert.ok(!dump.includes(form), 'a file key is stored in clear');
    }
    assert.ok(!JSON.stringify(wrapped).includes(b64(secret)), 'the workspace secret is only in its own record');
  });

  test('sealObject → wrap to the owner → open → unlockWithFileKey; a wrong key is CorruptObjectError', async () => {
    const db = new MemoryPersistence();
    const ring = new KeyRing(db, db);
    const plaintext = randomBytes(100_000);
    const { object, fileKey } = sealObject(
      plaintext,
      { name: 'n', mediaType: '', size: plaintext.length },
      'pw-123456',
      FAST_KDF,
    );
    const wrapped = await ring.wrapFor('owner', fileKey, CID);
    const opened = await ring.open('owner', wrapped, CID);
    const header = parseHeader(object.subarray(0, HEADER_PROBE_BYTES));
    assert.ok(sameBytes(decryptObject(object, unlockWithFileKey(header, opened)), plaintext));
    const other = await ring.wrapFor('owner', randomBytes(32), CID);
    assert.throws(() => unlockWithFileKey(header, unwrapFileKey(other, randomBytes(32), CID)), isUnwrapError);
    const wrongKey = await ring.open('owner', other, CID);
    assert.throws(() => unlockWithFileKey(header, wrongKey), CorruptObjectError);
  });
});
