import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import appJson from '../../app.json';

const ROOT = path.resolve(__dirname, '../..');

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Rocket.Chat cannot run here, so this stands in for the four REST endpoints a deploy touches
 * (server info, login, "is the app installed", upload) and records what it was sent.
 */
async function fakeRocketChat(
  installed: boolean,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const reply = (body: object): void => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      };
      if (req.url === '/api/info') return reply({ version: '7.5.0' });
      if (req.url === '/api/v1/login') return reply({ status: 'success', data: { authToken: 'tok', userId: 'uid' } });
      if (req.method === 'GET' && req.url === `/api/apps/${appJson.id}`) return reply({ success: installed });
      if (req.method === 'POST' && req.url?.startsWith('/api/apps')) return reply({ success: true });
      res.statusCode = 404;
      reply({ success: false });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The named part of a multipart body. */
function part(body: Buffer, name: string): Buffer {
  const start = body.indexOf(`name="${name}"`);
  assert.ok(start >= 0, `the upload has a "${name}" part`);
  const dataStart = body.indexOf('\r\n\r\n', start) + 4;
  const boundaryLine = body.subarray(0, body.indexOf('\r\n'));
  return body.subarray(dataStart, body.indexOf(boundaryLine, dataStart) - 2);
}

test('npm run deploy uploads our bundled zip with its permissions, and updates an installed app', async () => {
  for (const installed of [false, true]) {
    const rocketChat = await fakeRocketChat(installed);
    try {
      await promisify(execFile)(
        process.execPath,
        ['scripts/deploy.mjs', '--url', rocketChat.url, '-u', 'admin', '-p', 'pw'],
        {
          cwd: ROOT,
        },
      );
      const upload = rocketChat.received.find((r) => r.method === 'POST' && r.url.startsWith('/api/apps'));
      assert.ok(upload, 'the app was uploaded');
      assert.equal(upload.url, installed ? `/api/apps/${appJson.id}` : '/api/apps');
      assert.equal(upload.headers['x-auth-token'], 'tok');
      assert.deepEqual(JSON.parse(part(upload.body, 'permissions').toString()), appJson.permissions);
      const zip = new AdmZip(part(upload.body, 'app'));
      const names = zip.getEntries().map((entry) => entry.entryName);
      assert.ok(names.includes('app.json') && names.includes('IpfsStorageApp.js'));
      assert.equal(names.filter((name) => name.endsWith('.js')).length, 1, 'one bundled file, npm code inside');
      assert.match(zip.readAsText('IpfsStorageApp.js'), /secretbox/);
    } finally {
      await rocketChat.close();
    }
  }
});

test('npm run deploy refuses an unknown argument and a server that does not answer', async () => {
  await assert.rejects(
    promisify(execFile)(process.execPath, ['scripts/deploy.mjs', '--bogus'], { cwd: ROOT }),
    /unknown argument --bogus/,
  );
  await assert.rejects(
    promisify(execFile)(process.execPath, ['scripts/deploy.mjs', '--url', 'http://127.0.0.1:9', '-u', 'a', '-p', 'b'], {
      cwd: ROOT,
    }),
    /Problems conecting to Rocket.Chat/,
  );
});
