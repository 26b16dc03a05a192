import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WorkspaceHost } from '../host';

/** One message between the engine (the server's side) and the app's Deno process. */
export interface EngineMessage {
  at: number;
  /** About its msgpack size: bytes of binaries and strings plus a few per value (headers, numbers). */
  bytes: number;
  direction: 'to app' | 'from app';
  /** The JSON-RPC method (`bridges:…`, `app:…`), or `result` for an answer. */
  method: string;
  /** The JSON-RPC id (a request and its answer share it). */
  id?: string;
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

function idOf(message: unknown): string | undefined {
  const m = message as { id?: unknown; payload?: { id?: unknown } } | null;
  const id = m?.id ?? m?.payload?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
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
    const at = Date.now();
    messages.push({ at, bytes: approxEncodedBytes(message), direction, method: methodOf(message), id: idOf(message) });
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

/**
 * Splits the engine's IPreFileUpload call (the last one sent at or after `since`) at the app's first bridge call
 * after it: before it, the runtime reads the temporary file into `context.content` (no bridge call can come
 * first: the handler has not started); from it to the answer, the app's hook runs. Assumes nothing else of the
 * app is calling the engine meanwhile (no archive job running), so only for uploads measured alone.
 */
export function hookSplit(messages: EngineMessage[], since: number): { readMs: number; hookMs: number } | undefined {
  const call = messages.filter((m) => m.at >= since && m.method === 'app:executePreFileUpload').at(-1);
  if (!call) return undefined;
  const after = messages.filter((m) => m.at >= call.at && m.direction === 'from app');
  const answer = after.find((m) => m.method === 'result' && m.id === call.id);
  const first = after.find((m) => m.method !== 'result');
  if (!answer) return undefined;
  const hookStart = first && first.at <= answer.at ? first.at : answer.at;
  return { readMs: hookStart - call.at, hookMs: answer.at - hookStart };
}

/** The largest message that crossed at or after `since` (and before `until`), if any. */
export function largestMessage(messages: EngineMessage[], since: number, until = Infinity): EngineMessage | undefined {
  let largest: EngineMessage | undefined;
  for (const m of messages) {
    if (m.at >= since && m.at <= until && (!largest || m.bytes > largest.bytes)) largest = m;
  }
  return largest;
}

/** One run of the engine's JSON-RPC check on a message it decoded from the app (jsonrpc-lite's parseObject). */
export interface ServerCheck {
  at: number;
  ms: number;
}

/**
 * Times the engine's own `jsonrpc.parseObject` on every message from the app: jsonrpc-lite JSON-stringifies the
 * parameters to check them, a Buffer as an array of numbers, on the server's main thread (PLATFORM.md). The
 * runtime looks the function up on the shared module object at each call, so replacing it there times every
 * call of this process.
 */
export function watchServerJsonCheck(): ServerCheck[] {
  // the engine's copy: resolved from its own directory, as its runtime requires it
  const engineJson = path.join(path.dirname(require.resolve('@rocket.chat/apps-engine/package.json')), 'package.json');
  const lite = createRequire(engineJson)('jsonrpc-lite') as { parseObject(message: unknown): unknown };
  const checks: ServerCheck[] = [];
  const original = lite.parseObject.bind(lite);
  lite.parseObject = (message) => {
    const started = performance.now();
    try {
      return original(message);
    } finally {
      checks.push({ at: Date.now(), ms: performance.now() - started });
    }
  };
  return checks;
}

/** The longest and the total time of the checks at or after `since` (and before `until`), in ms. */
export function checkTimes(checks: ServerCheck[], since: number, until = Infinity): { maxMs: number; totalMs: number } {
  const mine = checks.filter((c) => c.at >= since && c.at <= until);
  return {
    maxMs: Math.round(Math.max(0, ...mine.map((c) => c.ms))),
    totalMs: Math.round(mine.reduce((sum, c) => sum + c.ms, 0)),
  };
}
