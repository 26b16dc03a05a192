import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { assertWorkspaceAdmin, NotWorkspaceAdminError } from '../../src/archive/archiveForm';
import { roomArchiving } from '../../src/archive/mode';
import { RoomArchives } from '../../src/archive/roomArchive';
import { KeyUnwrapError } from '../../src/keys/errors';
import { MemoryPersistence } from '../support/memoryPersistence';

const DEFAULT_PASSWORD = 'workspace-default-archive-1';

function readWith(db: MemoryPersistence, mode: string, users: Record<string, string[]> = {}): IRead {
  return {
    getPersistenceReader: () => db,
    getEnvironmentReader: () => ({ getSettings: () => ({ getValueById: () => Promise.resolve(mode) }) }),
    getUserReader: () => ({
      getById: (id: string) => Promise.resolve(users[id] ? ({ id, roles: users[id] } as IUser) : undefined),
    }),
  } as unknown as IRead;
}

test('the default archive password is sealed apart from every room and opens only as the default', async () => {
  const db = new MemoryPersistence();
  const rooms = new RoomArchives(db, db);
  await rooms.setWorkspaceDefault('admin1', DEFAULT_PASSWORD);
  assert.ok(!db.dump().includes(DEFAULT_PASSWORD), 'never stored in clear');
  const record = await rooms.workspaceDefault();
  assert.ok(record?.workspaceDefault);
  assert.equal(await rooms.passwordOf(record), DEFAULT_PASSWORD);
  // the same sealed bytes presented as a room's record (room id '') do not open: another key
  await assert.rejects(rooms.passwordOf({ ...record, workspaceDefault: false }), KeyUnwrapError);
});

test('a room without its own password uses the default only when every room archives', async () => {
  const db = new MemoryPersistence();
  const rooms = new RoomArchives(db, db);
  await rooms.setWorkspaceDefault('admin1', DEFAULT_PASSWORD);
  await rooms.enable('own-room', 'owner', 'room-own-password');
  const every = { read: readWith(db, 'every'), persistence: db };
  const optIn = { read: readWith(db, 'opt_in'), persistence: db };
  assert.equal((await roomArchiving(every, 'plain-room')).record?.workspaceDefault, true);
  assert.equal((await roomArchiving(optIn, 'plain-room')).archives, false, 'opt-in: the default opts no room in');
  assert.equal((await roomArchiving(every, 'own-room')).record?.roomId, 'own-room', "a room's own comes first");
  assert.equal((await roomArchiving({ read: readWith(db, 'off'), persistence: db }, 'own-room')).archives, false);
});

test('only a user the server lists as admin may set the default, whatever the interaction carried', async () => {
  const db = new MemoryPersistence();
  const read = readWith(db, 'every', { root: ['admin', 'user'], bob: ['user'] });
  await assertWorkspaceAdmin(read, { id: 'root' } as IUser);
  const claimsAdmin = { id: 'bob', roles: ['admin'] } as IUser; // a forged user object is not believed
  await assert.rejects(assertWorkspaceAdmin(read, claimsAdmin), NotWorkspaceAdminError);
  await assert.rejects(assertWorkspaceAdmin(read, { id: 'ghost' } as IUser), NotWorkspaceAdminError);
});

test("an object sealed by a room's old password or by the default still finds its password after a change", async () => {
  const db = new MemoryPersistence();
  const rooms = new RoomArchives(db, db);
  await rooms.setWorkspaceDefault('admin1', DEFAULT_PASSWORD);
  const byDefault = (await rooms.workspaceDefault())?.nonce ?? '';
  await rooms.enable('room1', 'owner', 'first-room-password');
  const byFirst = (await rooms.ownOf('room1'))?.nonce ?? '';
  await rooms.enable('room1', 'owner', 'second-room-password');
  await rooms.setWorkspaceDefault('admin1', 'another-default-password');
  const opened = async (roomId: string, nonce: string) => {
    const record = await rooms.sealing(roomId, nonce);
    return record ? rooms.passwordOf(record) : undefined;
  };
  assert.equal(await opened('room1', byFirst), 'first-room-password');
  assert.equal(await opened('room1', byDefault), DEFAULT_PASSWORD);
  assert.equal(await opened('room2', byFirst), undefined, "another room never opens this room's passwords");
  assert.ok(!db.dump().includes('first-room-password'), 'retired passwords stay sealed');
  await rooms.disable('room1');
  assert.equal(await opened('room1', byFirst), undefined, 'turning the archive off forgets the old passwords too');
  assert.equal(await opened('room1', byDefault), DEFAULT_PASSWORD, "the workspace default is not the room's to forget");
});
