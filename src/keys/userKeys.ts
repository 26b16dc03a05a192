/**
 * A user's X25519 key pair as stored in persistence: the public key in clear, the private key sealed with
 * `secretbox` under a key derived from the workspace secret AND the user id, so one user's record copied onto
 * another user's id does not open.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import nacl from 'tweetnacl';
import { constantTimeEqual } from '../crypto/keys';
import { randomBytes } from '../crypto/random';
import { fromBase64, toBase64 } from './encoding';
import { KeyUnwrapError } from './errors';
import { X25519_KEY_BYTES } from './keyWrap';

/** One user's key pair as persisted (binary fields in base64). */
export interface UserKeyRecord {
  userId: string;
  publicKey: string;
  /** `secretbox(secretKey, nonce, HKDF(workspaceSecret, label ‖ 0x00 ‖ userId))`. */
  wrappedSecretKey: string;
  nonce: string;
  createdAt: number;
}

/** An opened key pair; the caller wipes `secretKey` when done. */
export interface UserKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** HKDF `info` prefix for the key that seals users' private keys (the user id follows after a zero byte). */
export const USER_KEY_LABEL = 'rc-ipfs-storage v1 user-key';

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-user-key');

/** The associations of a user's key record (the order matters for updates). */
export function userKeyAssociations(userId: string): RocketChatAssociationRecord[] {
  return [KIND, new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId)];
}

/**
 * Derives the key that seals one user's private key: HKDF-SHA256(ikm = workspace secret, salt = empty,
 * info = label ‖ 0x00 ‖ UTF-8(userId), 32).
 *
 * @throws {RangeError} if the user id is empty
 */
export function deriveUserSealKey(workspaceSecret: Uint8Array, userId: string): Uint8Array {
  if (typeof userId !== 'string' || userId.length === 0) throw new RangeError('user id must not be empty');
  const label = new TextEncoder().encode(USER_KEY_LABEL);
  const id = new TextEncoder().encode(userId);
  const info = new Uint8Array(label.length + 1 + id.length);
  info.set(label);
  info.set(id, label.length + 1);
  return hkdf(sha256, workspaceSecret, new Uint8Array(0), info, 32);
}

/**
 * Generates a fresh key pair for a user and seals its private key.
 *
 * @returns the record to store (the private key appears in it only sealed)
 * @throws {RangeError} if the user id is empty
 */
export function newUserKeyRecord(workspaceSecret: Uint8Array, userId: string, createdAt: number): UserKeyRecord {
  const sealKey = deriveUserSealKey(workspaceSecret, userId);
  const pair = nacl.box.keyPair.fromSecretKey(randomBytes(X25519_KEY_BYTES));
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  const wrappedSecretKey = nacl.secretbox(pair.secretKey, nonce, sealKey);
  pair.secretKey.fill(0);
  sealKey.fill(0);
  return {
    userId,
    publicKey: toBase64(pair.publicKey),
    wrappedSecretKey: toBase64(wrappedSecretKey),
    nonce: toBase64(nonce),
    createdAt,
  };
}

/**
 * Opens a stored record for the given user and checks that its private key matches its public key.
 *
 * @throws {KeyUnwrapError} if the record is malformed, belongs to another user, was sealed under another
 *   workspace secret, or its public key was swapped
 */
export function openUserKeyRecord(record: UserKeyRecord, workspaceSecret: Uint8Array, userId: string): UserKeyPair {
  const publicKey = fromBase64(record?.publicKey, X25519_KEY_BYTES);
  const nonce = fromBase64(record?.nonce, nacl.secretbox.nonceLength);
  const sealed = fromBase64(record?.wrappedSecretKey, X25519_KEY_BYTES + nacl.secretbox.overheadLength);
  if (!publicKey || !nonce || !sealed || record.userId !== userId) {
    throw new KeyUnwrapError('user key record is malformed or belongs to another user');
  }
  const sealKey = deriveUserSealKey(workspaceSecret, userId);
  const secretKey = nacl.secretbox.open(sealed, nonce, sealKey);
  sealKey.fill(0);
  if (!secretKey) throw new KeyUnwrapError('user key record does not open for this user');
  if (!constantTimeEqual(nacl.box.keyPair.fromSecretKey(secretKey).publicKey, publicKey)) {
    secretKey.fill(0);
    throw new KeyUnwrapError('user key record holds a public key that does not match its private key');
  }
  return { publicKey, secretKey };
}

/**
 * Reads a user's key records, the one to use first. Normally there is one; should a racing upsert ever have
 * left two, every caller orders them the same way (oldest first, then by public key).
 */
export async function readUserKeyRecords(reader: IPersistenceRead, userId: string): Promise<UserKeyRecord[]> {
  const records = (await reader.readByAssociations(userKeyAssociations(userId))) as UserKeyRecord[];
  return records
    .slice()
    .sort((a, b) => a.createdAt - b.createdAt || (a.publicKey < b.publicKey ? -1 : a.publicKey > b.publicKey ? 1 : 0));
}

/** Stores a user's record (upsert on the user's associations). */
export async function writeUserKeyRecord(persistence: IPersistence, record: UserKeyRecord): Promise<void> {
  await persistence.updateByAssociations(userKeyAssociations(record.userId), record, true);
}
