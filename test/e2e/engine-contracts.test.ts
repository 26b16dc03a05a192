import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { startHost } from '../../dev/host';
import type { WorkspaceHost } from '../../dev/host';
import { engineVersion } from '../../dev/host/engine';
import { pattern } from '../fixtures/contracts-app/contractOps';

/*
 * Contract tests for the engine behaviours the app works around (the list is in src/engine/index.ts). Each runs
 * the fixture test/fixtures/contracts-app, which calls the app's own src/engine code, inside the real engine and
 * Deno runtime, and fails the day an engine stops behaving as the workaround assumes. scripts/test.sh runs this
 * file on every engine of the matrix. Where the behaviour is Rocket.Chat's bridge rather than the engine, the host
 * models it from Rocket.Chat's source (docs/dev/HOST.md) and the test says so.
 */

const root = path.resolve(__dirname, '../..');
const zip = path.join(root, 'dist', 'contracts.zip');
/** Odd-sized and above the 64 KiB pieces the engine's pipe moves: big enough to catch a re-encoding. */
const SIZE = 300_001;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function contract(host: WorkspaceHost, user: IUser, room: IRoom, line: string): Promise<string> {
  const result = await host.runSlashCommand(user, room, `/contract ${line}`);
  return result.ephemeral.map((m) => m.text ?? '').at(-1) ?? '';
}

/** A local HTTP server: `/echo` answers with the length and hash of the body it got, `/bytes` sends pattern bytes. */
async function startServer(): Promise<{ url: string; bodies: Buffer[]; close(): void }> {
  const bodies: Buffer[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body);
      if (req.url === '/bytes') {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(Buffer.from(pattern(SIZE)));
      } else if (req.url?.startsWith('/params')) {
        res.end(`url=${req.url} type=${req.headers['content-type'] ?? ''} body=${body.toString('utf8')}`);
      } else {
        res.end(`len=${body.length} sha=${sha256(body)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, bodies, close: () => server.close() };
}

/** Records what the engine hands a bridge method (its `do*` entry), before the bridge sees it. */
function observe(bridge: object, method: string, seen: unknown[][]): () => void {
  const target = bridge as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method];
  target[method] = function (this: unknown, ...args: unknown[]) {
    seen.push(args);
    return original.apply(this, args);
  };
  return () => {
    target[method] = original;
  };
}

// @types/node 16 has no before/after hooks: one test owns the host, its steps are subtests
test(`the engine (${engineVersion}) behaves as the app's workarounds assume`, async (t) => {
  execFileSync(process.execPath, ['scripts/package.mjs', '--app', 'test/fixtures/contracts-app', '--out', zip], {
    cwd: root,
  });
  const server = await startServer();
  const host = await startHost({ appZip: zip, expect: { slashCommands: ['contract'] } });
  host.setServerSetting('SSRF_Allowlist', new URL(server.url).host); // as an admin allowlists a local node
  const alice = host.addUser({ username: 'alice' });
  try {
    await bytesToTheEngine(t, host, alice, server);
    await bytesFromTheEngine(t, host, alice, server);
    await persistence(t, host, alice);
    await sandbox(t, host, alice);
    await liveness(t, host, alice);
  } finally {
    await host.stop();
    server.close();
  }
});

async function bytesToTheEngine(
  t: TestContext,
  host: WorkspaceHost,
  alice: IUser,
  server: Awaited<ReturnType<typeof startServer>>,
): Promise<void> {
  const expected = sha256(pattern(SIZE));
  await t.test('an HTTP body readied by bytesForEngine reaches the server byte-identical, as a Buffer', async () => {
    const seen: unknown[][] = [];
    const restore = observe(host.bridges.http, 'doCall', seen);
    try {
      const told = await contract(host, alice, host.general, `body ${server.url}/echo ${SIZE} buffer`);
      // a transport that JSON-encoded the body would deliver the text `[300001 bytes]` (its toJSON)
      assert.equal(told, `body ok status 200 len=${SIZE} sha=${expected}`);
      const content = (seen[0]?.[0] as { request?: { content?: unknown } })?.request?.content;
      assert.ok(Buffer.isBuffer(content), 'the bridge got a Buffer');
    } finally {
      restore();
    }
  });
  // A plain Uint8Array crosses as msgpack `bin`; the engine's decoder hands it over as a view of the pipe's chunk,
  // which is a Buffer only when the whole message came in one chunk (small ones): big ones arrive as no Buffer.
  await t.test(
    'a big plain Uint8Array body reaches the bridge as no Buffer, so the Buffer rule still matters',
    async () => {
      const seen: unknown[][] = [];
      const restore = observe(host.bridges.http, 'doCall', seen);
      try {
        const told = await contract(host, alice, host.general, `body ${server.url}/echo ${SIZE} uint8`);
        const content = (seen[0]?.[0] as { request?: { content?: unknown } })?.request?.content;
        assert.ok(content instanceof Uint8Array, 'the bytes arrive, as a Uint8Array');
        assert.ok(
          !Buffer.isBuffer(content),
          'the engine now delivers a Uint8Array as a Buffer: the rule "Buffer, not Uint8Array" can go',
        );
        // what Rocket.Chat's bridge then does with a non-Buffer object body (dev/host/http/rocketChatHttp.ts)
        assert.notEqual(told, `body ok status 200 len=${SIZE} sha=${expected}`);
        assert.match(server.bodies.at(-1)?.toString('utf8') ?? '', /^\{"0":7,"1":38,/);
      } finally {
        restore();
      }
    },
  );
  await t.test(
    "the engine JSON-encodes an HTTP request's parameters in the app's process, so bytesForEngine pays",
    async () => {
      const told = await contract(host, alice, host.general, `jsoncheck ${server.url}/echo`);
      assert.match(told, /^jsoncheck ok toJSON-calls=\d+$/);
      assert.notEqual(
        told,
        'jsoncheck ok toJSON-calls=0',
        "no JSON check left in the app's process: bytesForEngine can go",
      );
    },
  );
  await t.test('uploadBuffer of a Buffer readied by bytesForEngine stores the bytes unchanged', async () => {
    const told = await contract(host, alice, host.general, `upload ${SIZE} buffer`);
    const id = /^upload ok (\S+)$/.exec(told)?.[1];
    assert.ok(id, told);
    const stored = host.uploads().find((u) => u.id === id);
    assert.equal(sha256(stored?.bytes ?? Buffer.alloc(0)), expected);
  });
  await t.test('uploadBuffer of a big plain Uint8Array reaches the bridge as no Buffer either', async () => {
    const seen: unknown[][] = [];
    const restore = observe(host.bridges.uploads, 'doCreateUpload', seen);
    try {
      const told = await contract(host, alice, host.general, `upload ${SIZE} uint8`);
      assert.match(told, /^upload ok /);
      const buffer = seen[0]?.[1];
      assert.ok(buffer instanceof Uint8Array && !Buffer.isBuffer(buffer), `the bridge got ${String(buffer)}`);
    } finally {
      restore();
    }
  });
}

async function bytesFromTheEngine(
  t: TestContext,
  host: WorkspaceHost,
  alice: IUser,
  server: Awaited<ReturnType<typeof startServer>>,
): Promise<void> {
  await t.test(
    'a binary response asked for with encoding: null reaches the app as a Buffer, byte-identical',
    async () => {
      const told = await contract(host, alice, host.general, `response ${server.url}/bytes binary`);
      assert.equal(told, `response ok type=Buffer sha=${sha256(pattern(SIZE))}`);
    },
  );
  await t.test("without encoding: null the app gets text and the bytes are lost (Rocket.Chat's bridge)", async () => {
    const told = await contract(host, alice, host.general, `response ${server.url}/bytes text`);
    assert.match(told, /^response ok type=string sha=/);
    assert.notEqual(told, `response ok type=string sha=${sha256(pattern(SIZE))}`);
  });
  await t.test(
    "params of a POST without body arrive as a form body, not in the URL (Rocket.Chat's bridge)",
    async () => {
      const told = await contract(host, alice, host.general, `params ${server.url}/params`);
      assert.equal(told, 'params ok url=/params type=application/x-www-form-urlencoded body=arg=bafy+contract');
    },
  );
}

async function persistence(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  for (const mode of ['all', 'one'] as const) {
    await t.test(`removeEveryMatch and putOne leave no duplicate when a removal deletes ${mode}`, async () => {
      const before = host.ws.rules.persistenceRemoval;
      host.setRules({ persistenceRemoval: mode });
      try {
        const told = await contract(host, alice, host.general, 'persist');
        const rawLeft = mode === 'all' ? 0 : 2;
        assert.equal(told, `persist ok raw-left=${rawLeft} every-left=0 put=[{"v":1}] again=[{"v":2}]`);
      } finally {
        host.setRules({ persistenceRemoval: before });
      }
    });
  }
}

async function sandbox(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  await t.test('app code has no globalThis, and crypto.getRandomValues gives random bytes there', async () => {
    const told = await contract(host, alice, host.general, 'random');
    assert.match(told, /^random ok globalThis=\w+ bytes=70000 values=256$/);
    assert.equal(
      told,
      'random ok globalThis=undefined bytes=70000 values=256',
      'app code now sees globalThis: libraries reaching for globalThis.crypto would work there',
    );
  });
  await t.test("a room's _unmappedProperties_ reach the app unchanged, from the command and the reader", async () => {
    const room = host.addRoom({ name: 'unmapped', members: [alice] });
    // Rocket.Chat's room converter puts every field it does not map there (transformMappedData)
    Object.assign(room, { _unmappedProperties_: { contractField: { federated: true } } });
    const told = await contract(host, alice, room, 'unmapped contractField');
    assert.equal(told, 'unmapped ok context={"federated":true} reader={"federated":true}');
  });
}

async function liveness(t: TestContext, host: WorkspaceHost, alice: IUser): Promise<void> {
  await t.test("the keep-alive's requests reset the engine's count of missed liveness pings", async () => {
    type Liveness = { pingTimeoutConsecutiveCount: number; lastHeartbeatTimestamp: number };
    const liveness = (host.runtime() as unknown as { livenessManager: Liveness }).livenessManager;
    const tag = `k${Date.now()}`;
    // the command answers first; the keep-alive then runs 2 s on its own, beating every 100 ms
    assert.equal(await contract(host, alice, host.general, `keepalive 2000 100 ${tag}`), 'keepalive ok started');
    // three pings missed, as while a big message holds them up in the pipe; a fourth restarts the process
    liveness.pingTimeoutConsecutiveCount = 3;
    const markedAt = Date.now();
    // well before the keep-alive ends (and writes its record, a message of its own): only a beat can reset it
    await host.waitFor(
      () => liveness.pingTimeoutConsecutiveCount === 0 && liveness.lastHeartbeatTimestamp >= markedAt,
      1000,
    );
    const record = await host.waitFor(() =>
      host.persistenceDump().find((r) => JSON.stringify(r.associations).includes(`contract-keepalive:${tag}`)),
    );
    assert.ok((record.data as { beats: number }).beats > 0, 'the keep-alive beat');
  });
}
