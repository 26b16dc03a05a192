import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';

import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';

import { NodeHttpAccessor, performHttpRequest } from '../../dev/host/http/rocketChatHttp';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A loopback server that records each request and answers with `answer`. */
async function withServer(
  answer: (seen: Seen, res: ServerResponse) => void,
  run: (base: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      answer(s, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    await run(`http://127.0.0.1:${(server.address() as { port: number }).port}`, seen);
  } finally {
    await new Promise<void>((ok) => server.close(() => ok()));
  }
}

const echoJson = (_s: Seen, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
};

void describe('performHttpRequest / NodeHttpAccessor behave like Rocket.Chat’s HTTP bridge', () => {
  void test('a Buffer body is sent byte for byte; params go to the URL when there is a body', async () => {
    await withServer(echoJson, async (base, seen) => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const res = await new NodeHttpAccessor().post(`${base}/x?a=1`, {
        content: bytes as unknown as string,
        params: { b: '2' },
        headers: { 'Content-Type': 'application/octet-stream' },
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.data, { ok: true });
      assert.ok(seen[0].body.equals(bytes));
      assert.equal(seen[0].url, '/x?a=1&b=2');
    });
  });

  void test('a plain Uint8Array is JSON-stringified (the trap the app must avoid)', async () => {
    await withServer(echoJson, async (base, seen) => {
      await new NodeHttpAccessor().post(base, { content: new Uint8Array([1, 2]) as unknown as string });
      assert.equal(seen[0].body.toString(), '{"0":1,"1":2}');
      assert.equal(seen[0].headers['content-type'], 'application/json');
    });
  });

  void test('a POST without body sends its (always present) params as an urlencoded form', async () => {
    await withServer(echoJson, async (base, seen) => {
      await new NodeHttpAccessor().post(`${base}/v`);
      assert.equal(seen[0].headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(seen[0].body.length, 0);
      await new NodeHttpAccessor().post(`${base}/v`, { params: { arg: 'x y' } });
      assert.equal(seen[1].body.toString(), 'arg=x+y');
      assert.equal(seen[1].url, '/v');
    });
  });

  void test('auth becomes Basic; encoding null gives a Buffer; non-2xx is a response', async () => {
    await withServer(
      (_s, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(Buffer.from([0, 255, 1]));
      },
      async (base, seen) => {
        const res = await performHttpRequest(RequestMethod.POST, base, { auth: 'u:p:w', encoding: null, params: {} });
        assert.equal(res.statusCode, 500);
        assert.ok(Buffer.isBuffer(res.content));
        assert.deepEqual([...(res.content as unknown as Buffer)], [0, 255, 1]);
        assert.equal(seen[0].headers.authorization, `Basic ${Buffer.from('u:p:w').toString('base64')}`);
        await assert.rejects(performHttpRequest(RequestMethod.GET, base, { auth: 'nocolon' }), /username:password/);
      },
    );
  });

  void test('timeout → AbortError-like message; refused → "request to … failed, reason: …ECONNREFUSED"', async () => {
    await withServer(
      () => undefined, // never answers
      async (base) => {
        await assert.rejects(new NodeHttpAccessor().get(base, { timeout: 200 }), /aborted/);
      },
    );
    await assert.rejects(new NodeHttpAccessor().get('http://127.0.0.1:1/'), /failed, reason: .*ECONNREFUSED/);
  });
});
