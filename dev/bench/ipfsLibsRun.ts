/**
 * The body of dev/bench/ipfs-libs.mjs, bundled by it with esbuild (the only way the ESM-only @ipld packages load
 * in this CommonJS project) and run in Node and in Deno inside the engine's wrapper. Times the hand-written
 * src/ipfs of a baseline commit, the working tree's src/ipfs and the @ipld/ipfs-unixfs variants side by side,
 * checks that all of them write the same bytes, and prints one JSON line per figure.
 */
import { createHash } from 'node:crypto';

import { sha256 } from '@noble/hashes/sha2.js';

import * as car from '../../src/ipfs/car';
import * as cid from '../../src/ipfs/cid';
import * as dagpb from '../../src/ipfs/dagpb';
import * as DagReader from '../../src/ipfs/DagReader';
import * as DagUploader from '../../src/ipfs/DagUploader';
import * as unixfs from '../../src/ipfs/unixfs';
import { decodeFileNodeWithLibs, encodeCarWithLibs, encodeFileNodeWithLibs } from './ipfsLibCodecs';

/** src/ipfs as a baseline commit had it (the same exported API). */
export interface IpfsModules {
  car: typeof car;
  cid: typeof cid;
  dagpb: typeof dagpb;
  DagReader: typeof DagReader;
  DagUploader: typeof DagUploader;
  unixfs: typeof unixfs;
}

const MiB = 1048576;
const V1 = 'bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby';
const V0 = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';

function emit(figure: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(figure) + '\n');
}

/** Best of three ~150 ms rounds, after a warm-up: operations per second. */
function opsPerSecond(run: () => unknown): number {
  const round = (ms: number) => {
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < ms) {
      run();
      n++;
    }
    return n / ((performance.now() - started) / 1000);
  };
  round(50);
  return Math.max(round(150), round(150), round(150));
}

function same(a: Uint8Array, b: Uint8Array, what: string): void {
  if (a.length !== b.length || a.some((v, i) => v !== b[i])) throw new Error(`${what}: the implementations disagree`);
}

function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

function codecFigures(base: IpfsModules): void {
  for (const [name, text] of [
    ['parse CIDv1 base32', V1],
    ['parse CIDv0', V0],
  ]) {
    emit({
      figure: name,
      unit: 'ops/s',
      baseline: opsPerSecond(() => base.cid.parseCid(text)),
      now: opsPerSecond(() => cid.parseCid(text)),
    });
  }
  const parsed = cid.parseCid(V1);
  emit({
    figure: 'format CID (base32)',
    unit: 'ops/s',
    baseline: opsPerSecond(() => base.cid.formatCid(parsed)),
    now: opsPerSecond(() => cid.formatCid(parsed)),
  });
  const bytes = cid.cidToBytes(parsed);
  emit({
    figure: 'binary CID read',
    unit: 'ops/s',
    baseline: opsPerSecond(() => base.cid.cidFromBytes(bytes)),
    now: opsPerSecond(() => cid.cidFromBytes(bytes)),
  });

  // a full node: 174 raw leaves of 1 MiB, as every node of a big upload
  const links = Array.from({ length: 174 }, (_, i) => {
    const leaf = cid.cidV1Sha256(cid.CODEC_RAW, sha256(pattern(i + 1)));
    return { cid: leaf, tsize: MiB, contentSize: MiB };
  });
  const node = base.dagpb.encodeFileNode(links);
  same(node, dagpb.encodeFileNode(links), 'file node');
  same(node, encodeFileNodeWithLibs(links), 'file node (libraries)');
  emit({
    figure: 'encode a 174-link file node',
    unit: 'ops/s',
    baseline: opsPerSecond(() => base.dagpb.encodeFileNode(links)),
    now: opsPerSecond(() => dagpb.encodeFileNode(links)),
    libraries: opsPerSecond(() => encodeFileNodeWithLibs(links)),
  });
  const decoded = JSON.stringify(dagpb.decodeFileNode(node), (_k, v: unknown) =>
    v instanceof Uint8Array ? [...v] : v,
  );
  const viaLibs = JSON.stringify(decodeFileNodeWithLibs(node), (_k, v: unknown) =>
    v instanceof Uint8Array ? [...v] : v,
  );
  if (decoded !== viaLibs) throw new Error('decoded node: the implementations disagree');
  emit({
    figure: 'decode a 174-link file node',
    unit: 'ops/s',
    baseline: opsPerSecond(() => base.dagpb.decodeFileNode(node)),
    now: opsPerSecond(() => dagpb.decodeFileNode(node)),
    libraries: opsPerSecond(() => decodeFileNodeWithLibs(node)),
  });

  // what one dag/import request carries: a 1 MiB leaf and the node it completed
  const leaf = unixfs.leafBlock(pattern(MiB)).block;
  const parent = { cid: cid.cidV1Sha256(cid.CODEC_DAG_PB, sha256(node)), bytes: node };
  const blocks = [leaf, parent];
  same(base.car.encodeCar([parent.cid], blocks), car.encodeCar([parent.cid], blocks), 'CAR');
  same(car.encodeCar([parent.cid], blocks), encodeCarWithLibs([parent.cid], blocks), 'CAR (libraries)');
  emit({
    figure: 'CAR of a 1 MiB leaf and a 174-link node',
    unit: 'ops/s',
    baseline: opsPerSecond(() => base.car.encodeCar([parent.cid], blocks)),
    now: opsPerSecond(() => car.encodeCar([parent.cid], blocks)),
    libraries: opsPerSecond(() => encodeCarWithLibs([parent.cid], blocks)),
  });
}

/** A provider in memory that does what KuboRpcClient does around the wire: hash, compare, name blocks. */
function memoryProvider(m: IpfsModules) {
  const blocks = new Map<string, Uint8Array>();
  return {
    blocks,
    blockPut(bytes: Uint8Array, codec: 'raw' | 'dag-pb') {
      const c = m.cid.cidV1Sha256(codec === 'raw' ? m.cid.CODEC_RAW : m.cid.CODEC_DAG_PB, sha256(bytes));
      blocks.set(m.cid.formatCid(c), Uint8Array.from(bytes));
      return Promise.resolve(c);
    },
    dagImport(list: readonly car.CarBlock[]) {
      m.car.encodeCar([list[list.length - 1].cid], list);
      for (const b of list) blocks.set(m.cid.formatCid(b.cid), b.bytes);
      return Promise.resolve();
    },
    pinAdd() {
      return Promise.resolve();
    },
    blockGet(wanted: cid.Cid | string) {
      const c = typeof wanted === 'string' ? m.cid.parseCid(wanted) : wanted;
      const bytes = blocks.get(m.cid.formatCid(c));
      if (!bytes || !m.cid.cidEquals(c, { ...c, digest: sha256(bytes) })) throw new Error('missing or wrong block');
      return Promise.resolve(bytes);
    },
  };
}

async function throughput(m: IpfsModules, content: Uint8Array, transport: 'block/put' | 'dag/import') {
  const provider = memoryProvider(m);
  let started = performance.now();
  const uploader = new m.DagUploader.DagUploader(provider, { transport });
  for (let at = 0; at < content.length; at += 256 * 1024) await uploader.write(content.subarray(at, at + 256 * 1024));
  const root = await uploader.finish();
  const upload = content.length / MiB / ((performance.now() - started) / 1000);
  started = performance.now();
  let read = 0;
  for await (const piece of m.DagReader.readDag(provider, root)) read += piece.length;
  if (read !== content.length) throw new Error('read back the wrong size');
  return { root, upload, read: content.length / MiB / ((performance.now() - started) / 1000) };
}

/** Runs every figure; `mib` is the size of the upload/read runs. */
export async function run(base: IpfsModules, mib: number): Promise<void> {
  codecFigures(base);
  const content = pattern(mib * MiB);
  for (const transport of ['block/put', 'dag/import'] as const) {
    const before = await throughput(base, content, transport);
    const after = await throughput({ car, cid, dagpb, DagReader, DagUploader, unixfs }, content, transport);
    if (before.root !== after.root) throw new Error('upload: the implementations disagree on the root CID');
    emit({
      figure: `DagUploader ${mib} MiB (${transport})`,
      unit: 'MiB/s',
      baseline: before.upload,
      now: after.upload,
    });
    if (transport === 'block/put')
      emit({ figure: `readDag ${mib} MiB`, unit: 'MiB/s', baseline: before.read, now: after.read });
  }
  const leaf = pattern(MiB);
  emit({
    figure: 'sha2-256 of 1 MiB',
    unit: 'ops/s',
    noble: opsPerSecond(() => sha256(leaf)),
    'node:crypto': opsPerSecond(() => createHash('sha256').update(leaf).digest()),
  });
}
