import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A trustless gateway (`GET /ipfs/<cid>?format=raw`, answering `application/vnd.ipld.raw`) in front of a real IPFS
 * node, whose blocks it serves through Kubo RPC `block/get`. It exists for the one fault a real node does not
 * produce: a block altered on its way (`tamperNth`). Everything else is the node's own answer.
 */
export interface GatewayFake {
  /** e.g. `http://127.0.0.1:41234`, to give the opener as `--gateway`. */
  url: string;
  /** Flip one byte in the middle of the n-th block served (1-based) from now on; undefined serves blocks intact. */
  tamperNth(n: number | undefined): void;
  /** Blocks served since the last `tamperNth`. */
  served: number;
  close(): Promise<void>;
}

/** A POST without a body; the whole answer. */
function post(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST' }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts a gateway on a free loopback port, backed by the Kubo RPC API at `apiUrl`. */
export async function startGatewayFake(apiUrl: string): Promise<GatewayFake> {
  let tamperAt: number | undefined;
  const state = { served: 0 };
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://gateway.test');
      const match = /^\/ipfs\/([^/]+)$/.exec(url.pathname);
      if (req.method !== 'GET' || !match || url.searchParams.get('format') !== 'raw') {
        res.writeHead(400).end('only GET /ipfs/<cid>?format=raw');
        return;
      }
      const upstream = await post(`${apiUrl}/api/v0/block/get?arg=${match[1]}&timeout=5s`);
      if (upstream.status !== 200) {
        res.writeHead(404).end(upstream.body);
        return;
      }
      const block = upstream.body;
      state.served++;
      if (state.served === tamperAt) block[block.length >> 1] ^= 0x01;
      res.writeHead(200, { 'content-type': 'application/vnd.ipld.raw' }).end(block);
    })().catch((err: unknown) => {
      res.writeHead(502).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tamperNth(n) {
      tamperAt = n;
      state.served = 0;
    },
    get served() {
      return state.served;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
