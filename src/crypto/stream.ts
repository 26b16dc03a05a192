/**
 * The payload: the plaintext cut into fixed-size chunks, each sealed with NaCl secretbox under the payload key.
 * The nonce binds the chunk's index and whether it is the last one (the STREAM construction, as in age), so
 * truncation, reordering, duplication and appended data all fail authentication. See docs/FORMAT.md.
 */
import nacl from 'tweetnacl';
import { CorruptObjectError } from './errors';
import { ChunkStream } from './chunkStream';
import { payloadKeyOf, type UnlockedObject } from './header';

/** Bytes a sealed chunk adds to its plaintext (the Poly1305 tag). */
export const CHUNK_OVERHEAD = nacl.secretbox.overheadLength;

/**
 * The 24-byte nonce of chunk `index`: 15 zero bytes, the index as u64 big-endian, then 0x01 for the last chunk
 * and 0x00 otherwise.
 *
 * @throws {RangeError} if `index` is not a non-negative safe integer
 */
export function chunkNonce(index: number, last: boolean): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('bad chunk index');
  const nonce = new Uint8Array(nacl.secretbox.nonceLength);
  const view = new DataView(nonce.buffer);
  view.setUint32(15, Math.floor(index / 2 ** 32));
  view.setUint32(19, index >>> 0);
  nonce[23] = last ? 1 : 0;
  return nonce;
}

/**
 * Total ciphertext length of a payload holding `size` plaintext bytes: max(1, ceil(size / chunkSize)) chunks,
 * each `CHUNK_OVERHEAD` bytes longer than its plaintext.
 */
export function payloadLength(size: number, chunkSize: number): number {
  return size + Math.max(1, Math.ceil(size / chunkSize)) * CHUNK_OVERHEAD;
}

/**
 * Encrypts a payload incrementally. Create one with `beginEncryption` (it also gives the header); write the
 * header, then everything `push`/`pushInto` return, then what `finish` returns.
 */
export class ChunkEncryptor extends ChunkStream {
  private total = 0;

  /**
   * @param payloadKey - the 32-byte payload key (internal; use `beginEncryption`)
   * @param chunkSize - plaintext bytes per chunk, as written in the header
   * @param expectedSize - plaintext size recorded in the metadata; `finish` refuses any other total
   */
  constructor(
    private readonly payloadKey: Uint8Array,
    chunkSize: number,
    private readonly expectedSize?: number,
  ) {
    super(chunkSize, CHUNK_OVERHEAD);
  }

  protected process(input: Uint8Array, last: boolean): Uint8Array {
    this.total += input.length;
    return nacl.secretbox(input, chunkNonce(this.index, last), this.payloadKey);
  }

  /** @throws {RangeError} if the plaintext size differs from the one in the metadata */
  protected checkLast(lastInputLength: number): void {
    const total = this.total + lastInputLength;
    if (this.expectedSize !== undefined && total !== this.expectedSize) {
      throw new RangeError(`encrypted ${total} bytes but the metadata says ${this.expectedSize}`);
    }
  }
}

/**
 * Decrypts a payload incrementally: push the object's bytes FROM `header.headerLength` on, in pieces of any
 * size. Every returned byte is authenticated, but the plaintext is complete only once `finish` succeeded: a
 * truncated object yields its first chunks and then fails in `finish`.
 */
export class ChunkDecryptor extends ChunkStream {
  private readonly payloadKey: Uint8Array;
  private readonly expectedSize: number;
  private total = 0;

  /**
   * @param unlocked - the object returned by `unlockHeader`
   * @throws {TypeError} if `unlocked` did not come from `unlockHeader`
   */
  constructor(unlocked: UnlockedObject) {
    super(unlocked.header.chunkSize + CHUNK_OVERHEAD, -CHUNK_OVERHEAD);
    this.payloadKey = payloadKeyOf(unlocked);
    this.expectedSize = unlocked.metadata.size;
  }

  protected process(input: Uint8Array, last: boolean): Uint8Array {
    const plain = nacl.secretbox.open(input, chunkNonce(this.index, last), this.payloadKey);
    if (!plain) throw new CorruptObjectError(`chunk ${this.index} does not verify`);
    this.total += plain.length;
    if (this.total > this.expectedSize) throw new CorruptObjectError('more content than the metadata says');
    if (last && this.total !== this.expectedSize) throw new CorruptObjectError('content shorter than metadata says');
    return plain;
  }

  /** @throws {CorruptObjectError} if the last chunk is missing or empty where it may not be */
  protected checkLast(lastInputLength: number): void {
    if (lastInputLength < CHUNK_OVERHEAD) throw new CorruptObjectError('payload is truncated');
    if (lastInputLength === CHUNK_OVERHEAD && this.index > 0) throw new CorruptObjectError('empty last chunk');
  }
}
