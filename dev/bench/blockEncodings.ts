/**
 * How one block best crosses the engine to a browser (issue #12): the endpoint fixture answers `bytes/<n>` as a
 * Buffer (sent as bytes), as base64 inside a JSON object, or as a base64 text; a separate curl process fetches
 * each through the host's HTTP server (Rocket.Chat's router), so this process's CPU time and event-loop delay
 * are the server's own cost of the response.
 *   node --import tsx dev/bench/blockEncodings.ts [--mib 1] [--reps 20]
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startHost } from '../host';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const mib = option('mib', 1);
  const reps = option('reps', 20);
  const zip = path.join(root, 'dist', 'endpoint.zip');
  await run(process.execPath, ['scripts/package.mjs', '--app', 'test/fixtures/endpoint-app', '--out', zip], {
    cwd: root,
  });
  const host = await startHost({ appZip: zip });
  try {
    const base = `${await host.serveHttp()}/api/apps/public/${host.appId}/bytes/${mib * 1048576}`;
    console.log(
      `| encoding | response bytes | ms per request (median) | server CPU ms per MiB | longest event-loop stall ms |`,
    );
    console.log(`| --- | --- | --- | --- | --- |`);
    for (const enc of ['buffer', 'base64json', 'base64text']) {
      const url = `${base}?enc=${enc}`;
      await run('curl', ['-sf', '-o', '/dev/null', url]); // warm-up
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const cpu = process.cpuUsage();
      // -o names one URL's output: one per URL
      const each = Array.from({ length: reps }, () => ['-o', '/dev/null', url]).flat();
      const out = await run('curl', ['-sf', '-w', '%{time_total} %{size_download}\n', ...each]);
      const used = process.cpuUsage(cpu);
      delay.disable();
      const lines = out.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ').map(Number));
      const times = lines.map(([s]) => s * 1000).sort((a, b) => a - b);
      const cpuPerMiB = (used.user + used.system) / 1000 / (reps * mib);
      const row = [
        enc,
        lines[0][1],
        times[times.length >> 1].toFixed(1),
        cpuPerMiB.toFixed(1),
        (delay.max / 1e6).toFixed(0),
      ];
      console.log(`| ${row.join(' | ')} |`);
    }
  } finally {
    await host.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
