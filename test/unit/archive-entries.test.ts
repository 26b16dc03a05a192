import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IFileUploadContext } from '@rocket.chat/apps-engine/definition/uploads';
import { ARCHIVE_PROCESS_ID, FailReason, STALE_AFTER_MS } from '../../src/archive/archiver';
import { ArchiveEntries, AttemptState, EntryStatus, type EntryRecord } from '../../src/archive/entries';
import { onPostMessageSent, onPreFileUpload, recoverInterruptedArchives } from '../../src/archive/hooks';
import { isCutOff } from '../../src/archive/recovery';
import { RoomArchives } from '../../src/archive/roomArchive';
import type { Accessors } from '../../src/edge/Accessors';
import { MemoryPersistence } from '../support/memoryPersistence';
import { FakeScheduler } from '../support/sharingFakes';

const ROOM = 'room1';

function pendingEntry(overrides: Partial<EntryRecord> = {}): EntryRecord {
  const now = Date.now();
  return {
    entryId: 'e1',
    roomId: ROOM,
    uploaderId: 'u1',
    name: 'notes.txt',
    size: 10,
    type: 'text/plain',
    receivedAt: now,
    status: EntryStatus.Pending,
    processId: 'hook-process',
    aliveAt: now,
    ...overrides,
  };
}

/** Just the accessors the hooks and the recovery reach before any provider call. */
function fakeAccessors(db: MemoryPersistence, scheduler = new FakeScheduler()): Accessors {
  // the cheapest KDF: jobs the hooks start in the background end quickly (they fail at the fake provider)
  const settings = new Map<string, unknown>([
    ['archive_mode', 'opt_in'],
    ['kdf_cost', 15],
  ]);
  const read = {
    getPersistenceReader: () => db,
    getEnvironmentReader: () => ({
      getSettings: () => ({ getValueById: (id: string) => Promise.resolve(settings.get(id)) }),
      getServerSettings: () => ({ getValueById: () => Promise.resolve(undefined) }),
    }),
    getRoomReader: () => ({ getById: () => Promise.resolve({ id: ROOM }) }),
    getUserReader: () => ({ getAppUser: () => Promise.resolve({ id: 'bot' }) }),
    getUploadReader: () => ({
      getById: (id: string) => Promise.resolve({ id, name: 'lost.txt', size: '4', type: 'text/plain' }),
      getBufferById: () => Promise.resolve(Buffer.from('lost')),
    }),
  } as unknown as IRead;
  const logger = { warn: () => undefined, error: () => undefined, debug: () => undefined };
  return {
    appId: 'app',
    logger: logger as unknown as Accessors['logger'],
    read,
    modify: { getScheduler: () => scheduler } as unknown as Accessors['modify'],
    http: {} as Accessors['http'],
    persistence: db,
  };
}

describe('archive entries: each fact has one writer, so none is lost', () => {
  for (const order of ['link first', 'finish first']) {
    test(`a link and a finish written at the same time both stay (${order})`, async () => {
      const db = new MemoryPersistence();
      const store = new ArchiveEntries(db, db);
      const entry = pendingEntry();
      await store.create(entry);
      const link = () => store.link(entry, 'msg1', 'file1');
      const finish = () =>
        store.attempt(entry, { processId: 'p1', aliveAt: Date.now(), state: AttemptState.Archived, cid: 'bafy1' });
      // MemoryPersistence yields before every call, so the two writers' reads and writes interleave
      await Promise.all(order === 'link first' ? [link(), finish()] : [finish(), link()]);
      const stored = await store.get(entry);
      assert.equal(stored?.status, EntryStatus.Archived);
      assert.equal(stored?.cid, 'bafy1');
      assert.equal(stored?.messageId, 'msg1');
      assert.equal(stored?.fileId, 'file1');
    });
  }

  test('an archived attempt wins over a later "interrupted" verdict of another process', async () => {
    const db = new MemoryPersistence();
    const store = new ArchiveEntries(db, db);
    const entry = pendingEntry();
    await store.create(entry);
    const t = Date.now();
    await store.attempt(entry, { processId: 'slow', aliveAt: t, state: AttemptState.Archived, cid: 'bafy2' });
    await store.attempt(entry, {
      processId: 'other',
      aliveAt: t + 1,
      state: AttemptState.Failed,
      reason: FailReason.Interrupted,
    });
    const stored = await store.get(entry);
    assert.equal(stored?.status, EntryStatus.Archived);
    assert.equal(stored?.cid, 'bafy2');
  });

  test('the latest attempt tells while none archived (a retry after a cut-off is pending again)', async () => {
    const db = new MemoryPersistence();
    const store = new ArchiveEntries(db, db);
    const entry = pendingEntry();
    await store.create(entry);
    const t = Date.now();
    await store.attempt(entry, { processId: 'a', aliveAt: t, state: AttemptState.Failed, reason: 'x' });
    assert.equal((await store.get(entry))?.status, EntryStatus.Failed);
    await store.attempt(entry, { processId: 'b', aliveAt: t + 5, state: AttemptState.Running });
    const retried = await store.get(entry);
    assert.equal(retried?.status, EntryStatus.Pending);
    assert.equal(retried?.processId, 'b');
  });
});

describe('archive entries: an upload is never silently missing', () => {
  test('the hook has written the pending entry by the time it returns', async () => {
    const db = new MemoryPersistence();
    const accessors = fakeAccessors(db);
    await new RoomArchives(db, db).enable(ROOM, 'owner', 'room-password-1');
    const context = {
      file: { name: 'a.txt', size: 3, type: 'text/plain', rid: ROOM, userId: 'u1' },
      content: Buffer.from('abc'),
    } as unknown as IFileUploadContext;
    await onPreFileUpload(accessors, context);
    // read at once: the background job has not even started (it begins on a later turn of the event loop)
    const [entry] = await new ArchiveEntries(db, db).ofRoom(ROOM);
    assert.equal(entry?.name, 'a.txt');
    assert.equal(entry?.size, 3);
  });

  test('a pending entry whose process died before its message came shows, then is recorded, as interrupted', async () => {
    const db = new MemoryPersistence();
    const scheduler = new FakeScheduler();
    const store = new ArchiveEntries(db, db);
    const old = Date.now() - STALE_AFTER_MS - 1_000;
    const entry = pendingEntry({ processId: 'dead-process', receivedAt: old, aliveAt: old });
    await store.create(entry);
    const before = await store.get(entry);
    assert.ok(before && isCutOff(before, Date.now()), 'status counts it "not archived (interrupted)" at once');
    await recoverInterruptedArchives(fakeAccessors(db, scheduler));
    const after = await store.get(entry);
    assert.equal(after?.status, EntryStatus.Failed);
    assert.equal(after?.reason, FailReason.Interrupted);
    assert.equal(after?.processId, ARCHIVE_PROCESS_ID);
  });

  test('an entry another process still renews is left to it, and the recovery looks again later', async () => {
    const db = new MemoryPersistence();
    const scheduler = new FakeScheduler();
    const store = new ArchiveEntries(db, db);
    const entry = pendingEntry({ processId: 'alive-elsewhere' });
    await store.create(entry);
    await recoverInterruptedArchives(fakeAccessors(db, scheduler));
    assert.equal((await store.get(entry))?.status, EntryStatus.Pending);
    assert.equal(scheduler.scheduled.length, 1);
  });

  test('a file message whose upload never got an entry (the hook did not finish) is adopted and linked', async () => {
    const db = new MemoryPersistence();
    await new RoomArchives(db, db).enable(ROOM, 'owner', 'room-password-1');
    const message = {
      id: 'msg9',
      room: { id: ROOM },
      sender: { id: 'u1' },
      file: { _id: 'file9', name: 'lost.txt' },
    } as unknown as IMessage;
    await onPostMessageSent(fakeAccessors(db), message);
    const [adopted] = await new ArchiveEntries(db, db).ofRoom(ROOM);
    assert.equal(adopted?.name, 'lost.txt');
    assert.equal(adopted?.size, 4);
    assert.equal(adopted?.messageId, 'msg9');
    assert.equal(adopted?.fileId, 'file9');
  });
});
