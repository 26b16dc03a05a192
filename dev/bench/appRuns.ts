import assert from 'node:assert/strict';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { startHost, type WorkspaceHost } from '../host';
import { NodeHttpAccessor } from '../host/http/rocketChatHttp';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { seen, submitPutModal } from '../../test/support/appWorkspace';
import { startIpfsNode } from '../../test/support/ipfsNode';
import { MemoryWatch, type PeakMemory } from './memory';
import { lastEvent, type BridgeEvent } from './probes';

/** One put or get through the app, from the modal's submit to the user being told it is done. */
export interface AppRun {
  totalMs: number;
  modalMs: number;
  memory: PeakMemory;
  /** Where the time went, in ms, from host-side timestamps (see dev/bench/probes.ts). */
  phases: Record<string, number>;
}

/**
 * A fresh IPFS node and a host with the given app zip, as test/support/appWorkspace's `startAppWorkspace` does,
 * except that the zip is the one `npm run bench` packaged (startAppWorkspace always re-packages the working tree).
 */
export async function startAppHost(appZip: string) {
  const node = await startIpfsNode();
  try {
    const host = await startHost({
      appZip,
      expect: { slashCommands: ['ipfs'] },
      appSettings: { ipfs_api_url: node.apiUrl, max_file_size_mb: 100 },
    });
    const ipfs = new KuboRpcClient(new NodeHttpAccessor(), {
      apiUrl: node.apiUrl,
      auth: { kind: 'none' },
      timeoutMs: 120_000,
    });
    const stop = async () => {
      try {
        await host.stop();
      } finally {
        await node.stop();
      }
    };
    return { host, ipfs, stop };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

const PASSWORD = 'bench-Password-with-some-length-42';

/** The ephemeral message (after the first `from` ones) that matches, with its time. */
function toldAt(host: WorkspaceHost, user: IUser, from: number, pattern: RegExp): { text: string; at: number } {
  const message = host
    .ephemeral(user)
    .slice(from)
    .find((m) => pattern.test(m.text ?? ''));
  assert.ok(message, `told ${String(pattern)}: ${seen(host, user).slice(from).join(' | ')}`);
  return { text: message.text ?? '', at: new Date(message.createdAt ?? Date.now()).getTime() };
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
  const { cid, modalMs } = await submitPutModal(host, user, opened.opened[0].id, PASSWORD, fileId);
  const memory = watch.stop();
  const done = toldAt(host, user, from, /CID: `/).at;
  const uploading = toldAt(host, user, from, /Uploading/).at;
  const read = lastEvent(events, t0, (e) => e.what === 'getBuffer');
  const add = lastEvent(events, t0, (e) => e.what === 'http' && /\/add\b/.test(e.url ?? ''));
  assert.ok(read && add, 'the app read the upload and called add');
  return {
    cid,
    totalMs: done - t0,
    modalMs,
    memory,
    phases: {
      'modal+start': read.start - t0,
      'read+encrypt': uploading - read.start,
      'body app→host': add.start - uploading,
      'IPFS add': add.end - add.start,
      'record+tell': done - add.end,
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
  await host.waitFor(
    () =>
      seen(host, user)
        .slice(from)
        .find((text) => text.startsWith('✅') || text.startsWith('❌')),
    300_000,
  );
  const memory = watch.stop();
  const done = toldAt(host, user, from, /^(✅|❌)/);
  assert.ok(done.text.startsWith('✅'), `delivered: ${done.text}`);
  const delivered = host.uploads()[uploadsBefore];
  assert.ok(delivered?.bytes.equals(expected), 'the delivered file is byte-identical');
  const cat = lastEvent(
    events,
    t0,
    (e) => e.what === 'http' && /\/cat\b/.test(e.url ?? '') && !/length=/.test(e.url ?? ''),
  );
  const upload = lastEvent(events, t0, (e) => e.what === 'createUpload');
  assert.ok(cat && upload, 'the app called cat and uploadBuffer');
  return {
    totalMs: done.at - t0,
    modalMs: submitted.ms,
    memory,
    phases: {
      'modal+start': cat.start - t0,
      'IPFS cat': cat.end - cat.start,
      'body host→app+decrypt+upload app→host': upload.start - cat.end,
      tell: done.at - upload.start,
    },
  };
}
