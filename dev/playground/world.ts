import fs from 'node:fs';
import path from 'node:path';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { startHost } from '../host';
import { allowlistEntryFor } from '../host/http/ssrf';
import type { WorkspaceHost } from '../host';
import { startPlaygroundIpfsNode } from './ipfsNode';
import type { PlaygroundIpfsNode } from './ipfsNode';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Where things live; every path may be overridden (tests use temporary directories). */
export interface WorldOptions {
  /** The packaged app (default dist/ipfs-storage_<version>.zip). */
  appZip?: string;
  /** The IPFS node's repository, kept between runs (default .cache/playground-ipfs). */
  ipfsRepo?: string;
  /** Where files the app delivers are written (default .cache/playground-downloads). */
  downloads?: string;
  /** Progress lines while starting. */
  log?: (line: string) => void;
}

/** A running IPFS node and workspace host with the app installed, users alice (an owner) and bob in #general. */
export interface World {
  readonly host: WorkspaceHost;
  readonly node: PlaygroundIpfsNode;
  readonly general: IRoom;
  readonly users: Map<string, IUser>;
  readonly downloads: string;
  /** Stops the host, then the node; safe to call more than once. */
  stop(): Promise<void>;
}

/** The zip `node scripts/package.mjs` writes for the version in app.json. */
export function defaultAppZip(): string {
  const { version, nameSlug } = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')) as {
    version: string;
    nameSlug: string;
  };
  return path.join(ROOT, 'dist', `${nameSlug}_${version}.zip`);
}

/** Starts the IPFS node and the host (pointing the app's API URL at the node) and creates the users. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const log = options.log ?? (() => undefined);
  if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV; // or the engine skips permission checks
  const appZip = options.appZip ?? defaultAppZip();
  if (!fs.existsSync(appZip)) throw new Error(`${appZip} is missing: run node scripts/package.mjs`);
  const downloads = options.downloads ?? path.join(ROOT, '.cache', 'playground-downloads');
  fs.mkdirSync(downloads, { recursive: true });

  let started = Date.now();
  const node = await startPlaygroundIpfsNode(options.ipfsRepo ?? path.join(ROOT, '.cache', 'playground-ipfs'), log);
  log(`IPFS node ready at ${node.apiUrl} (repository ${node.repo}) in ${Date.now() - started} ms`);
  let host: WorkspaceHost;
  try {
    started = Date.now();
    host = await startHost({
      appZip,
      // archive mode "rooms that opt in": an owner can turn archiving on (`/ipfs archive on`) to try it; a thread
      // reply per archived file shows it happen (the app's default is quiet: only `/ipfs list` and status show it)
      appSettings: { ipfs_api_url: node.apiUrl, archive_mode: 'opt_in', archive_notice: 'thread' },
      // as an admin would: Administration → Settings → General → SSRF allowlist gets the local node
      serverSettings: { SSRF_Allowlist: allowlistEntryFor(node.apiUrl) },
      expect: { slashCommands: ['ipfs'], actionButtons: ['ipfs_store_message_file'] },
    });
  } catch (err) {
    await node.stop();
    throw err;
  }
  log(`workspace host ready with ${path.relative(ROOT, appZip)} installed in ${Date.now() - started} ms`);

  const users = new Map<string, IUser>();
  for (const username of ['alice', 'bob']) users.set(username, host.addUser({ username }));
  host.setRoomRoles(host.general, users.get('alice')!, ['owner']); // so alice may turn #general's archive on
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      try {
        await withTimeout(host.stop(), STOP_TIMEOUT_MS, 'the workspace host did not stop');
      } catch (err) {
        log(`${err instanceof Error ? err.message : String(err)}; its Deno process ends with this one`);
      } finally {
        await node.stop();
      }
    })());
  return { host, node, general: host.general, users, downloads, stop };
}

/** How long stop() waits for the host (a Ctrl-C that reached the whole process group can leave it hanging). */
const STOP_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The app's bot user (the engine creates it at install: `<nameSlug>.bot`). */
export function botUser(host: WorkspaceHost): IUser | undefined {
  return [...host.ws.users.values()].find((u) => u.appId === host.appId);
}
