/**
 * An independent decryptor written only from docs/FORMAT.md ("Decryption, step by step"), using node:crypto's
 * scrypt/HKDF/HMAC and tweetnacl's secretbox.open. It deliberately shares no code with src/crypto, so tests that
 * pass through it prove objects follow the documented format. Not for app use: it is simple, not fast.
 */
import { createHmac, hkdfSync, scryptSync, timingSafeEqual } from 'node:crypto';
import nacl from 'tweetnacl';

/** What went wrong, named after the outcomes in FORMAT.md. */
export type ReferenceFailure = 'foreign' | 'unsupported-version' | 'corrupt' | 'kdf-too-expensive' | 'wrong-password';

/** Failure of the reference decryptor; `kind` says which documented outcome was reached. */
export class ReferenceDecryptError extends Error {
  constructor(
    public readonly kind: ReferenceFailure,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}

/** A decrypted object per the reference procedure. */
export interface ReferenceResult {
  metadata: { name: string; mediaType: string; size: number; previousCid?: Uint8Array };
  plaintext: Uint8Array;
}

const MAGIC = Buffer.from('89524349504653' + '0a', 'hex');
const HEADER_LEN = 1480;
const ZERO_NONCE = new Uint8Array(24);

function fail(kind: ReferenceFailure, message: string): never {
  throw new ReferenceDecryptError(kind, message);
}

function hkdf32(fileKey: Uint8Array, label: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', fileKey, Buffer.alloc(0), Buffer.from(label, 'ascii'), 32));
}

function chunkNonce(i: number, last: boolean): Uint8Array {
  const nonce = Buffer.alloc(24);
  nonce.writeBigUInt64BE(BigInt(i), 15);
  nonce[23] = last ? 1 : 0;
  return nonce;
}

/**
 * Decrypts a whole object with a password, following FORMAT.md step by step.
 *
 * @throws {ReferenceDecryptError} with the documented outcome on any failure
 */
export function referenceDecrypt(objectBytes: Uint8Array, password: string): ReferenceResult {
  return decryptWith(objectBytes, { password });
}

/**
 * Decrypts a whole object with its file key ("Opening with a file key" in FORMAT.md: steps 1–5, then 7–11).
 *
 * @throws {ReferenceDecryptError} with the documented outcome on any failure (a wrong key: corrupt)
 */
export function referenceDecryptWithFileKey(objectBytes: Uint8Array, fileKey: Uint8Array): ReferenceResult {
  return decryptWith(objectBytes, { fileKey });
}

function decryptWith(objectBytes: Uint8Array, secret: { password: string } | { fileKey: Uint8Array }): ReferenceResult {
  const obj = Buffer.from(objectBytes.buffer, objectBytes.byteOffset, objectBytes.byteLength);
  // 1–3: magic, version, header length
  if (obj.length < 9 || !obj.subarray(0, 8).equals(MAGIC)) fail('foreign', 'magic');
  if (obj[8] !== 0x01) fail('unsupported-version', String(obj[8]));
  if (obj.length < HEADER_LEN) fail('corrupt', 'truncated header');
  // 4–5: fields and cap
  const chunkLog2 = obj[9];
  const [logN, r, p] = [obj[10], obj[11], obj[12]];
  if (chunkLog2 < 10 || chunkLog2 > 20 || logN === 0 || r === 0 || p === 0) fail('corrupt', 'header field');
  if (logN > 20 || r > 8 || p > 4 || 2 ** logN * r * p > 2 ** 23) fail('kdf-too-expensive', `${logN}/${r}/${p}`);
  const chunkSize = 2 ** chunkLog2;
  // 6: scrypt and unwrap (skipped with a file key; a key of another length fits no object: corrupt)
  let fileKey: Uint8Array;
  if ('fileKey' in secret) {
    if (secret.fileKey.length !== 32) fail('corrupt', 'file key length');
    fileKey = secret.fileKey;
  } else {
    const salt = Buffer.concat([Buffer.from('rc-ipfs-storage v1 scrypt', 'ascii'), obj.subarray(13, 29)]);
    const N = 2 ** logN;
    // Node's default maxmem (32 MiB) is below what logN 15, r 8 needs: allow 128·N·r plus the small buffers
    const wrapKey = scryptSync(Buffer.from(secret.password.normalize('NFC'), 'utf8'), salt, 32, {
      N,
      r,
      p,
      maxmem: 256 * N * r + 2 ** 24,
    });
    const unwrapped = nacl.secretbox.open(obj.subarray(29, 77), ZERO_NONCE, wrapKey);
    if (!unwrapped) fail('wrong-password', 'unwrap');
    fileKey = unwrapped;
  }
  // 7: header MAC
  const headerMacKey = hkdf32(fileKey, 'rc-ipfs-storage v1 header-mac');
  const metadataKey = hkdf32(fileKey, 'rc-ipfs-storage v1 metadata');
  const payloadKey = hkdf32(fileKey, 'rc-ipfs-storage v1 payload');
  const mac = createHmac('sha256', headerMacKey).update(obj.subarray(0, 1448)).digest();
  if (!timingSafeEqual(mac, obj.subarray(1448, 1480))) fail('corrupt', 'header MAC');
  // 8: metadata
  const opened = nacl.secretbox.open(obj.subarray(77, 1448), ZERO_NONCE, metadataKey);
  if (!opened) fail('corrupt', 'metadata box');
  const rec = Buffer.from(opened);
  if (rec.length !== 1355) fail('corrupt', 'metadata length');
  const bigSize = rec.readBigUInt64BE(0);
  const nameLen = rec.readUInt16BE(8);
  const typeLen = rec[10];
  const prevLen = rec[1290];
  if (bigSize > BigInt(Number.MAX_SAFE_INTEGER) || nameLen > 1024 || prevLen > 64) fail('corrupt', 'metadata range');
  if (rec.subarray(11 + nameLen, 1035).some((b) => b !== 0)) fail('corrupt', 'name padding');
  if (rec.subarray(1035 + typeLen, 1290).some((b) => b !== 0)) fail('corrupt', 'type padding');
  if (rec.subarray(1291 + prevLen, 1355).some((b) => b !== 0)) fail('corrupt', 'previous CID padding');
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let name: string;
  let mediaType: string;
  try {
    name = utf8.decode(rec.subarray(11, 11 + nameLen));
    mediaType = utf8.decode(rec.subarray(1035, 1035 + typeLen));
  } catch {
    fail('corrupt', 'metadata UTF-8');
  }
  const size = Number(bigSize);
  const previousCid = prevLen > 0 ? { previousCid: new Uint8Array(rec.subarray(1291, 1291 + prevLen)) } : {};
  // 9 (the optional early length check) is skipped on purpose: steps 10–11 must catch everything alone.
  // 10: the chunk stream
  const payload = obj.subarray(HEADER_LEN);
  const parts: Uint8Array[] = [];
  let pos = 0;
  let i = 0;
  for (;;) {
    const remaining = payload.length - pos;
    const last = remaining <= chunkSize + 16;
    const sealed = payload.subarray(pos, pos + Math.min(remaining, chunkSize + 16));
    if (last && (sealed.length < 16 || (sealed.length === 16 && i > 0))) fail('corrupt', 'truncated/empty last');
    const plain = nacl.secretbox.open(sealed, chunkNonce(i, last), payloadKey);
    if (!plain) fail('corrupt', `chunk ${i}`);
    parts.push(plain);
    pos += sealed.length;
    i++;
    if (last) break;
  }
  const plaintext = Buffer.concat(parts);
  // 11: size
  if (plaintext.length !== size) fail('corrupt', 'size');
  return { metadata: { name, mediaType, size, ...previousCid }, plaintext: new Uint8Array(plaintext) };
}
