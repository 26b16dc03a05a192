import assert from 'node:assert/strict';
import path from 'node:path';
import { startHost, type WorkspaceHost } from '../host';
import { allowlistEntryFor } from '../host/http/ssrf';
import { MemoryWatch, type PeakMemory } from './memory';

export const TRANSFER_ZIP = path.resolve(__dirname, '../../dist/transfer.zip');

/** One run of the transfer fixture, from the command to the app saying it is done. */
export interface TransferRun {
  totalMs: number;
  /** The app's own timings (Deno's clock), e.g. naive put → read, add; naive get → cat, upload. */
  steps: Record<string, number>;
  memory: PeakMemory;
}

const RUN_LIMIT_MS = 600_000;

/**
 * The transfer fixture app (test/fixtures/transfer-app) in its own host (one AppManager per process): issue #5's
 * naive path against the real node, the engine's delivery floor alone, and the app's crypto alone.
 */
export class TransferBench {
  private constructor(
    readonly host: WorkspaceHost,
    private readonly apiUrl: string,
  ) {}

  static async start(apiUrl: string): Promise<TransferBench> {
    const host = await startHost({
      appZip: TRANSFER_ZIP,
      expect: { slashCommands: ['xfer'] },
      serverSettings: { SSRF_Allowlist: allowlistEntryFor(apiUrl) },
    });
    return new TransferBench(host, apiUrl);
  }

  private runs = 0;

  private async run(untagged: string): Promise<TransferRun> {
    const tag = `#${++this.runs}`;
    const command = `${untagged} ${tag}`;
    const mine = new RegExp(`^xfer (done|failed) \\w+ ${tag}\\b`);
    const user = this.host.admin;
    const from = this.host.ephemeral(user).length;
    const watch = new MemoryWatch();
    const t0 = Date.now();
    await this.host.runSlashCommand(user, this.host.general, command);
    const done = await this.host.waitFor(
      () =>
        this.host
          .ephemeral(user)
          .slice(from)
          .find((m) => mine.test(m.text ?? '')),
      RUN_LIMIT_MS,
    );
    const memory = watch.stop();
    const text = done.text ?? '';
    assert.ok(text.startsWith('xfer done'), text);
    const steps = Object.fromEntries(
      [...text.replace(tag, '').matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]),
    );
    return { totalMs: new Date(done.createdAt ?? Date.now()).getTime() - t0, steps, memory };
  }

  /** Naive put: `getBufferById` of the upload + one whole-file multipart `add` to the node. */
  async naivePut(fileId: string, size: number): Promise<TransferRun> {
    const run = await this.run(`/xfer naiveput ${fileId} ${this.apiUrl}`);
    assert.equal(run.steps.bytes, size, 'the whole file was read');
    return run;
  }

  /** Naive get: one whole binary `cat` of the object + `uploadBuffer` of it into #general. */
  async naiveGet(cid: string, objectBytes: number): Promise<TransferRun> {
    const before = this.host.uploads().length;
    const run = await this.run(`/xfer naiveget ${cid} ${this.apiUrl}`);
    assert.equal(this.host.uploads()[before]?.size, objectBytes, 'the whole object was uploaded');
    return run;
  }

  /** The delivery floor: `uploadBuffer` alone of `size` random bytes made in the app. */
  async uploadOnly(size: number): Promise<TransferRun> {
    const before = this.host.uploads().length;
    const run = await this.run(`/xfer upload ${size}`);
    assert.equal(this.host.uploads()[before]?.size, size, 'the whole buffer was uploaded');
    return run;
  }

  /** The app's crypto alone on `size` bytes, in the same Deno runtime. */
  cryptoOnly(size: number): Promise<TransferRun> {
    return this.run(`/xfer crypto ${size}`);
  }

  /** Shares a file in #general as the admin; returns its upload id. */
  upload(bytes: Buffer): string {
    const message = this.host.uploadFile(this.host.admin, this.host.general, { name: 'bench.bin', bytes });
    return String(message.file?._id);
  }

  stop(): Promise<void> {
    return this.host.stop();
  }
}
