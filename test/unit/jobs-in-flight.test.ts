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
