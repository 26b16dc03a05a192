import assert from 'node:assert/strict';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { startHost, type WorkspaceHost } from '../host';
import { allowlistEntryFor } from '../host/http/ssrf';
import { beginSealing, DEFAULT_KDF } from '../../src/crypto';
import type { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { seen } from '../../test/support/appWorkspace';
import { MemoryWatch, type PeakMemory } from './memory';
import { firstEvent, lastEvent, type BridgeEvent } from './probes';

/** One put or get through the app, from the modal's submit to the user being told it is done. */
export interface AppRun {
  totalMs: number;
  modalMs: number;
  memory: PeakMemory;
  /** Where the time went, in ms, from host-side timestamps (see dev/bench/probes.ts). */
  phases: Record<string, number>;
  /** HTTP requests the app made to IPFS during the run. */
  requests: number;
}

/** Longest a single put or get may take before the bench calls it hung (a 100 MiB move takes minutes). */
const RUN_LIMIT_MS = 600_000;
export const PASSWORD = 'bench-Password-with-some-length-42';

/** A host with the given app zip, set to the node and to a file-size limit the bench's sizes fit under. */
export async function startAppHost(appZip: string, apiUrl: string, maxMb: number): Promise<WorkspaceHost> {
  return startHost({
    appZip,
    expect: { slashCommands: ['ipfs'] },
    serverSettings: { SSRF_Allowlist: allowlistEntryFor(apiUrl) },
    appSettings: { ipfs_api_url: apiUrl, max_file_size_mb: maxMb, ipfs_timeout_seconds: 600 },
  });
}

/** The ephemeral message (after the first `from` ones) that matches, with its time. */
function toldAt(host: WorkspaceHost, user: IUser, from: number, pattern: RegExp): { text: string; at: number } {
  const message = host
    .ephemeral(user)
    .slice(from)
    .find((m) => pattern.test(m.text ?? ''));
  assert.ok(message, `told ${String(pattern)}: ${seen(host, user).slice(from).join(' | ')}`);
  return { text: message.text ?? '', at: new Date(message.createdAt ?? Date.now()).getTime() };
}

const isIpfs = (e: BridgeEvent) => e.what === 'http' && /\/api\/v0\//.test(e.url ?? '');
const isBlockWrite = (e: BridgeEvent) => e.what === 'http' && /\/(block\/put|dag\/import)\b/.test(e.url ?? '');
const isBlockRead = (e: BridgeEvent) => e.what === 'http' && /\/block\/get\b/.test(e.url ?? '');

/** Waits for the first ✅/❌ the user is told after `from`; a ❌ fails the run with its text. */
async function outcome(host: WorkspaceHost, user: IUser, from: number): Promise<{ text: string; at: number }> {
  await host.waitFor(
    () =>
      seen(host, user)
        .slice(from)
        .find((text) => text.startsWith('✅') || text.startsWith('❌')),
    RUN_LIMIT_MS,
  );
  const done = toldAt(host, user, from, /^(✅|❌)/);
  assert.ok(done.text.startsWith('✅'), done.text);
  return done;
}

/** `/ipfs put` of an uploaded file; the modal opens first and the clock starts at the submit. */
export async function putThroughApp(
  host: WorkspaceHost,
  events: BridgeEvent[],
  user: IUser,
  room: IRoom,
  fileId: string,
): Promise<AppRun & { cid: string }> {
  const opened = await host.runSlashCommand(user, room, '/ipfs put');
  assert.equal(opened.opened.length, 1, 'the put modal opens');
  const from = host.ephemeral(user).length;
  const watch = new MemoryWatch();
  const t0 = Date.now();
  const submitted = await host.submitViewValues(user, opened.opened[0].id, {
    ipfs_password: PASSWORD,
    ipfs_password_confirm: PASSWORD,
    ipfs_file: fileId,
  });
  assert.deepEqual(submitted.errors, {}, 'the modal accepts the answer');
  const done = await outcome(host, user, from);
  const memory = watch.stop();
  const cid = /CID: `([a-z0-9]+)`/.exec(done.text)?.[1];
  assert.ok(cid, `a CID in: ${done.text}`);
  const read = firstEvent(events, t0, (e) => e.what === 'getBuffer');
  const first = firstEvent(events, t0, isBlockWrite);
  const pin = lastEvent(events, t0, (e) => e.what === 'http' && /\/pin\/add\b/.test(e.url ?? ''));
  assert.ok(read && first && pin, 'the app read the upload, sent blocks and pinned the root');
  return {
    cid,
    totalMs: done.at - t0,
    modalMs: submitted.ms,
    memory,
    requests: events.filter((e) => e.start >= t0 && isIpfs(e)).length,
    phases: {
      'submit→read asked': read.start - t0,
      'read into app + scrypt': first.start - read.start,
      'blocks (encrypt + IPFS)': pin.end - first.start,
      'record + tell': done.at - pin.end,
    },
  };
}

/**
 * `/ipfs get <cid>` by a user who holds no key to the file (the owner gets it without a modal), so the password
 * modal opens; the clock starts at its submit. Checks the delivered bytes.
 */
export async function getThroughApp(
  host: WorkspaceHost,
  events: BridgeEvent[],
  user: IUser,
  room: IRoom,
  cid: string,
  expected: Buffer,
): Promise<AppRun> {
  const opened = await host.runSlashCommand(user, room, `/ipfs get ${cid}`);
  assert.equal(opened.opened.length, 1, 'the get modal opens');
  const from = host.ephemeral(user).length;
  const uploadsBefore = host.uploads().length;
  const watch = new MemoryWatch();
  const t0 = Date.now();
  const submitted = await host.submitViewValues(user, opened.opened[0].id, { ipfs_password: PASSWORD });
  assert.deepEqual(submitted.errors, {}, 'the password is accepted');
  const done = await outcome(host, user, from);
  const memory = watch.stop();
  const delivered = host.uploads()[uploadsBefore];
  assert.ok(delivered?.bytes.equals(expected), 'the delivered file is byte-identical');
  const first = firstEvent(events, t0, isBlockRead);
  const last = lastEvent(events, t0, isBlockRead);
  const upload = lastEvent(events, t0, (e) => e.what === 'createUpload');
  assert.ok(first && last && upload, 'the app read blocks and called uploadBuffer');
  return {
    totalMs: done.at - t0,
    modalMs: submitted.ms,
    memory,
    requests: events.filter((e) => e.start >= t0 && isIpfs(e)).length,
    phases: {
      'modal (probe + scrypt)': submitted.ms,
      '→first block': first.start - t0 - submitted.ms,
      'blocks (IPFS + decrypt)': last.end - first.start,
      'upload app→host': upload.start - last.end,
      'post + tell': done.at - upload.start,
    },
  };
}

/**
 * The encrypted object for `bytes` as the app would store it (same crypto, same password), added from Node:
 * lets get and the naive get be measured at a size whose put through the app did not complete.
 */
export async function sealAndAdd(ipfs: KuboRpcClient, bytes: Buffer, name: string): Promise<string> {
  const metadata = { name, mediaType: 'application/octet-stream', size: bytes.length };
  const { header, encryptor, objectLength } = beginSealing(metadata, PASSWORD, DEFAULT_KDF);
  const object = new Uint8Array(objectLength);
  object.set(header, 0);
  let at = header.length;
  for (let off = 0; off < bytes.length; off += 1024 * 1024) {
    const sealed = encryptor.push(bytes.subarray(off, off + 1024 * 1024));
    object.set(sealed, at);
    at += sealed.length;
  }
  object.set(encryptor.finish(), at);
  return ipfs.add(object);
}
