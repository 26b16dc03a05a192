/**
 * Writes test/vectors/v1.json: valid objects of format v1 and damaged ones with the error each must raise.
 * Deterministic: the file key and salt come from a seeded SHA-256 counter stream, so re-running gives the same
 * file. Run: node --import tsx scripts/make-vectors.ts
 */
import { writeFileSync } from 'node:fs';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import nacl from 'tweetnacl';
import { buildHeader, HEADER_BYTES, OFFSETS } from '../src/crypto/header';
import type { KdfParams } from '../src/crypto/kdf';
import { deriveSubKeys } from '../src/crypto/keys';
import { encodeMetadata, type FileMetadata } from '../src/crypto/metadata';
import { encryptObjectWith } from '../src/crypto/object';
import type { RandomSource } from '../src/crypto/random';
import { chunkNonce } from '../src/crypto/stream';
import { CODEC_RAW, cidToBytes, cidV1Sha256 } from '../src/ipfs/cid';

const KDF: KdfParams = { logN: 10, r: 8, p: 1 };
const PASSWORD = 'correct horse battery staple';
const SMALL_CHUNK_LOG2 = 10; // 1 KiB chunks keep multi-chunk vectors small

/** SHA-256(seed ‖ u32 counter) blocks, concatenated: a reproducible stand-in for randomBytes. */
function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      const input = new Uint8Array([...new TextEncoder().encode(seed), 0, 0, 0, 0]);
      new DataView(input.buffer).setUint32(input.length - 4, counter++);
      out.set(sha256(input).subarray(0, Math.min(32, n - off)), off);
    }
    return out;
  };
}

function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

interface Valid {
  id: string;
  description: string;
  password: string;
  kdf: KdfParams;
  chunkSize: number;
  /** As in the object; `previousCid` (when present) is the binary CID in base64. */
  metadata: Omit<FileMetadata, 'previousCid'> & { previousCid?: string };
  plaintext: string;
  object: string;
}

const valid: Valid[] = [];
function addValid(
  id: string,
  description: string,
  size: number,
  chunkLog2: number,
  name: string,
  type: string,
  previousCid?: Uint8Array,
) {
  const plaintext = pattern(size, valid.length);
  const metadata: FileMetadata = previousCid
    ? { name, mediaType: type, size, previousCid }
    : { name, mediaType: type, size };
  const object = encryptObjectWith(plaintext, metadata, PASSWORD, KDF, { random: seededRandom(id), chunkLog2 });
  valid.push({
    id,
    description,
    password: PASSWORD,
    kdf: KDF,
    chunkSize: 2 ** chunkLog2,
    metadata: previousCid
      ? { name, mediaType: type, size, previousCid: b64(previousCid) }
      : { name, mediaType: type, size },
    plaintext: b64(plaintext),
    object: b64(object),
  });
  return object;
}

addValid('empty', '0 bytes: one empty last chunk', 0, SMALL_CHUNK_LOG2, 'empty.bin', 'application/octet-stream');
addValid('one-byte', '1 byte', 1, SMALL_CHUNK_LOG2, 'one.txt', 'text/plain');
addValid('one-chunk', 'exactly one full chunk (1024)', 1024, SMALL_CHUNK_LOG2, 'Größe 📄.pdf', 'application/pdf');
addValid('chunk-plus-one', 'one full chunk and a 1-byte last chunk', 1025, SMALL_CHUNK_LOG2, 'a b.png', 'image/png');
const base = addValid('multi-chunk', '3000 bytes: 1024 + 1024 + 952', 3000, SMALL_CHUNK_LOG2, 'report.csv', 'text/csv');
addValid('default-chunk', '100 bytes with the writer default 64 KiB chunks', 100, 16, 'note.md', 'text/markdown');
// A second version: the metadata names the first version's object by its binary CIDv1 (raw, sha2-256).
const firstVersionCid = cidToBytes(cidV1Sha256(CODEC_RAW, sha256(new TextEncoder().encode('report v1'))));
addValid(
  'previous-cid',
  '200 bytes, second version: metadata carries the previous CID (36 bytes)',
  200,
  SMALL_CHUNK_LOG2,
  'report.csv',
  'text/csv',
  firstVersionCid,
);

interface Invalid {
  id: string;
  description: string;
  password: string;
  object: string;
  error: string;
}
const invalid: Invalid[] = [];
function addInvalid(id: string, description: string, object: Uint8Array, error: string, password = PASSWORD) {
  invalid.push({ id, description, password, object: b64(object), error });
}
const C = 1024 + 16; // sealed full chunk
const P = HEADER_BYTES; // payload start
const chunks = [base.slice(P, P + C), base.slice(P + C, P + 2 * C), base.slice(P + 2 * C)];
const header = base.slice(0, P);
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);
const flip = (offset: number) => {
  const copy = base.slice();
  copy[offset] ^= 0x01;
  return copy;
};
const withByte = (offset: number, value: number) => {
  const copy = base.slice();
  copy[offset] = value;
  return copy;
};

addInvalid('wrong-password', 'multi-chunk with another password', base, 'WrongPasswordError', 'Tr0ub4dor&3');
addInvalid('flip-salt', 'bit flipped in the salt (looks like a wrong password)', flip(20), 'WrongPasswordError');
addInvalid('flip-wrapped-key', 'bit flipped in the wrapped file key', flip(40), 'WrongPasswordError');
addInvalid('flip-logn', 'logN lowered 10 → 9 (looks like a wrong password)', withByte(10, 9), 'WrongPasswordError');
addInvalid('flip-chunk-size', 'chunkLog2 changed 10 → 11 (header MAC)', withByte(9, 11), 'CorruptObjectError');
addInvalid('flip-metadata', 'bit flipped in the sealed metadata', flip(500), 'CorruptObjectError');
addInvalid('flip-header-mac', 'bit flipped in the header MAC', flip(OFFSETS.mac + 17), 'CorruptObjectError');
addInvalid('flip-chunk-body', 'bit flipped in chunk 0 ciphertext', flip(P + 16 + 5), 'CorruptObjectError');
addInvalid('flip-chunk-tag', 'bit flipped in chunk 1 tag', flip(P + C + 3), 'CorruptObjectError');
addInvalid('flip-last-byte', 'bit flipped in the last byte', flip(base.length - 1), 'CorruptObjectError');
addInvalid(
  'truncate-boundary',
  'last chunk removed (cut at a chunk boundary)',
  base.slice(0, P + 2 * C),
  'CorruptObjectError',
);
addInvalid('truncate-mid-chunk', 'cut in the middle of chunk 1', base.slice(0, P + C + 500), 'CorruptObjectError');
addInvalid('truncate-payload', 'header only, no payload', header, 'CorruptObjectError');
addInvalid('truncate-header', 'cut inside the header', base.slice(0, 1000), 'CorruptObjectError');
addInvalid('swap-chunks', 'chunks 0 and 1 swapped', cat(header, chunks[1], chunks[0], chunks[2]), 'CorruptObjectError');
addInvalid(
  'duplicate-chunk',
  'chunk 0 repeated',
  cat(header, chunks[0], chunks[0], chunks[1], chunks[2]),
  'CorruptObjectError',
);
addInvalid('drop-middle', 'chunk 1 removed', cat(header, chunks[0], chunks[2]), 'CorruptObjectError');
addInvalid('append-byte', 'one zero byte appended', cat(base, new Uint8Array(1)), 'CorruptObjectError');
addInvalid('append-chunk', 'last chunk appended again', cat(base, chunks[2]), 'CorruptObjectError');
addInvalid(
  'foreign-png',
  'a PNG signature',
  Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13),
  'ForeignObjectError',
);
addInvalid(
  'foreign-text',
  'plain text',
  new TextEncoder().encode('hello, this is not encrypted at all'),
  'ForeignObjectError',
);
addInvalid('too-short', 'first 5 bytes of the magic', base.slice(0, 5), 'ForeignObjectError');
addInvalid('version-2', 'version byte 2', withByte(8, 2), 'UnsupportedVersionError');
addInvalid('version-0', 'version byte 0', withByte(8, 0), 'UnsupportedVersionError');
addInvalid('kdf-logn-30', 'logN 30 (over the cap)', withByte(10, 30), 'KdfTooExpensiveError');
addInvalid('kdf-r-255', 'r 255 (over the cap)', withByte(11, 255), 'KdfTooExpensiveError');
const heavy = withByte(10, 20);
heavy[12] = 2; // logN 20, r 8, p 2: each within bounds, N·r·p = 2^24 over the work cap
addInvalid('kdf-work', 'logN 20, r 8, p 2: N·r·p over the cap', heavy, 'KdfTooExpensiveError');
addInvalid('kdf-zero', 'logN 0', withByte(10, 0), 'CorruptObjectError');

// Objects a correct writer never makes, sealed with the right keys: readers must still refuse them.
function crafted(id: string, metaSize: number, sealedChunks: (payloadKey: Uint8Array) => Uint8Array[]) {
  const random = seededRandom(id);
  const fileKey = random(32);
  const salt = random(16);
  const meta = { name: `${id}.bin`, mediaType: 'application/octet-stream', size: metaSize };
  const head = buildHeader(fileKey, salt, PASSWORD, KDF, SMALL_CHUNK_LOG2, meta);
  return cat(head, ...sealedChunks(deriveSubKeys(fileKey).payload));
}
const full = pattern(1024, 9);
addInvalid(
  'empty-last-chunk',
  'a full non-last chunk followed by an empty last chunk',
  crafted('empty-last', 1024, (k) => [
    nacl.secretbox(full, chunkNonce(0, false), k),
    nacl.secretbox(new Uint8Array(0), chunkNonce(1, true), k),
  ]),
  'CorruptObjectError',
);
addInvalid(
  'size-mismatch',
  'metadata says 1000 bytes, content has 1024',
  crafted('size-mismatch', 1000, (k) => [nacl.secretbox(full, chunkNonce(0, true), k)]),
  'CorruptObjectError',
);
addInvalid(
  'no-last-flag',
  'single chunk sealed without the last flag',
  crafted('no-last', 1024, (k) => [nacl.secretbox(full, chunkNonce(0, false), k)]),
  'CorruptObjectError',
);

// Metadata records a correct writer never makes, sealed and MACed with the right keys.
function craftedRecord(id: string, edit: (record: Uint8Array) => void) {
  const random = seededRandom(id);
  const fileKey = random(32);
  const salt = random(16);
  const meta = { name: `${id}.bin`, mediaType: 'application/octet-stream', size: 1 };
  const head = buildHeader(fileKey, salt, PASSWORD, KDF, SMALL_CHUNK_LOG2, meta);
  const keys = deriveSubKeys(fileKey);
  const record = encodeMetadata(meta);
  edit(record);
  head.set(nacl.secretbox(record, new Uint8Array(24), keys.metadata), OFFSETS.metadata);
  head.set(hmac(sha256, keys.headerMac, head.subarray(0, OFFSETS.mac)), OFFSETS.mac);
  return cat(head, nacl.secretbox(Uint8Array.of(42), chunkNonce(0, true), keys.payload));
}
addInvalid(
  'previous-cid-too-long',
  'metadata prevLen 65 (over 64)',
  craftedRecord('prev-long', (r) => r.set([65], 1290)),
  'CorruptObjectError',
);
addInvalid(
  'previous-cid-padding',
  'metadata prevLen 0 with a non-zero byte in the previous-CID field',
  craftedRecord('prev-pad', (r) => r.set([1], 1300)),
  'CorruptObjectError',
);

const doc = {
  format: 'rc-ipfs-storage encrypted object v1, see docs/FORMAT.md',
  generator: 'scripts/make-vectors.ts',
  encoding: 'object and plaintext are base64',
  valid,
  invalid,
};
writeFileSync(new URL('../test/vectors/v1.json', import.meta.url), JSON.stringify(doc, null, 2) + '\n');
console.log(`wrote ${valid.length} valid and ${invalid.length} invalid vectors`);
