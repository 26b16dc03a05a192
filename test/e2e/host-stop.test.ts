import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { startHost } from '../../dev/host';

const root = path.resolve(__dirname, '../..');
const zip = path.join(root, 'dist', 'probe-stop.zip');

// The demo once failed after every check held: stop() killed the app's process while a bridge call was still
// running, and the engine's answer to the dead process ended the test process with an unhandled EPIPE.
test("stop() lets the app's running call finish before it stops the app's process", async () => {
  execFileSync(process.execPath, ['scripts/package.mjs', '--app', 'test/fixtures/probe-app', '--out', zip], {
    cwd: root,
  });
  let received!: () => void;
  const requestArrived = new Promise<void>((resolve) => (received = resolve));
  let answered = false;
  const slowServer = http.createServer((_req, res) => {
    received();
    setTimeout(() => res.end('late', () => (answered = true)), 1000);
  });
  await new Promise<void>((resolve) => slowServer.listen(0, '127.0.0.1', resolve));
  const port = (slowServer.address() as AddressInfo).port;
  const host = await startHost({ appZip: zip, expect: { slashCommands: ['probe'] } });
  try {
    host.setServerSetting('SSRF_Allowlist', `127.0.0.1:${port}`);
    const alice = host.addUser({ username: 'alice' });
    const command = host.runSlashCommand(alice, host.general, `/probe http http://127.0.0.1:${port}/`);
    await requestArrived;
    await host.stop();
    assert.ok(answered, 'the provider answered before the process was stopped');
    const told = (await command).ephemeral.map((m) => m.text ?? '').at(-1);
    assert.equal(told, 'http ok status 200', 'the app finished its command');
  } finally {
    slowServer.close();
  }
});
