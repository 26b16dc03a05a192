import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '../..');
const TIMEOUT_MS = 110_000;

/** Like `npm run bench:archive`: NODE_ENV unset, or the engine would skip every permission check. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_ENV;
  return env;
}

// Only that the archive bench still runs end to end against the app as it is: timings are not asserted.
test('npm run bench:archive --quick: a 1 MiB upload archived, opened outside the app, next to /ipfs put', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/bench/archive.ts', '--quick'], {
    cwd: root,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  clearTimeout(timer);

  assert.equal(code, 0, `the bench exits 0 within ${TIMEOUT_MS / 1000} s:\n${err.slice(-3000)}`);
  // | 1 MiB | off / on | read | hook off / on | request | CID s | … | opens |
  assert.match(out, /^\| 1 MiB \| \d+ \/ \d+ \| \d+ \| \d+ \/ \d+ \| \d+ \/ \d+ \| [\d.]+ \|.*\| yes \|$/m, out);
  assert.match(out, /^\| 1 MiB \| [\d.]+ \| [\d.]+ \| \d+ \|/m, 'the /ipfs put row');
  assert.match(out, /No engine message above ~1 MiB after the hook: largest 1\.\d+ MiB/);
  assert.doesNotMatch(out, /Did not complete/, 'every 1 MiB measurement completed');
  assert.match(out, /Load average before the run/);
});
