import assert from 'node:assert/strict';
import type { WorkspaceHost } from '../../dev/host';

const WINDOW = 16;

/** Every 16-byte window of `haystack`, for asking "does any plaintext run of 16 bytes occur in it?". */
function windows(haystack: Uint8Array): Set<string> {
  const found = new Set<string>();
  const text = Buffer.from(haystack).toString('latin1');
  for (let i = 0; i + WINDOW <= text.length; i++) {
    found.add(text.slice(i, i + WINDOW));
  }
  return found;
}

/** True when some 16-byte run of `plaintext` appears in `haystack`. */
export function sharesRun(haystack: Uint8Array, plaintext: Uint8Array): boolean {
  if (haystack.length < WINDOW || plaintext.length < WINDOW) {
    return false;
  }
  const runs = windows(haystack);
  const text = Buffer.from(plaintext).toString('latin1');
  for (let i = 0; i + WINDOW <= text.length; i++) {
    if (runs.has(text.slice(i, i + WINDOW))) {
      return true;
    }
  }
  return false;
}

/** Every message the app's users could read: rooms, threads, direct messages and their ephemeral messages. */
export function chatTraces(host: WorkspaceHost, users: Array<{ id: string }>): Buffer {
  const rooms = new Set(host.uploads().map((upload) => upload.roomId));
  for (const room of host.ws.rooms.values()) {
    rooms.add(room.id);
  }
  const parts = [
    ...[...rooms].map((roomId) => JSON.stringify(host.messages(roomId))),
    ...users.map((user) => JSON.stringify(host.ephemeral(user as Parameters<WorkspaceHost['ephemeral']>[0]))),
  ];
  return Buffer.from(parts.join('\n'), 'utf8');
}

/**
 * Everything the app left in the workspace that a person or an admin could read: its logs, its persistence,
 * every message (room, thread, direct, ephemeral) and the names of posted files.
 */
export function workspaceTraces(host: WorkspaceHost, users: Array<{ id: string }>): Buffer {
  const records = JSON.stringify(host.appLogs()) + '\n' + JSON.stringify(host.persistenceDump());
  return Buffer.concat([Buffer.from(records + '\n'), chatTraces(host, users)]);
}

/** Asserts that no password and no 16-byte run of any plaintext occurs in the traces or IPFS objects. */
export function assertNoSecrets(
  places: Record<string, Uint8Array>,
  secrets: { passwords: string[]; plaintexts: Uint8Array[] },
): void {
  for (const [where, bytes] of Object.entries(places)) {
    const text = Buffer.from(bytes).toString('latin1');
    for (const password of secrets.passwords) {
      const at = text.indexOf(Buffer.from(password, 'utf8').toString('latin1'));
      assert.ok(at < 0, `a secret appears in ${where}: …${text.slice(Math.max(0, at - 80), at + 40)}…`);
    }
    for (const plaintext of secrets.plaintexts) {
      assert.ok(!sharesRun(bytes, plaintext), `a 16-byte plaintext run appears in ${where}`);
    }
  }
}
