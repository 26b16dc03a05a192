import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startHost, type WorkspaceHost } from '../host';
import { MemoryWatch, type PeakMemory } from './memory';

export const TRANSFER_ZIP = path.resolve(__dirname, '../../dist/transfer.zip');

/** One bare move of the bytes through the engine, from the command to the app saying it is done. */
export interface TransferRun {
  totalMs: number;
  /** The app's own timings (Deno's clock): put → read, post; get → fetch, upload. */
  steps: Record<string, number>;
  memory: PeakMemory;
}

/** A loopback HTTP peer: swallows POST bodies (answers their length) and serves `source` to GETs. */
class LoopbackPeer {
  source: Buffer = Buffer.alloc(0);
  received = 0;
  private readonly server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      let n = 0;
      req.on('data', (chunk: Buffer) => (n += chunk.length));
      req.on('end', () => {
        this.received = n;
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(String(n));
      });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': this.source.length });
    res.end(this.source);
  });

  async listen(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }
}

/** The transfer fixture app installed in its own host (one AppManager per process), with a loopback peer. */
export class TransferBench {
  private constructor(
    readonly host: WorkspaceHost,
    private readonly peer: LoopbackPeer,
    private readonly url: string,
  ) {}

  static async start(): Promise<TransferBench> {
    const peer = new LoopbackPeer();
    const url = await peer.listen();
    try {
      const host = await startHost({ appZip: TRANSFER_ZIP, expect: { slashCommands: ['xfer'] } });
      return new TransferBench(host, peer, url);
    } catch (e) {
      await peer.close();
      throw e;
    }
  }

  private async run(command: string): Promise<TransferRun> {
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
          .find((m) => /^xfer (done|failed)/.test(m.text ?? '')),
      300_000,
    );
    const memory = watch.stop();
    const text = done.text ?? '';
    assert.ok(text.startsWith('xfer done'), text);
    const steps = Object.fromEntries([...text.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
    return { totalMs: new Date(done.createdAt ?? Date.now()).getTime() - t0, steps, memory };
  }

  /** `getBufferById` of a file of these bytes + one POST of them to the loopback sink. */
  async put(fileId: string, size: number): Promise<TransferRun> {
    const run = await this.run(`/xfer put ${fileId} ${this.url}/sink`);
    assert.equal(this.peer.received, size, 'the sink received the whole body');
    return run;
  }

  /** One binary GET of `bytes` from the loopback source + `uploadBuffer` into #general. */
  async get(bytes: Buffer): Promise<TransferRun> {
    this.peer.source = bytes;
    const before = this.host.uploads().length;
    const run = await this.run(`/xfer get ${this.url}/source`);
    assert.equal(this.host.uploads()[before]?.size, bytes.length, 'the whole file was uploaded');
    return run;
  }

  /** Shares a file in #general as the admin; returns its upload id. */
  upload(bytes: Buffer): string {
    const message = this.host.uploadFile(this.host.admin, this.host.general, { name: 'bench.bin', bytes });
    return String(message.file?._id);
  }

  async stop(): Promise<void> {
    try {
      await this.host.stop();
    } finally {
      await this.peer.close();
    }
  }
}
