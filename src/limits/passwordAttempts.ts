import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { WrongPasswordError } from '../crypto/errors';
import { UserFacingError } from '../errors';

/**
 * Limits on password guessing, per user, the way a login form does it: one password derivation at a time, and
 * after a few wrong passwords a growing wait before the next try. Each derivation is seconds of scrypt in the
 * app's single process, so this also bounds what one user can make the process spend.
 *
 * The counter lives in persistence (one record per user), so it holds across app restarts and across the
 * instances of a cluster. It holds counts and times only: never a password, a guess or derived material.
 * Persistence has no compare-and-set, so two instances can still each start one derivation for the same user
 * at the same moment; within one instance the check-and-set is atomic.
 */

/** How many wrong passwords are free, how the wait grows after that, and when the record is forgotten. */
export const PASSWORD_ATTEMPT_POLICY = Object.freeze({
  freeFailures: 3,
  /** Wait after the first failure beyond the free ones; doubles with each further failure. */
  firstDelayMs: 5_000,
  maxDelayMs: 5 * 60_000,
  /** Failures older than this no longer count. */
  forgetAfterMs: 60 * 60_000,
  /** A derivation marked running longer than this is taken as lost (its process died). */
  runningLeaseMs: 2 * 60_000,
});

/** Another password check of this user is still running. */
export class PasswordCheckBusyError extends UserFacingError {
  constructor() {
    super('error_password_check_busy', 'a password derivation for this user is already running');
  }
}

/** Too many wrong passwords lately: the next try must wait. */
export class PasswordRetryLaterError extends UserFacingError {
  constructor(public readonly waitMs: number) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    super('error_password_retry_later', `too many wrong passwords, next try in ${seconds} s`, { seconds });
  }
}

/** A wrong password, or a try refused by these limits: all answers about the password field. */
export function isPasswordRefusal(error: unknown): boolean {
  return (
    error instanceof WrongPasswordError ||
    error instanceof PasswordCheckBusyError ||
    error instanceof PasswordRetryLaterError
  );
}

interface AttemptRecord {
  userId: string;
  failures: number;
  lastFailureAt: number;
  runningUntil: number;
}

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-password-attempts');

function associations(userId: string): RocketChatAssociationRecord[] {
  return [KIND, new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId)];
}

/** Users with a derivation running in this process: a synchronous check-and-set, no persistence round trip. */
const runningHere = new Set<string>();

/** The wait owed after `failures` wrong passwords, 0 while they are within the free ones. */
export function delayAfter(failures: number): number {
  const { freeFailures, firstDelayMs, maxDelayMs } = PASSWORD_ATTEMPT_POLICY;
  if (failures < freeFailures) return 0;
  return Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(failures - freeFailures, 20));
}

export class PasswordAttempts {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Refuses a try that must wait or would run beside another, without taking a turn (for a form to answer
   * before it does other work).
   * @throws PasswordCheckBusyError | PasswordRetryLaterError
   */
  public async check(userId: string): Promise<void> {
    if (runningHere.has(userId)) throw new PasswordCheckBusyError();
    await this.checkStored(userId);
  }

  /** The part of {@link check} that other instances of a cluster see too. */
  private async checkStored(userId: string): Promise<void> {
    const record = await this.read(userId);
    const now = this.now();
    if (record.runningUntil > now) throw new PasswordCheckBusyError();
    const waitUntil = record.lastFailureAt + delayAfter(record.failures);
    if (waitUntil > now) throw new PasswordRetryLaterError(waitUntil - now);
  }

  /**
   * Runs one password derivation for the user, if it may run now, and counts its outcome: a
   * WrongPasswordError counts as a failure, success clears the count, other errors leave it as it was.
   * @throws PasswordCheckBusyError | PasswordRetryLaterError before `derive` runs; else whatever it throws.
   */
  public async guard<T>(userId: string, derive: () => T | Promise<T>): Promise<T> {
    if (runningHere.has(userId)) throw new PasswordCheckBusyError();
    runningHere.add(userId);
    try {
      await this.checkStored(userId);
      const record = await this.read(userId);
      await this.write({ ...record, runningUntil: this.now() + PASSWORD_ATTEMPT_POLICY.runningLeaseMs });
      let result: T;
      try {
        result = await derive();
      } catch (error) {
        const failed = error instanceof WrongPasswordError;
        await this.write({
          ...record,
          failures: failed ? record.failures + 1 : record.failures,
          lastFailureAt: failed ? this.now() : record.lastFailureAt,
          runningUntil: 0,
        });
        throw error;
      }
      await this.clear(userId);
      return result;
    } finally {
      runningHere.delete(userId);
    }
  }

  /** The user's record; several (a racing write) merge to the strictest. Old failures are forgotten. */
  private async read(userId: string): Promise<AttemptRecord> {
    const found = (await this.reader.readByAssociations(associations(userId))) as Partial<AttemptRecord>[];
    const merged: AttemptRecord = { userId, failures: 0, lastFailureAt: 0, runningUntil: 0 };
    for (const r of found) {
      merged.failures = Math.max(merged.failures, Number(r.failures) || 0);
      merged.lastFailureAt = Math.max(merged.lastFailureAt, Number(r.lastFailureAt) || 0);
      merged.runningUntil = Math.max(merged.runningUntil, Number(r.runningUntil) || 0);
    }
    if (merged.lastFailureAt < this.now() - PASSWORD_ATTEMPT_POLICY.forgetAfterMs) {
      merged.failures = 0;
      merged.lastFailureAt = 0;
    }
    return merged;
  }

  /** Remove-then-create: some Rocket.Chat versions fail to update an existing record by associations. */
  private async write(record: AttemptRecord): Promise<void> {
    await this.clear(record.userId);
    await this.persistence.createWithAssociations(record, associations(record.userId));
  }

  /** Removes every record of the user, also where a removal takes only one match per call. */
  private async clear(userId: string): Promise<void> {
    for (let round = 0; round < 5; round++) {
      const left = await this.reader.readByAssociations(associations(userId));
      if (left.length === 0) return;
      await this.persistence.removeByAssociations(associations(userId));
    }
  }
}
