/**
 * File keys wrapped to a user's X25519 public key (NaCl `box`: X25519 + XSalsa20-Poly1305), kept in the app's
 * persistence, never on IPFS. Each wrap uses a fresh ephemeral key pair and a random nonce, and seals the file
 * key together with the object's CID, so a wrapped key cannot be moved onto another object's grant.
 */
import nacl from 'tweetnacl';
import { constantTimeEqual, KEY_BYTES } from '../crypto/keys';
import { randomBytes } from '../crypto/random';
import { fromBase64, toBase64 } from './encoding';
import { KeyUnwrapError } from './errors';

export { KeyUnwrapError };

/** A file key wrapped to one recipient; every field is base64. */
export interface WrappedKey {
  /** The sender's one-time X25519 public key (32 bytes). */
  ephemeralPublicKey: string;
  /** Random 24-byte box nonce. */
  nonce: string;
  /** `box(fileKey ‖ cid, nonce, recipientPublicKey, ephemeralSecretKey)`: 16 + 32 + cid length bytes. */
  box: string;
}

/** Length of an X25519 public or secret key. */
export const X25519_KEY_BYTES = nacl.box.publicKeyLength; // 32

/**
 * Wraps a file key to a recipient's public key, bound to the object's CID.
 *
 * @param fileKey - the object's 32-byte file key
 * @param recipientPublicKey - the recipient's 32-byte X25519 public key
 * @param cid - the object's binary CID (`cidToBytes`), at least one byte
 * @returns the wrapped key, safe to store (it reveals nothing without the recipient's private key)
 * @throws {RangeError} if a key has the wrong length or the CID is empty
 */
export function wrapFileKey(fileKey: Uint8Array, recipientPublicKey: Uint8Array, cid: Uint8Array): WrappedKey {
  if (fileKey.length !== KEY_BYTES) throw new RangeError('file key must be 32 bytes');
  if (recipientPublicKey.length !== X25519_KEY_BYTES) throw new RangeError('public key must be 32 bytes');
  if (cid.length === 0) throw new RangeError('CID must not be empty');
  const ephemeral = nacl.box.keyPair.fromSecretKey(randomBytes(X25519_KEY_BYTES));
  const nonce = randomBytes(nacl.box.nonceLength);
  const message = new Uint8Array(KEY_BYTES + cid.length);
  message.set(fileKey);
  message.set(cid, KEY_BYTES);
  const box = nacl.box(message, nonce, recipientPublicKey, ephemeral.secretKey);
  message.fill(0);
  ephemeral.secretKey.fill(0);
  return { ephemeralPublicKey: toBase64(ephemeral.publicKey), nonce: toBase64(nonce), box: toBase64(box) };
}

/**
 * Opens a wrapped file key with the recipient's private key and checks that it was wrapped for this CID.
 *
 * @param wrapped - as stored (its fields are checked; it may come from persistence)
 * @param recipientSecretKey - the recipient's 32-byte X25519 private key
 * @param cid - the binary CID of the object the caller is about to open
 * @returns the 32-byte file key
 * @throws {KeyUnwrapError} if the wrapped key is malformed, was wrapped to someone else, was altered, or is
 *   bound to another CID
 * @throws {RangeError} if `recipientSecretKey` is not 32 bytes
 */
export function unwrapFileKey(wrapped: WrappedKey, recipientSecretKey: Uint8Array, cid: Uint8Array): Uint8Array {
  if (recipientSecretKey.length !== X25519_KEY_BYTES) throw new RangeError('private key must be 32 bytes');
  const ephemeralPublicKey = fromBase64(wrapped?.ephemeralPublicKey, X25519_KEY_BYTES);
  const nonce = fromBase64(wrapped?.nonce, nacl.box.nonceLength);
  const box = fromBase64(wrapped?.box);
  if (!ephemeralPublicKey || !nonce || !box) throw new KeyUnwrapError('wrapped key is malformed');
  const opened = nacl.box.open(box, nonce, ephemeralPublicKey, recipientSecretKey);
  if (!opened) throw new KeyUnwrapError('wrapped key does not open with this private key');
  try {
    if (opened.length !== KEY_BYTES + cid.length || !constantTimeEqual(opened.subarray(KEY_BYTES), cid)) {
      throw new KeyUnwrapError('wrapped key belongs to another object');
    }
    return opened.slice(0, KEY_BYTES);
  } finally {
    opened.fill(0);
  }
}
