import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { startHost } from '../../dev/host';
import type { WorkspaceHost } from '../../dev/host';
import { fetch } from '../support/fetch';

const root = path.resolve(__dirname, '../..');
const zip = path.join(root, 'dist', 'endpoint.zip');

// @types/node 16 has no before/after hooks: one test owns the host, its steps are subtests
test("the host serves an app's endpoints over HTTP as Rocket.Chat's router does", async (t) => {
  execFileSync(process.execPath, ['scripts/package.mjs', '--app', 'test/fixtures/endpoint-app', '--out', zip], {
    cwd: root,
  });
  const host = await startHost({ appZip: zip });
  try {
    const base = `${await host.serveHttp()}/api/apps/public/${host.appId}`;
    await steps(t, host, base);
  } finally {
    await host.stop();
  }
});

async function steps(t: TestContext, host: WorkspaceHost, base: string): Promise<void> {
  await t.test('a GET reaches the endpoint with its query; no login means no user', async () => {
    const res = await fetch(`${base}/echo?a=1`);
    assert.equal(res.status, 200);
    const seen = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(seen, {
      method: 'get',
      query: { a: '1' },
      params: {},
      content: {},
      user: null,
      privateHash: null,
    });
  });

  await t.test('JSON and urlencoded bodies are parsed; other bodies are not', async () => {
    const json = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: [1, 2] }),
    });
    assert.deepEqual(((await json.json()) as { content: unknown }).content, { x: [1, 2] });
    const form = await fetch(`${base}/echo`, { method: 'POST', body: new URLSearchParams({ a: 'b' }) });
    assert.deepEqual(((await form.json()) as { content: unknown }).content, { a: 'b' });
    const binary = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from('raw bytes'),
    });
    assert.deepEqual(((await binary.json()) as { content: unknown }).content, {});
  });

  await t.test('a JSON body over 100 kB is refused with 413 before the app sees it', async () => {
    const big = JSON.stringify({ s: 'x'.repeat(101 * 1024) });
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    assert.equal(res.status, 413);
    const fits = JSON.stringify({ s: 'x'.repeat(99 * 1000) });
    const ok = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: fits,
    });
    assert.equal(ok.status, 200);
  });

  await t.test('the user comes only from X-User-Id/X-Auth-Token; authRequired endpoints refuse without', async () => {
    const alice = host.addUser({ username: 'alice' });
    assert.equal((await fetch(`${base}/whoami`)).status, 401);
    const cookie = await fetch(`${base}/whoami`, { headers: { cookie: `rc_uid=${alice.id}; rc_token=whatever` } });
    assert.equal(cookie.status, 401);
    const res = await fetch(`${base}/whoami`, { headers: host.authHeaders(alice) });
    assert.equal(((await res.json()) as { user: string }).user, 'alice');
  });

  await t.test(
    'a Buffer goes out as bytes, a string as HTML (a plain Uint8Array reaches the server as a Buffer too)',
    async () => {
      const bytes = await fetch(`${base}/bytes/1000`);
      assert.equal(bytes.headers.get('content-type'), 'application/octet-stream');
      const body = Buffer.from(await bytes.arrayBuffer());
      assert.equal(body.length, 1000);
      assert.equal(body[300], 300 % 251);
      const page = await fetch(`${base}/page`);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(await page.text(), '<!doctype html><p>page</p>');
      const u8 = await fetch(`${base}/bytes/3?enc=u8`);
      assert.equal(u8.headers.get('content-type'), 'application/octet-stream');
      assert.deepEqual([...Buffer.from(await u8.arrayBuffer())], [0, 1, 2]);
    },
  );

  await t.test("every response carries Rocket.Chat's CSP: scripts only from the server itself", async () => {
    const res = await fetch(`${base}/page`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline[^;]*;\s*style/); // inline only for styles
    assert.match(csp, /connect-src \*/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'sameorigin');
  });

  await t.test('private endpoints answer only under the app’s hash; unknown paths are 404', async () => {
    const hash = host.bridges.api.apis.find((a) => a.api.endpoint.path === 'secret')?.api.hash;
    assert.ok(hash);
    const root = base.replace('/public/', '/private/');
    assert.equal(((await (await fetch(`${root}/${hash}/secret`)).json()) as { privateHash: string }).privateHash, hash);
    assert.equal((await fetch(`${root}/wrong/secret`)).status, 404);
    assert.equal((await fetch(`${base}/nothing-here`)).status, 404);
  });
}
