/**
 * The payload: the plaintext cut into fixed-size chunks, each sealed with NaCl secretbox under the payload key.
 * The nonce binds the chunk's index and whether it is the last one (the STREAM construction, as in age), so
 * truncation, reordering, duplication and appended data all fail authentication. See docs/FORMAT.md.
 */
import nacl from 'tweetnacl';
import { CorruptObjectError } from './errors';
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

/** Shared buffering: holds back one full input chunk until it is known whether more input follows it. */
abstract class ChunkStream {
  private readonly buf: Uint8Array;
  private bufLen = 0;
  protected index = 0;
  private done = false;

  protected constructor(
    /** Input bytes per full chunk. */
    private readonly inSize: number,
    /** Output bytes minus input bytes per chunk (+16 sealing, −16 opening). */
    private readonly delta: number,
  ) {
    this.buf = new Uint8Array(inSize);
  }

  /** Turns one input chunk into output; `last` is true only for the final one. */
  protected abstract process(input: Uint8Array, last: boolean): Uint8Array;
  /** Called when finishing, before the last chunk is processed. */
  protected abstract checkLast(lastInputLength: number): void;

  /** How many output bytes a `push` of `pieceLength` bytes returns now (depends on what is buffered). */
  outputLength(pieceLength: number): number {
    const total = this.bufLen + pieceLength;
    return total > 0 ? Math.floor((total - 1) / this.inSize) * (this.inSize + this.delta) : 0;
  }

  /** How many output bytes `finish` returns now. */
  finalLength(): number {
    return Math.max(0, this.bufLen + this.delta);
  }

  /**
   * Consumes a piece of any size and returns the output of every chunk it completed (often empty).
   * @throws {CorruptObjectError} (decryptor) if a chunk fails authentication
   * @throws {Error} if the stream is already finished or failed
   */
  push(piece: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.outputLength(piece.length));
    this.pushInto(piece, out, 0);
    return out;
  }

  /**
   * Like {@link push} but writes into `out` at `offset`; returns the number of bytes written.
   * @throws {RangeError} if `out` lacks room for {@link outputLength} bytes
   * @throws {CorruptObjectError} (decryptor) if a chunk fails authentication
   */
  pushInto(piece: Uint8Array, out: Uint8Array, offset: number): number {
    this.assertOpen();
    if (out.length - offset < this.outputLength(piece.length)) throw new RangeError('output buffer too small');
    let written = 0;
    let pos = 0;
    while (pos < piece.length) {
      if (this.bufLen === this.inSize) {
        written += this.emit(this.buf, false, out, offset + written);
        this.bufLen = 0;
      }
      const remaining = piece.length - pos;
      if (this.bufLen === 0 && remaining > this.inSize) {
        // A whole chunk with more input after it: process it in place, no copy.
        written += this.emit(piece.subarray(pos, pos + this.inSize), false, out, offset + written);
        pos += this.inSize;
        continue;
      }
      const take = Math.min(this.inSize - this.bufLen, remaining);
      this.buf.set(piece.subarray(pos, pos + take), this.bufLen);
      this.bufLen += take;
      pos += take;
    }
    return written;
  }

  /**
   * Ends the stream: processes the buffered bytes as the last chunk and returns its output.
   * @throws {CorruptObjectError} (decryptor) if the stream was truncated or the last chunk fails authentication
   */
  finish(): Uint8Array {
    const out = new Uint8Array(this.finalLength());
    this.finishInto(out, 0);
    return out;
  }

  /**
   * Like {@link finish} but writes into `out` at `offset`; returns the number of bytes written.
   * @throws {RangeError} if `out` lacks room for {@link finalLength} bytes
   * @throws {CorruptObjectError} (decryptor) if the stream was truncated or the last chunk fails authentication
   */
  finishInto(out: Uint8Array, offset: number): number {
    this.assertOpen();
    try {
      this.checkLast(this.bufLen);
    } catch (err) {
      this.done = true;
      throw err;
    }
    if (out.length - offset < this.finalLength()) throw new RangeError('output buffer too small');
    const written = this.emit(this.buf.subarray(0, this.bufLen), true, out, offset);
    this.done = true;
    return written;
  }

  private emit(input: Uint8Array, last: boolean, out: Uint8Array, offset: number): number {
    try {
      const result = this.process(input, last);
      out.set(result, offset);
      this.index++;
      return result.length;
    } catch (err) {
      this.done = true; // a failed stream stays failed
      throw err;
    }
  }

  private assertOpen(): void {
    if (this.done) throw new Error('stream already finished or failed');
  }
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
