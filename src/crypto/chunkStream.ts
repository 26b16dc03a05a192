/**
 * Chunk buffering shared by the payload encryptor and decryptor: input arrives in pieces of any size, output is
 * produced per fixed-size chunk, and one full chunk is held back until it is known whether more input follows
 * (only then can it be processed as "not last").
 */

/** Base of `ChunkEncryptor` and `ChunkDecryptor` (stream.ts). */
export abstract class ChunkStream {
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
