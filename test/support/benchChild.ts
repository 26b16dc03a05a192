import { spawn } from 'node:child_process';
import path from 'node:path';

/** The repository's root: benches run from there, as `npm run …` does. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

/** The environment `npm run bench…` gives a bench: NODE_ENV unset, or the engine would skip every permission check. */
export function benchEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_ENV;
  return env;
}

/** What a bench printed and how it ended. */
export interface BenchOutcome {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs a bench script under tsx from the root, killed after `timeoutMs`; resolves when it exits. */
export async function runBench(script: string, args: string[], timeoutMs: number): Promise<BenchOutcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: benchEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  clearTimeout(timer);
  return { code, out, err };
}
