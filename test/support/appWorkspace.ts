import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { startHost, type HostOptions, type WorkspaceHost } from '../../dev/host';
import { NodeHttpAccessor } from '../../dev/host/http/rocketChatHttp';
import { allowlistEntryFor } from '../../dev/host/http/ssrf';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { startIpfsNode, type IpfsNode } from './ipfsNode';

const ROOT = path.resolve(__dirname, '../..');
export const APP_ZIP = path.join(ROOT, 'dist', 'ipfs-storage_e2e.zip');

/** What install must register, checked by the host right after it enables the app. */
const EXPECT = {
  slashCommands: ['ipfs'],
  actionButtons: ['ipfs_store_message_file'],
  settings: ['ipfs_provider', 'ipfs_api_url', 'ipfs_password', 'ipfs_bearer_token', 'max_file_size_mb', 'kdf_cost'],
};

let packaged = false;

/** Packages the app from the working tree once per test process, exactly as `npm run package` does. */
export function packageApp(): string {
  if (!packaged) {
    execFileSync(process.execPath, ['scripts/package.mjs', '--out', APP_ZIP], { cwd: ROOT, stdio: 'ignore' });
    packaged = true;
  }
  return APP_ZIP;
}

/**
 * A workspace with the packaged app installed, talking to a fresh local IPFS node, with every Rocket.Chat rule
 * the host knows enforced (options.rules can switch one off) and the node allowlisted in `SSRF_Allowlist`.
 */
export interface AppWorkspace {
  readonly host: WorkspaceHost;
  readonly node: IpfsNode;
  /** A Kubo client on the node, for what a test does behind the app's back (raw add/cat). */
  readonly ipfs: KuboRpcClient;
  stop(): Promise<void>;
}

export async function startAppWorkspace(options: Partial<HostOptions> = {}): Promise<AppWorkspace> {
  const node = await startIpfsNode();
  try {
    const host = await startHost({
      appZip: packageApp(),
      expect: EXPECT,
      ...options,
      // the node is on 127.0.0.1: an admin lets the app reach it through Rocket.Chat's SSRF allowlist
      serverSettings: { SSRF_Allowlist: allowlistEntryFor(node.apiUrl), ...options.serverSettings },
      appSettings: { ipfs_api_url: node.apiUrl, ...options.appSettings },
    });
    const ipfs = new KuboRpcClient(new NodeHttpAccessor(), {
      apiUrl: node.apiUrl,
      auth: { kind: 'none' },
      timeoutMs: 30_000,
    });
    return {
      host,
      node,
      ipfs,
      stop: async () => {
        try {
          await host.stop();
        } finally {
          await node.stop();
        }
      },
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** The texts a user has seen as ephemeral messages so far. */
export function seen(host: WorkspaceHost, user: IUser): string[] {
  return host.ephemeral(user).map((message) => message.text ?? '');
}

/** Waits until the user has been told something matching `pattern`, and returns that text. */
export async function waitToBeTold(
  host: WorkspaceHost,
  user: IUser,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<string> {
  return host.waitFor(() => seen(host, user).find((text) => pattern.test(text)), timeoutMs);
}

const CID_IN_TEXT = /CID: `([a-z0-9]+)`/;

/** A user stores a room file through `/ipfs put` and the modal; returns the CID and the modal's answer time. */
export async function storeThroughCommand(
  host: WorkspaceHost,
  user: IUser,
  room: IRoom,
  password: string,
  options: { threadId?: string; fileId?: string } = {},
): Promise<{ cid: string; modalMs: number }> {
  const opened = await host.runSlashCommand(user, room, '/ipfs put', { threadId: options.threadId });
  assert.equal(opened.opened.length, 1, `a modal opens (told: ${seen(host, user).join(' | ')})`);
  return submitPutModal(host, user, opened.opened[0].id, password, options.fileId);
}

export async function submitPutModal(
  host: WorkspaceHost,
  user: IUser,
  viewId: string,
  password: string,
  fileId?: string,
): Promise<{ cid: string; modalMs: number }> {
  const toldBefore = seen(host, user).length;
  const values: Record<string, unknown> = { ipfs_password: password, ipfs_password_confirm: password };
  if (fileId) {
    values.ipfs_file = fileId;
  }
  const submitted = await host.submitViewValues(user, viewId, values);
  assert.deepEqual(submitted.errors, {}, 'the modal accepts the answer');
  const done = await host.waitFor(
    () =>
      seen(host, user)
        .slice(toldBefore)
        .find((text) => CID_IN_TEXT.test(text) || text.startsWith('❌')),
    120_000,
  );
  const match = CID_IN_TEXT.exec(done);
  assert.ok(match, `stored: ${done}`);
  return { cid: match[1], modalMs: submitted.ms };
}

/** A user gets a file back through `/ipfs get <cid>` and the password modal; returns the delivered upload. */
export async function retrieveThroughCommand(
  host: WorkspaceHost,
  user: IUser,
  room: IRoom,
  cid: string,
  password: string,
): Promise<{ bytes: Buffer; name: string; roomId: string; modalMs: number }> {
  const uploadsBefore = host.uploads().length;
  const toldBefore = seen(host, user).length;
  const opened = await host.runSlashCommand(user, room, `/ipfs get ${cid}`);
  assert.equal(opened.opened.length, 1, 'the get modal opens');
  const submitted = await host.submitViewValues(user, opened.opened[0].id, { ipfs_password: password });
  assert.deepEqual(submitted.errors, {}, 'the password is accepted');
  return { ...(await delivered(host, user, toldBefore, uploadsBefore)), modalMs: submitted.ms };
}

/** The last message in a room that carries a file. */
export function lastFileMessage(host: WorkspaceHost, room: IRoom): IMessage {
  const message = host
    .messages(room.id)
    .filter((m) => m.file || (m.files && m.files.length > 0))
    .at(-1);
  assert.ok(message, 'the room has a file message');
  return message;
}

/** Someone holding the file's key (its owner, or a live share) gets it with no modal and no password. */
export async function retrieveWithKey(
  host: WorkspaceHost,
  user: IUser,
  room: IRoom,
  typed: string,
): Promise<{ bytes: Buffer; name: string; roomId: string }> {
  const uploadsBefore = host.uploads().length;
  const toldBefore = seen(host, user).length;
  const answer = await host.runSlashCommand(user, room, `/ipfs get ${typed}`);
  assert.equal(answer.opened.length, 0, 'no password modal');
  return delivered(host, user, toldBefore, uploadsBefore);
}

/** Waits for the user to be told the retrieval's outcome and returns the file it posted. */
async function delivered(
  host: WorkspaceHost,
  user: IUser,
  toldBefore: number,
  uploadsBefore: number,
): Promise<{ bytes: Buffer; name: string; roomId: string }> {
  const done = await host.waitFor(
    () =>
      seen(host, user)
        .slice(toldBefore)
        .find((text) => text.startsWith('✅') || text.startsWith('❌')),
    120_000,
  );
  assert.ok(done.startsWith('✅'), `delivered: ${done}`);
  const upload = host.uploads()[uploadsBefore];
  assert.ok(upload, 'a file was posted');
  return { bytes: upload.bytes, name: upload.name, roomId: upload.roomId };
}
