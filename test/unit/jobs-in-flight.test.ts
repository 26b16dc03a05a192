import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import type { ProgressMessage } from '../../src/chat/ProgressMessage';
import { InFlightJobs, JobKind } from '../../src/jobs/inFlight';
import { MemoryPersistence } from '../support/memoryPersistence';

const progress = (id: string) => ({ id }) as unknown as ProgressMessage;

/** A record as another process of the app would have left it. */
async function othersRecord(persistence: MemoryPersistence, messageId: string, aliveAt: number): Promise<void> {
  await persistence.createWithAssociations(
    { messageId, userId: 'u1', kind: JobKind.Store, startedAt: aliveAt, processId: 'another-process', aliveAt },
    [
      new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-in-flight-job'),
      new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `in-flight:${messageId}`),
    ],
  );
}

test('a job is on record exactly while it runs, whether it ends well or not', async () => {
  const persistence = new MemoryPersistence();
  const jobs = new InFlightJobs(persistence, persistence);
  const during = await jobs.track(progress('m1'), 'u1', JobKind.Store, () => Promise.resolve(persistence.dump()));
  assert.match(during, /"messageId":"m1".*"kind":"store"/);
  assert.equal(persistence.all().length, 0, 'gone after success');

  await assert.rejects(
    jobs.track(progress('m2'), 'u1', JobKind.Retrieve, () => Promise.reject(new Error('provider down'))),
    /provider down/,
  );
  assert.equal(persistence.all().length, 0, 'gone after failure');
});

test('renewals while the job runs never outlive it, even when their answers are slow', async () => {
  const persistence = new MemoryPersistence();
  const slowWrites = Object.create(persistence) as MemoryPersistence;
  let creates = 0;
  slowWrites.createWithAssociations = async (data, associations) => {
    await new Promise((ok) => setTimeout(ok, 15)); // an answer stuck behind a big upload
    creates++;
    return persistence.createWithAssociations(data, associations);
  };
  const jobs = new InFlightJobs(slowWrites, persistence, 2);
  await jobs.track(progress('m3'), 'u1', JobKind.Store, async () => {
    // end the job while a renewal is likely under way: right after one has landed, the next starts within 2 ms
    const deadline = Date.now() + 5_000;
    while (creates < 3 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 1));
  });
  assert.ok(creates >= 3, `the record was renewed while the job ran (${creates - 1} renewals)`);
  assert.equal(persistence.all().length, 0, 'no renewal left a record behind');
});

test("another process's job counts as dead once its record is 30 s unrenewed; this process's never", async () => {
  const persistence = new MemoryPersistence();
  const jobs = new InFlightJobs(persistence, persistence);
  const now = Date.now();
  await othersRecord(persistence, 'old', now - 31_000);
  await othersRecord(persistence, 'fresh', now - 5_000);
  let seenWhileRunning: Awaited<ReturnType<InFlightJobs['othersJobs']>> | undefined;
  await jobs.track(progress('mine'), 'u1', JobKind.Store, async () => {
    seenWhileRunning = await jobs.othersJobs(now + 3_600_000);
  });
  const { dead, alive } = await jobs.othersJobs(now);
  assert.deepEqual(
    dead.map((r) => r.messageId),
    ['old'],
  );
  assert.deepEqual(
    alive.map((r) => r.messageId),
    ['fresh'],
  );
  assert.deepEqual(seenWhileRunning?.dead.map((r) => r.messageId).sort(), ['fresh', 'old'], 'never its own job');
});
