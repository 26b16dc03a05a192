/**
 * Users' X25519 key pairs: created on first use, private keys kept sealed under the workspace secret, and the
 * two operations the app needs, wrapping a file key to a user and opening what was wrapped to them.
 */
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { KeyUnwrapError } from './errors';
import { unwrapFileKey, wrapFileKey, type WrappedKey } from './keyWrap';
import {
  newUserKeyRecord,
  openUserKeyRecord,
  readUserKeyRecords,
  writeUserKeyRecord,
  type UserKeyPair,
} from './userKeys';
import { loadWorkspaceSecret } from './workspaceSecret';

export class KeyRing {
  private secret?: Promise<Uint8Array>;

  /**
   * @param persistence - the app's persistence (writes)
   * @param reader - the app's persistence reader
   * @param now - clock for the records' `createdAt` (milliseconds since the epoch)
   */
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * The user's public key, creating their key pair on first use. If two calls race to create it, both write
   * and then re-read, so both return the pair that is stored.
   *
   * @param userId - the Rocket.Chat user id
   * @returns the 32-byte X25519 public key
   * @throws {KeyUnwrapError} if the user's stored record does not open (so nothing gets wrapped to a key the
   *   user could never use)
   * @throws {RangeError} if the user id is empty
   * @throws {Error} if persistence fails
   */
  public async publicKeyOf(userId: string): Promise<Uint8Array> {
    const pair = await this.pairOf(userId, true);
    pair.secretKey.fill(0);
    return pair.publicKey;
  }

  /**
   * Wraps a file key to a user (creating their key pair on first use), bound to the object's CID.
   *
   * @param userId - the recipient (or the owner, for their own copy)
   * @param fileKey - the object's 32-byte file key
   * @param cid - the object's binary CID (`cidToBytes`)
   * @returns the wrapped key, to be stored in the app's persistence
   * @throws {KeyUnwrapError} | {RangeError} | {Error} as {@link KeyRing.publicKeyOf}, and RangeError on a
   *   malformed file key or empty CID
   */
  public async wrapFor(userId: string, fileKey: Uint8Array, cid: Uint8Array): Promise<WrappedKey> {
    return wrapFileKey(fileKey, await this.publicKeyOf(userId), cid);
  }

  /**
   * Opens a file key wrapped to a user with their private key. Never creates a key pair.
   *
   * @param userId - the user the key was wrapped to
   * @param wrapped - the stored wrapped key
   * @param cid - the binary CID of the object about to be opened
   * @returns the 32-byte file key (the caller wipes it when done)
   * @throws {KeyUnwrapError} if the user has no key pair, their record does not open, or the wrapped key does
   *   not open for them or for this CID
   * @throws {Error} if persistence fails
   */
  public async open(userId: string, wrapped: WrappedKey, cid: Uint8Array): Promise<Uint8Array> {
    const pair = await this.pairOf(userId, false);
    try {
      return unwrapFileKey(wrapped, pair.secretKey, cid);
    } finally {
      pair.secretKey.fill(0);
    }
  }

  /** The user's opened key pair; with `create`, made and stored when missing (write, then re-read). */
  private async pairOf(userId: string, create: boolean): Promise<UserKeyPair> {
    if (typeof userId !== 'string' || userId.length === 0) throw new RangeError('user id must not be empty');
    let [record] = await readUserKeyRecords(this.reader, userId);
    if (!record && !create) throw new KeyUnwrapError('the user has no key pair');
    const secret = await this.workspaceSecret();
    if (!record) {
      await writeUserKeyRecord(this.persistence, newUserKeyRecord(secret, userId, this.now()));
      [record] = await readUserKeyRecords(this.reader, userId);
      if (!record) throw new Error('a user key record could not be read back after storing it');
    }
    return openUserKeyRecord(record, secret, userId);
  }

  /** The workspace secret, loaded once per KeyRing (created when missing). */
  private workspaceSecret(): Promise<Uint8Array> {
    this.secret ??= loadWorkspaceSecret(this.persistence, this.reader).catch((err: unknown) => {
      this.secret = undefined; // a later call may try again
      throw err;
    });
    return this.secret;
  }
}
