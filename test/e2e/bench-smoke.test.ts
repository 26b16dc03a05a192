import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '../..');
const TIMEOUT_MS = 90_000;

/** Like `npm run bench`: NODE_ENV unset, or the engine would skip every permission check. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_ENV;
  return env;
}

// Only that the bench runs end to end and reports ratios: timings on a shared machine are not asserted.
test('npm run bench --quick: one 1 MiB put/get, the naive path, the floor and the crypto, and rows with ratios', async () => {
  // as scripts/bench.sh does: the transfer fixture (the bench packages the app itself, its cap raised)
  execFileSync(
    process.execPath,
    ['scripts/package.mjs', '--app', 'test/fixtures/transfer-app', '--out', 'dist/transfer.zip'],
    {
      cwd: root,
      env: childEnv(),
      stdio: 'ignore',
    },
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/bench/main.ts', '--quick', '--no-write'], {
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
  // | 1 MiB | put | naive put | put / naive | get | naive get | get / naive | …
  const row = /^\| 1 MiB \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|/m.exec(out);
  assert.ok(row, `a 1 MiB row with times and ratios:\n${out}`);
  for (const ratio of [row[3], row[6]]) assert.ok(Number(ratio) > 0 && Number.isFinite(Number(ratio)), ratio);
  // the put breakdown: put, engine read, crypto, IPFS traffic + rest, app's part, per MiB, vs 1 MiB
  assert.match(out, /^\| 1 MiB \| [\d.]+ \| [\d.]+ \| [\d.]+ \| -?[\d.]+ \| -?[\d.]+ \| -?[\d.]+ \| 1\.00 \|/m);
  assert.match(out, /Load average before the run/);
  assert.doesNotMatch(out, /Observed during the run:[\s\S]*failed after/, 'every 1 MiB measurement completed');
  assert.match(
    err,
    /1 MiB app put .* 1 MiB app get .* 1 MiB naive put .* 1 MiB naive get .* 1 MiB crypto .* 1 MiB uploadBuffer alone/s,
    'app, then the transfer fixture in its own host',
  );
});
