import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

import { WrongPasswordError } from '../../src/crypto/errors';
import {
  PASSWORD_ATTEMPT_POLICY,
  PasswordAttempts,
  PasswordCheckBusyError,
  PasswordRetryLaterError,
  delayAfter,
} from '../../src/limits/passwordAttempts';
import { MemoryPersistence } from '../support/memoryPersistence';

const GUESS = 'not-the-password-9';

/** A clock the test moves by hand. */
function clock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let at = start;
  return { now: () => at, advance: (ms) => (at += ms) };
}

const wrong = (): never => {
  throw new WrongPasswordError();
};

void describe('PasswordAttempts', () => {
  void test('three wrong passwords are free; then each try waits longer, and a right one clears the count', async () => {
    const store = new MemoryPersistence();
    const time = clock();
    const attempts = new PasswordAttempts(store, store, time.now);
    for (let i = 0; i < PASSWORD_ATTEMPT_POLICY.freeFailures; i++) {
      await assert.rejects(attempts.guard('bob', wrong), WrongPasswordError);
    }
    let derivations = 0;
    const right = () => ++derivations;
    await assert.rejects(attempts.guard('bob', right), (err: unknown) => {
      assert.ok(err instanceof PasswordRetryLaterError);
      assert.equal(err.params.seconds, 5);
      return true;
    });
    await assert.rejects(attempts.check('bob'), PasswordRetryLaterError);
    assert.equal(derivations, 0, 'a refused try derives nothing');
    await attempts.check('alice'); // per user

    time.advance(5_000);
    await assert.rejects(attempts.guard('bob', wrong), WrongPasswordError);
    time.advance(9_000);
    await assert.rejects(attempts.guard('bob', right), (err: unknown) => {
      assert.ok(err instanceof PasswordRetryLaterError);
      assert.equal(err.params.seconds, 1, '10 s after the 4th failure');
      return true;
    });
    time.advance(1_000);
    assert.equal(await attempts.guard('bob', right), 1);
    await assert.rejects(attempts.guard('bob', wrong), WrongPasswordError);
    await attempts.check('bob'); // the count started again from zero
  });

  void test('the count lives in persistence: a restarted process (or another instance) still makes bob wait', async () => {
    const store = new MemoryPersistence();
    const time = clock();
    const first = new PasswordAttempts(store, store, time.now);
    for (let i = 0; i < 4; i++) {
      await assert.rejects(first.guard('bob', wrong), i < 3 ? WrongPasswordError : PasswordRetryLaterError);
    }
    const restarted = new PasswordAttempts(store, store, time.now);
    await assert.rejects(restarted.check('bob'), PasswordRetryLaterError);
    assert.doesNotMatch(store.dump(), new RegExp(GUESS));
    assert.deepEqual(Object.keys((JSON.parse(store.dump()) as Array<{ data: object }>)[0].data).sort(), [
      'failures',
      'lastFailureAt',
      'runningUntil',
      'userId',
    ]);
    time.advance(PASSWORD_ATTEMPT_POLICY.forgetAfterMs + 1);
    await restarted.check('bob'); // failures an hour old no longer count
  });

  void test('one derivation per user at a time: a second try while one runs is refused', async () => {
    const store = new MemoryPersistence();
    const attempts = new PasswordAttempts(store, store);
    let finish: (value: string) => void = () => undefined;
    const running = attempts.guard('bob', () => new Promise<string>((resolve) => (finish = resolve)));
    // let the first guard reach its derivation
    await new Promise((resolve) => setTimeout(resolve, 20));
    await assert.rejects(
      attempts.guard('bob', () => 'second'),
      PasswordCheckBusyError,
    );
    await assert.rejects(attempts.check('bob'), PasswordCheckBusyError);
    assert.equal(await attempts.guard('carol', () => 'carol may'), 'carol may');
    finish('first');
    assert.equal(await running, 'first');
    assert.equal(await attempts.guard('bob', () => 'now'), 'now');
  });

  void test('a derivation another instance marked as running blocks until its lease ends', async () => {
    const store = new MemoryPersistence();
    const time = clock();
    await store.createWithAssociations(
      { userId: 'bob', failures: 0, lastFailureAt: 0, runningUntil: time.now() + 30_000 },
      [
        new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-password-attempts'),
        new RocketChatAssociationRecord(RocketChatAssociationModel.USER, 'bob'),
      ],
    );
    const attempts = new PasswordAttempts(store, store, time.now);
    await assert.rejects(
      attempts.guard('bob', () => 1),
      PasswordCheckBusyError,
    );
    time.advance(30_001);
    assert.equal(await attempts.guard('bob', () => 2), 2);
  });

  void test('the wait doubles after the free failures and is capped', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(delayAfter), [0, 0, 0, 5_000, 10_000, 20_000]);
    assert.equal(delayAfter(50), PASSWORD_ATTEMPT_POLICY.maxDelayMs);
  });
});
