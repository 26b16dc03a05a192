import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The playground's IPFS node: a child process serving Kubo RPC on 127.0.0.1. */
export interface PlaygroundIpfsNode {
  /** e.g. `http://127.0.0.1:41234` (no `/api/v0`). */
  readonly apiUrl: string;
  readonly repo: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 60_000;
const LOCK_WAIT_MS = 25_000;

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/**
 * Starts dev/ipfs-node/start.mjs on a free port with a repository kept between runs (`repo`), and resolves
 * once it printed its API URL. scripts/ensure-ipfs-node.sh must have installed it.
 */
export async function startPlaygroundIpfsNode(
  repo: string,
  log: (line: string) => void = () => undefined,
): Promise<PlaygroundIpfsNode> {
  // js-ipfs holds its repository with a lock that goes stale 20 s after its holder died
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(repo);
    } catch (err) {
      const locked = err instanceof Error && err.message.includes('Lock already being held');
      if (!locked || Date.now() > deadline) {
        if (locked) throw new Error(`${repo} is in use by another IPFS node (another playground or demo?)`);
        throw err;
      }
      if (attempt === 0) log(`${repo} is locked (a node killed moments ago, or still running); waiting up to 25 s`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

async function startOnce(repo: string): Promise<PlaygroundIpfsNode> {
  const script = path.join(ROOT, 'dev', 'ipfs-node', 'start.mjs');
  if (!fs.existsSync(path.join(ROOT, 'dev', 'ipfs-node', 'node_modules', 'ipfs-core'))) {
    throw new Error('the local IPFS node is not installed: run bash scripts/setup.sh');
  }
  fs.mkdirSync(path.dirname(repo), { recursive: true });
  const child = spawn(process.execPath, [script, '--repo', repo, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    if (exited(child)) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 10_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  };
  try {
    const info = await new Promise<{ apiUrl: string; repo: string; pid: number }>((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`the IPFS node did not start in time: ${stderr}`)),
        START_TIMEOUT_MS,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the IPFS node exited (${code}): ${stderr}`));
      });
      createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer);
        try {
          ok(JSON.parse(line) as { apiUrl: string; repo: string; pid: number });
        } catch (err) {
          fail(new Error(`unexpected output from the IPFS node: ${line}`, { cause: err }));
        }
      });
    });
    return { ...info, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
