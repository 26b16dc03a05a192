import { varint } from 'multiformats';

/**
 * Unsigned LEB128 varints, as used by multiformats (CIDs, multihashes) and protobuf, through multiformats'
 * own codec (which refuses non-minimal encodings and more than 9 bytes). Values stay below 2^53 so plain
 * numbers are exact: reading refuses larger ones, which the library would return rounded.
 */

/** Appends the varint encoding of `value` to `out`. @throws RangeError for negative or non-integer values. */
export function writeVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`varint out of range: ${value}`);
  }
  for (const b of varint.encodeTo(value, new Uint8Array(varint.encodingLength(value)))) out.push(b);
}

/** Number of bytes `writeVarint` emits for `value`. */
export function varintLength(value: number): number {
  return varint.encodingLength(value);
}

/**
 * Reads one varint at `offset`.
 * @returns the value and the offset just after it.
 * @throws RangeError when the bytes end inside the varint, it is not minimally encoded, or it exceeds 2^53.
 */
export function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  const [value, length] = varint.decode(bytes, offset);
  if (!Number.isSafeInteger(value)) throw new RangeError('truncated or oversized varint');
  return { value, next: offset + length };
}
