import type { WorkspaceHost } from '../host';

/** One message between the engine (the server's side) and the app's Deno process. */
export interface EngineMessage {
  at: number;
  /** About its msgpack size: bytes of binaries and strings plus a few per value (headers, numbers). */
  bytes: number;
  direction: 'to app' | 'from app';
  /** The JSON-RPC method (`bridges:…`, `app:…`), or `result` for an answer. */
  method: string;
}

/** The parts of the engine's AppsEngineDenoRuntime that every message passes through. */
interface RuntimeInternals {
  messenger: { send(message: unknown): void };
  handleIncomingMessage(message: unknown): Promise<unknown>;
  handleResultMessage(message: unknown): Promise<unknown>;
}

/**
 * About how many bytes msgpack makes of a value: exact for binaries and strings (what a big message is made
 * of), a small allowance for everything else. Walking is cheap next to encoding again (no copy of a Buffer).
 */
export function approxEncodedBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 9;
  if (typeof value === 'string') return Buffer.byteLength(value) + 5;
  if (ArrayBuffer.isView(value)) return value.byteLength + 6;
  if (value instanceof ArrayBuffer) return value.byteLength + 6;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + approxEncodedBytes(item), 5);
  if (typeof value === 'object') {
    let sum = 5;
    for (const [key, item] of Object.entries(value)) sum += Buffer.byteLength(key) + 1 + approxEncodedBytes(item);
    return sum;
  }
  return 1; // a function: the engine's codec writes one byte for it
}

function methodOf(message: unknown): string {
  const m = message as { method?: unknown; payload?: { method?: unknown } } | null;
  const method = m?.method ?? m?.payload?.method;
  return typeof method === 'string' ? method : 'result';
}

/**
 * Records every message crossing the engine's boundary with the app's Deno process, in both directions: what
 * the engine sends (`messenger.send`, before msgpack encodes it) and what it decoded from the process
 * (`handleIncomingMessage` / `handleResultMessage`). Wraps the runtime instance's methods (dev/host stays
 * untouched); the runtime object outlives a restart of the process, so the watch does too.
 */
export function watchEngineMessages(host: WorkspaceHost): EngineMessage[] {
  const runtime = host.runtime() as unknown as RuntimeInternals;
  const messages: EngineMessage[] = [];
  const record = (direction: EngineMessage['direction'], message: unknown) => {
    messages.push({ at: Date.now(), bytes: approxEncodedBytes(message), direction, method: methodOf(message) });
  };
  const send = runtime.messenger.send.bind(runtime.messenger);
  runtime.messenger.send = (message) => {
    record('to app', message);
    send(message);
  };
  for (const name of ['handleIncomingMessage', 'handleResultMessage'] as const) {
    const original = runtime[name].bind(runtime);
    runtime[name] = (message) => {
      record('from app', message);
      return original(message);
    };
  }
  return messages;
}

/** The largest message that crossed at or after `since` (and before `until`), if any. */
export function largestMessage(messages: EngineMessage[], since: number, until = Infinity): EngineMessage | undefined {
  let largest: EngineMessage | undefined;
  for (const m of messages) {
    if (m.at >= since && m.at <= until && (!largest || m.bytes > largest.bytes)) largest = m;
  }
  return largest;
}
