import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { benchEnv, REPO_ROOT, runBench } from '../support/benchChild';

const TIMEOUT_MS = 90_000;

// Only that the bench runs end to end and reports ratios: timings on a shared machine are not asserted.
test('npm run bench --quick: one 1 MiB put/get, the naive path, the floor and the crypto, and rows with ratios', async () => {
  // as scripts/bench.sh does: the transfer fixture (the bench packages the app itself, its cap raised)
  execFileSync(
    process.execPath,
    ['scripts/package.mjs', '--app', 'test/fixtures/transfer-app', '--out', 'dist/transfer.zip'],
    {
      cwd: REPO_ROOT,
      env: benchEnv(),
      stdio: 'ignore',
    },
  );
  const { code, out, err } = await runBench('dev/bench/main.ts', ['--quick', '--no-write'], TIMEOUT_MS);

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
