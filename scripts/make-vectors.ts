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
import { sealObjectWith } from '../src/crypto/object';
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
  /** As a user would type it; readers normalize it to NFC before UTF-8 (see the `password-nfd` vector). */
  password: string;
  /** The object's file key (base64): opening with it instead of the password must give the same result. */
  fileKey: string;
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
  { password = PASSWORD, kdf = KDF }: { password?: string; kdf?: KdfParams } = {},
) {
  const plaintext = pattern(size, valid.length);
  const metadata: FileMetadata = previousCid
    ? { name, mediaType: type, size, previousCid }
    : { name, mediaType: type, size };
  const random = seededRandom(id);
  const { object, fileKey } = sealObjectWith(plaintext, metadata, password, kdf, { random, chunkLog2 });
  valid.push({
    id,
    description,
    password,
    fileKey: b64(fileKey),
    kdf,
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

// A password typed on a system that composes differently: given here decomposed (NFD: "a" + U+0301 …); the key
// comes from its NFC form, so a reader that skips the normalization fails this vector.
const NFD_PASSWORD = 'Ma\u0301laga n\u0303 \u00fc\u0308ber 密码 \u{1F511}'.normalize('NFD');
addValid(
  'password-nfd',
  'a non-ASCII password given in NFD; readers use NFC',
  10,
  SMALL_CHUNK_LOG2,
  'n.txt',
  'text/plain',
  undefined,
  {
    password: NFD_PASSWORD,
  },
);
// What the app writes (logN 15…20): scrypt needs 128·r·N = 32 MiB here, more than Node's crypto.scrypt allows by
// default (maxmem 32 MiB counts a little more than 128·r·N), so a reader must raise maxmem.
addValid(
  'kdf-logn-15',
  'scrypt logN 15, r 8, p 1 as the app writes (32 MiB)',
  64,
  SMALL_CHUNK_LOG2,
  'real.txt',
  'text/plain',
  undefined,
  {
    kdf: { logN: 15, r: 8, p: 1 },
  },
);
addValid(
  'name-bom',
  'a name starting with U+FEFF, which is part of the name',
  5,
  SMALL_CHUNK_LOG2,
  '\ufeffbom.txt',
  'text/plain',
);
addValid(
  'name-max',
  'a name of exactly 1024 UTF-8 bytes (multi-byte characters up to the limit)',
  3,
  SMALL_CHUNK_LOG2,
  'é'.repeat(510) + '.txt',
  'text/plain',
);
const empty = Buffer.from(valid[0].object, 'base64');

interface Invalid {
  id: string;
  description: string;
  password: string;
  /** When present (base64), open with this file key instead of the password. */
  fileKey?: string;
  object: string;
  error: string;
}
const invalid: Invalid[] = [];
function addInvalid(
  id: string,
  description: string,
  object: Uint8Array,
  error: string,
  password = PASSWORD,
  fileKey?: Uint8Array,
) {
  invalid.push({
    id,
    description,
    password,
    ...(fileKey ? { fileKey: b64(fileKey) } : {}),
    object: b64(object),
    error,
  });
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
const withLogNrp = (logN: number, r: number, p: number) => {
  const copy = base.slice();
  copy.set([logN, r, p], 10);
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

addInvalid(
  'empty-chunk-removed',
  'the empty file with its only (empty) chunk removed: header only; a "while bytes remain" loop would accept it',
  empty.slice(0, P),
  'CorruptObjectError',
);
addInvalid('kdf-logn-21', 'logN 21 (just over the cap), r 1, p 1', withLogNrp(21, 1, 1), 'KdfTooExpensiveError');
addInvalid('kdf-p-5', 'p 5 (over the cap) with logN 10, r 8', withLogNrp(10, 8, 5), 'KdfTooExpensiveError');
addInvalid(
  'name-too-long',
  'metadata nameLen 1025 (over 1024)',
  craftedRecord('name-long', (r) => r.set([0x04, 0x01], 8)),
  'CorruptObjectError',
);
addInvalid(
  'name-padding',
  'a non-zero byte after the name in its field',
  craftedRecord('name-pad', (r) => r.set([0x20], 11 + 1000)),
  'CorruptObjectError',
);
addInvalid(
  'type-padding',
  'a non-zero byte after the media type in its field',
  craftedRecord('type-pad', (r) => r.set([0x20], 1289)),
  'CorruptObjectError',
);
addInvalid(
  'name-invalid-utf8',
  'name bytes C3 28 (invalid UTF-8)',
  craftedRecord('name-utf8', (r) => {
    r.fill(0, 11, 1035);
    r.set([0x00, 0x02], 8);
    r.set([0xc3, 0x28], 11);
  }),
  'CorruptObjectError',
);
const baseKey = Buffer.from(valid.find((v) => v.id === 'multi-chunk')!.fileKey, 'base64');
const otherKey = Buffer.from(valid.find((v) => v.id === 'one-byte')!.fileKey, 'base64');
addInvalid(
  'wrong-file-key',
  "multi-chunk opened with another object's file key (header MAC)",
  base,
  'CorruptObjectError',
  PASSWORD,
  otherKey,
);
addInvalid('file-key-short', 'a 31-byte file key', base, 'CorruptObjectError', PASSWORD, baseKey.subarray(0, 31));
addInvalid(
  'file-key-kdf-over-cap',
  'opening with the right file key does not skip step 5: logN 30',
  withByte(10, 30),
  'KdfTooExpensiveError',
  PASSWORD,
  baseKey,
);
addInvalid(
  'file-key-flip-chunk',
  'the right file key, a bit flipped in chunk 1',
  flip(P + C + 100),
  'CorruptObjectError',
  PASSWORD,
  baseKey,
);

const doc = {
  format: 'rc-ipfs-storage encrypted object v1, see docs/FORMAT.md',
  generator: 'scripts/make-vectors.ts',
  encoding:
    'object, plaintext, fileKey and metadata.previousCid are standard base64 (with padding); previousCid holds the ' +
    'binary CIDv1 exactly as in the record; password is a JSON string, given as a user would type it (not normalized)',
  usage:
    'valid: open with password AND with fileKey; both give metadata and plaintext. invalid: open with fileKey when ' +
    'present, else with password; the error names the outcome of docs/FORMAT.md (WrongPasswordError = wrong password, ' +
    'ForeignObjectError = foreign object, UnsupportedVersionError, CorruptObjectError = corrupt, KdfTooExpensiveError)',
  valid,
  invalid,
};
writeFileSync(new URL('../test/vectors/v1.json', import.meta.url), JSON.stringify(doc, null, 2) + '\n');
console.log(`wrote ${valid.length} valid and ${invalid.length} invalid vectors`);
