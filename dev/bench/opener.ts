/**
 * How the command-line opener does on a big file: the app's own code encrypts N MiB (default 1024) with the
 * default scrypt setting and stores it in a fresh local IPFS node as the app does (1 MiB raw leaves); then the
 * bundled opener (dist/ipfs-open.mjs, plain `node`) fetches, verifies, decrypts and writes it, under
 * `/usr/bin/time` for its peak resident memory. The output's SHA-256 must equal the input's.
 *
 * Usage: node --import tsx dev/bench/opener.ts [--mib 1024] [--logn 17] [--gateway]   (npm run bench:opener -- --mib 256)
 */
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { beginEncryption, DEFAULT_KDF } from '../../src/crypto';
import { DagUploader } from '../../src/ipfs/DagUploader';
import { KuboRpcClient } from '../../src/ipfs/KuboRpcClient';
import { startGatewayFake } from '../../test/support/gatewayFake';
import { startIpfsNode } from '../../test/support/ipfsNode';
import { NodeHttpAccessor } from '../host/http/rocketChatHttp';

const ROOT = path.resolve(__dirname, '..', '..');
const MiB = 1048576;
const PASSWORD = 'bench password';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Deterministic incompressible content, one MiB at a time (AES-CTR keystream of a fixed key). */
function* content(mib: number): Generator<Buffer> {
  const cipher = crypto.createCipheriv('aes-128-ctr', Buffer.alloc(16, 1), Buffer.alloc(16, 2));
  const zeros = Buffer.alloc(MiB);
  for (let i = 0; i < mib; i++) yield cipher.update(zeros);
}

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function main(): Promise<void> {
  const mib = option('--mib', 1024);
  const viaGateway = process.argv.includes('--gateway');
  const kdf = { ...DEFAULT_KDF, logN: option('--logn', DEFAULT_KDF.logN) };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opener-bench-'));
  const opener = path.join(work, 'ipfs-open.mjs');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-opener.mjs'), '--out', opener], { stdio: 'ignore' });
  fs.writeFileSync(path.join(work, 'password'), PASSWORD);
  const node = await startIpfsNode();
  try {
    const client = new KuboRpcClient(new NodeHttpAccessor(), {
      apiUrl: node.apiUrl,
      auth: { kind: 'none' },
      timeoutMs: 120_000,
    });
    const t0 = performance.now();
    const size = mib * MiB;
    const { header, encryptor } = beginEncryption(
      { name: 'bench.bin', mediaType: 'application/octet-stream', size },
      PASSWORD,
    );
    const uploader = new DagUploader(client);
    const inputHash = crypto.createHash('sha256');
    await uploader.write(header);
    for (const piece of content(mib)) {
      inputHash.update(piece);
      await uploader.write(encryptor.push(piece));
    }
    await uploader.write(encryptor.finish());
    const cid = await uploader.finish();
    const stored = performance.now() - t0;
    console.log(
      `stored ${mib} MiB as ${cid} in ${(stored / 1000).toFixed(1)} s (scrypt logN ${kdf.logN}, r ${kdf.r}, p ${kdf.p})`,
    );

    if (process.argv.includes('--keep')) {
      console.log(`kept: node dist/ipfs-open.mjs ${cid} --api ${node.apiUrl} --password-file ${work}/password`);
      await new Promise(() => undefined); // until killed
    }
    const gateway = viaGateway ? await startGatewayFake(node.apiUrl) : undefined;
    const source = gateway ? ['--gateway', gateway.url] : ['--api', node.apiUrl];
    const out = path.join(work, 'out');
    fs.mkdirSync(out);
    const args = ['-f', '%M %e %U %S', process.execPath, opener, cid, ...source];
    const result = await run('/usr/bin/time', [
      ...args,
      '--password-file',
      path.join(work, 'password'),
      '-o',
      out,
      '-q',
    ]);
    await gateway?.close();
    if (result.code !== 0) throw new Error(`opener failed (${result.code}): ${result.stderr}`);
    const [maxRssKiB, elapsed, user, sys] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    const outputHash = crypto.createHash('sha256');
    for await (const piece of fs.createReadStream(path.join(out, 'bench.bin'))) outputHash.update(piece as Buffer);
    const same = outputHash.digest('hex') === inputHash.digest('hex');
    console.log(
      `opened via ${gateway ? 'gateway' : 'Kubo RPC'}: ${elapsed.toFixed(1)} s wall (${user.toFixed(1)} s user, ` +
        `${sys.toFixed(1)} s sys), ${(size / MiB / elapsed).toFixed(1)} MiB/s, peak RSS ${(maxRssKiB / 1024).toFixed(0)} MiB, ` +
        `output ${same ? 'identical' : 'DIFFERENT'}; node ${process.version}, ${os.cpus().length} cores`,
    );
    if (!same) process.exitCode = 1;
  } finally {
    await node.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main();
