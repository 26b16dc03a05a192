import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The command-line opener (src/opener, bundled as a person runs it: `node ipfs-open.mjs <CID>`), in its own
 * process: an archived object is checked the way someone outside the chat opens it, with the archive password.
 */
export class OutsideOpener {
  private constructor(
    private readonly work: string,
    private readonly apiUrl: string,
  ) {}

  /** Bundles the opener into a temporary directory with a password file for `password` (never an argument). */
  static build(apiUrl: string, password: string): OutsideOpener {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-opener-'));
    const script = path.join(work, 'ipfs-open.mjs');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-opener.mjs'), '--out', script], { stdio: 'ignore' });
    fs.writeFileSync(path.join(work, 'password'), password, { mode: 0o600 });
    return new OutsideOpener(work, apiUrl);
  }

  /** Fetches, verifies and decrypts `cid`; returns the file the opener wrote (its name from the object). */
  async open(cid: string): Promise<{ name: string; bytes: Buffer }> {
    const out = fs.mkdtempSync(path.join(this.work, 'out-'));
    try {
      const args = [path.join(this.work, 'ipfs-open.mjs'), cid, '--api', this.apiUrl];
      await promisify(execFile)(process.execPath, [
        ...args,
        '--password-file',
        path.join(this.work, 'password'),
        '-o',
        out,
        '-q',
      ]);
      const [name] = fs.readdirSync(out);
      return { name, bytes: fs.readFileSync(path.join(out, name)) };
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }

  dispose(): void {
    fs.rmSync(this.work, { recursive: true, force: true });
  }
}
