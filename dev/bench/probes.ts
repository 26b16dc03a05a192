import type { WorkspaceHost } from '../host';

/** One bridge call as the host saw it: when the app's request arrived and when the host had answered it. */
export interface BridgeEvent {
  what: 'getBuffer' | 'createUpload' | 'http';
  url?: string;
  start: number;
  end: number;
}

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * Timestamps the bridge calls that carry file bytes, by wrapping the bridges' protected methods on the
 * instances (dev/host stays untouched). A call "starts" once the engine has received and decoded the app's
 * whole request (so an HTTP body's trip app→host lies before `start`) and "ends" before the answer travels
 * back to the app.
 */
export function instrument(host: WorkspaceHost): BridgeEvent[] {
  const events: BridgeEvent[] = [];
  const wrap = (target: object, method: string, what: BridgeEvent['what'], urlOf?: (a: unknown) => string) => {
    const holder = target as Record<string, Method>;
    const original = holder[method].bind(target);
    holder[method] = async (...args: unknown[]) => {
      const event: BridgeEvent = { what, start: Date.now(), end: 0, ...(urlOf && { url: urlOf(args[0]) }) };
      events.push(event);
      try {
        return await original(...args);
      } finally {
        event.end = Date.now();
      }
    };
  };
  wrap(host.bridges.uploads, 'getBuffer', 'getBuffer');
  wrap(host.bridges.uploads, 'createUpload', 'createUpload');
  wrap(host.bridges.http, 'call', 'http', (info) => String((info as { url: string }).url));
  return events;
}

/** The last event matching `pred` that started at or after `since`. */
export function lastEvent(
  events: BridgeEvent[],
  since: number,
  pred: (e: BridgeEvent) => boolean,
): BridgeEvent | undefined {
  return events.filter((e) => e.start >= since && pred(e)).at(-1);
}

/** The first event matching `pred` that started at or after `since`. */
export function firstEvent(
  events: BridgeEvent[],
  since: number,
  pred: (e: BridgeEvent) => boolean,
): BridgeEvent | undefined {
  return events.find((e) => e.start >= since && pred(e));
}

const NAMES: Record<BridgeEvent['what'], string> = {
  getBuffer: 'getBufferById',
  createUpload: 'uploadBuffer',
  http: 'HTTP',
};

/**
 * Where a run that did not finish stood, from the bridge calls since `since`: the last call the host saw, when
 * it came in and whether the host had answered it (an answered read means its bytes were on their way into
 * the app, or being decoded there).
 */
export function describeStep(events: BridgeEvent[], since: number, now = Date.now()): string {
  const mine = events.filter((e) => e.start >= since);
  const last = mine.at(-1);
  if (!last) return 'before any bridge call reached the host';
  const name =
    last.what === 'http' ? `HTTP ${(last.url ?? '').replace(/^.*\/api\/v0\//, '').split('?')[0]}` : NAMES[last.what];
  const at = ((last.start - since) / 1000).toFixed(1);
  const ipfs = mine.filter((e) => e.what === 'http').length;
  const state = last.end
    ? `answered by the host at ${((last.end - since) / 1000).toFixed(1)} s, nothing after it for ${((now - last.end) / 1000).toFixed(0)} s`
    : 'not yet answered by the host';
  return `last bridge call ${name} (in at ${at} s, ${state}; ${ipfs} HTTP call(s) in all)`;
}
