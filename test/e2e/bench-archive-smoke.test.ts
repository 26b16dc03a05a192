import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBench } from '../support/benchChild';

const TIMEOUT_MS = 110_000;

// Only that the archive bench still runs end to end against the app as it is: timings are not asserted.
test('npm run bench:archive --quick: a 1 MiB upload archived, opened outside the app, next to /ipfs put', async () => {
  const { code, out, err } = await runBench('dev/bench/archive.ts', ['--quick'], TIMEOUT_MS);

  assert.equal(code, 0, `the bench exits 0 within ${TIMEOUT_MS / 1000} s:\n${err.slice(-3000)}`);
  // | 1 MiB | off / on | read | hook off / on | request | CID s | … | opens |
  assert.match(out, /^\| 1 MiB \| \d+ \/ \d+ \| \d+ \| \d+ \/ \d+ \| \d+ \/ \d+ \| [\d.]+ \|.*\| yes \|$/m, out);
  assert.match(out, /^\| 1 MiB \| [\d.]+ \| [\d.]+ \| \d+ \|/m, 'the /ipfs put row');
  assert.match(out, /No engine message above ~1 MiB after the hook: largest 1\.\d+ MiB/);
  assert.doesNotMatch(out, /Did not complete/, 'every 1 MiB measurement completed');
  assert.match(out, /Load average before the run/);
});
