/**
 * Unsigned LEB128 varints, as used by multiformats (CIDs, multihashes) and protobuf. Values stay below
 * 2^53 so plain numbers are exact.
 */

/** Appends the varint encoding of `value` to `out`. @throws RangeError for negative or non-integer values. */
export function writeVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`varint out of range: ${value}`);
  }
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Number of bytes `writeVarint` emits for `value`. */
export function varintLength(value: number): number {
  let n = 1;
  let v = value;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/**
 * Reads one varint at `offset`.
 * @returns the value and the offset just after it.
 * @throws RangeError when the bytes end inside the varint, it is not minimally encoded, or it exceeds 2^53.
 */
export function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < bytes.length; i++) {
    const b = bytes[i];
    value += (b & 0x7f) * scale;
    if (value > Number.MAX_SAFE_INTEGER) break;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > offset) throw new RangeError('varint not minimally encoded');
      return { value, next: i + 1 };
    }
    scale *= 0x80;
  }
  throw new RangeError('truncated or oversized varint');
}
