import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { cidEquals, parseCid } from '../../src/ipfs/cid';

/**
 * A loopback HTTP proxy in front of a real IPFS node that misbehaves on demand, for faults a real node does
 * not produce: a corrupted block, a connection dropped halfway through an upload, a provider that stops
 * taking blocks. Requests and answers are buffered whole (test sizes), everything else passes through.
 */

/** What to break; change it between requests through `proxy.faults`. */
export interface ProxyFaults {
  /** Flip one byte in the middle of the answer to the `nth` block/get (1-based), or to the block/get of `cid`. */
  corruptBlockGet?: { nth?: number; cid?: string };
  /** Forward half the body of the n-th upload (block/put or dag/import, 1-based), then drop both connections. */
  dropUpload?: number;
  /** Answer every upload after the first n with Kubo's 500 error. */
  refuseUploadsAfter?: number;
  /** Keep every upload after the first n waiting, unanswered, until the faults change (a stalled provider). */
  holdUploadsAfter?: number;
}

/** One request as it passed the proxy. */
export interface ProxiedRequest {
  command: string;
  requestBytes: number;
  responseBytes: number;
  /** What the proxy did to it. */
  fault?: 'corrupted' | 'dropped' | 'refused' | 'held';
}

/** A running proxy. */
export interface FaultyProxy {
  /** e.g. `http://127.0.0.1:41234` (no `/api/v0`), to use as the client's apiUrl. */
  url: string;
  /** Requests since the last `setFaults`. */
  seen: ProxiedRequest[];
  /** Replaces the faults and starts counting (`nth`, uploads, `seen`) afresh. */
  setFaults(faults: ProxyFaults): void;
  close(): Promise<void>;
}

const UPLOADS = new Set(['block/put', 'dag/import']);

function readBody(stream: http.IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    stream.on('end', () => ok(Buffer.concat(parts)));
    stream.on('error', fail);
  });
}

function matchesCid(arg: string | null, wanted: string): boolean {
  try {
    return arg !== null && cidEquals(parseCid(arg), parseCid(wanted));
  } catch {
    return false;
  }
}

/**
 * Starts a proxy on 127.0.0.1 (a free port) forwarding to `target` (the node's base URL).
 * @param faults initial faults (none by default).
 */
export async function startFaultyProxy(target: string, faults: ProxyFaults = {}): Promise<FaultyProxy> {
  const upstream = new URL(target);
  let current = faults;
  let blockGets = 0;
  let uploads = 0;
  let releaseHeld: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const state: FaultyProxy = {
    url: '',
    seen: [],
    setFaults(next) {
      for (const release of releaseHeld) release();
      releaseHeld = [];
      current = next;
      blockGets = 0;
      uploads = 0;
      state.seen = [];
    },
    close: () => Promise.resolve(),
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', upstream);
      const command = url.pathname.replace(/^\/api\/v0\//, '');
      const body = await readBody(req);
      const record: ProxiedRequest = { command, requestBytes: body.length, responseBytes: 0 };
      state.seen.push(record);
      const f = current;

      let drop = false;
      let corrupt = false;
      if (UPLOADS.has(command)) {
        uploads++;
        if (f.refuseUploadsAfter !== undefined && uploads > f.refuseUploadsAfter) {
          const answer = JSON.stringify({ Message: 'storage refused by the fault proxy', Code: 0, Type: 'error' });
          record.fault = 'refused';
          record.responseBytes = answer.length;
          res.writeHead(500, { 'Content-Type': 'application/json' }).end(answer);
          return;
        }
        drop = f.dropUpload === uploads;
        if (f.holdUploadsAfter !== undefined && uploads > f.holdUploadsAfter) {
          record.fault = 'held';
          await new Promise<void>((release) => releaseHeld.push(release));
        }
      }
      if (command === 'block/get') {
        blockGets++;
        const c = f.corruptBlockGet;
        corrupt =
          !!c && (c.nth === blockGets || (c.cid !== undefined && matchesCid(url.searchParams.get('arg'), c.cid)));
      }

      const headers = { ...req.headers, host: upstream.host };
      const forward = http.request(url, { method: req.method, headers }, (up) => {
        void readBody(up).then((answer) => {
          if (corrupt && (up.statusCode ?? 0) < 300 && answer.length > 0) {
            answer[answer.length >> 1] ^= 0x01;
            record.fault = 'corrupted';
          }
          record.responseBytes = answer.length;
          const out = { ...up.headers, 'content-length': String(answer.length) };
          delete out['transfer-encoding'];
          delete out.trailer;
          res.writeHead(up.statusCode ?? 502, out).end(answer);
        });
      });
      forward.on('error', () => res.destroy());
      if (drop) {
        // Half the request reaches the node, then both connections die as if the network failed.
        record.fault = 'dropped';
        forward.write(body.subarray(0, body.length >> 1));
        setTimeout(() => {
          forward.destroy();
          res.destroy();
        }, 50);
        return;
      }
      forward.end(body);
    })().catch(() => res.destroy());
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((ok) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => ok());
    });
  return state;
}
