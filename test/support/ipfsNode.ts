import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** A running throw-away IPFS node (js-ipfs, offline, loopback only). */
export interface IpfsNode {
  /** e.g. `http://127.0.0.1:41234` (no `/api/v0`). */
  apiUrl: string;
  /** Stops the node and deletes its repository. */
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 60_000;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/**
 * Starts a fresh node (temporary repository, free port) and resolves once its API answers. Installs the
 * node's packages first if they are missing (scripts/ensure-ipfs-node.sh, a few minutes once).
 * @throws Error if the node does not come up within a minute or exits early.
 */
export async function startIpfsNode(): Promise<IpfsNode> {
  execFileSync('bash', [resolve(ROOT, 'scripts/ensure-ipfs-node.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const child = spawn(process.execPath, [resolve(ROOT, 'dev/ipfs-node/start.mjs'), '--temp', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 10_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  };

  try {
    const apiUrl = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`IPFS node did not start in time: ${stderr}`)), START_TIMEOUT_MS);
      child.once('exit', (code) => fail(new Error(`IPFS node exited (${code}): ${stderr}`)));
      const lines = createInterface({ input: child.stdout });
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          ok((JSON.parse(line) as { apiUrl: string }).apiUrl);
        } catch (err) {
          fail(new Error(`unexpected output from the IPFS node: ${line}`, { cause: err }));
        }
      });
    });
    return { apiUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
