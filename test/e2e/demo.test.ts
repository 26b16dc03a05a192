import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

const root = path.resolve(__dirname, '../..');
const TIMEOUT_MS = 120_000;
let tmp: string | undefined;

/** A fresh temporary directory and a freshly packaged app, once per file (@types/node 16 has no before()). */
function prepare(): string {
  if (!tmp) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ipfs-playground-test-'));
    process.once('exit', () => fs.rmSync(tmp!, { recursive: true, force: true }));
    execFileSync(process.execPath, ['scripts/package.mjs'], { cwd: root, env: childEnv(), stdio: 'ignore' });
  }
  return tmp;
}

/** The children run like `npm start`/`npm run demo` do: NODE_ENV unset (or the engine skips permission checks). */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_ENV;
  return env;
}

/** Spawns `node --import tsx <script> --ipfs-repo … --downloads …` in fresh temporary directories. */
function run(script: string, name: string) {
  const tmp = prepare();
  const downloads = path.join(tmp, `${name}-downloads`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, '--ipfs-repo', path.join(tmp, `${name}-ipfs`), '--downloads', downloads],
    { cwd: root, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const killer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS - 5000);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve(code);
    }),
  );
  const waitForOutput = async (pattern: RegExp, ms = 60_000): Promise<RegExpExecArray> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(out);
      if (m) return m;
      if (Date.now() > deadline || child.exitCode !== null) assert.fail(`no ${pattern} in the output:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, downloads, output: () => out, waitForOutput };
}

describe('npm start / npm run demo (packaged app, real engine, local IPFS node)', () => {
  test(
    'the demo walks through store → directory → get by key → share, expiry → get with the password → archive mode, exit 0',
    { timeout: TIMEOUT_MS },
    async () => {
      const demo = run('dev/playground/demo.ts', 'demo');
      demo.child.stdin.end();
      const code = await demo.exited;
      const out = demo.output();
      assert.equal(code, 0, out);
      assert.match(out, /put modal answer \(demo-data\.bin\): \d+ ms/);
      assert.match(out, /until stored \(demo-data\.bin\): \d+ ms/);
      assert.match(out, /CID: baf[a-z2-7]+/);
      assert.match(out, /┏━ Your files on IPFS ━ contextual bar/);
      assert.match(out, /✓ both files are listed with their CIDs/);
      assert.match(out, /🔑 .*you hold its key/);
      assert.match(out, /until delivered \(alice, demo-data\.bin\): \d+ ms/);
      assert.match(out, /✓ demo-data\.bin came back byte-identical/);
      assert.match(out, /shared with @bob until/);
      assert.match(out, /✓ demo-data\.bin came back to bob byte-identical/);
      assert.match(out, /Your access to `demo-data\.bin` ended/);
      assert.match(out, /✓ bob is refused: his access ended/);
      assert.match(out, /⚠ Wrong password for this file\./);
      assert.match(out, /wrong-password answer: \d+ ms/);
      assert.match(out, /✓ demo-notes\.txt came back byte-identical/);
      assert.match(out, /┌─ Archive this room's uploads ─ modal/);
      assert.match(out, /✓ alice is told that archiving is on/);
      assert.match(out, /IPreFileUpload hook: \d+ ms/);
      assert.match(out, /archived CID: baf[a-z2-7]+/);
      assert.match(out, /✓ members see it archived: a thread reply on the file with the CID/);
      assert.match(out, /Archived: 1 · pending: 0 · not archived: 0/);
      assert.match(out, /✓ the opener wrote demo-archive\.bin, byte-identical/);
      assert.match(out, /✓ demo-archive\.bin came back to bob byte-identical/);
      assert.match(out, /demo: every step held ✓/);
      assert.doesNotMatch(out, /✗/);
      assert.deepEqual(fs.readdirSync(demo.downloads).sort(), [
        'demo-archive.bin',
        'demo-data (1).bin',
        'demo-data.bin',
        'demo-notes.txt',
      ]);
    },
  );

  test(
    'the playground takes piped commands: upload, /ipfs put with its form, get by name, the directory bar, archive, quit',
    { timeout: TIMEOUT_MS },
    async () => {
      const known = path.join(prepare(), 'known.txt');
      fs.writeFileSync(known, 'the playground stores me\n'.repeat(100));
      const pg = run('dev/playground/main.ts', 'playground');
      const send = (...lines: string[]) => pg.child.stdin.write(`${lines.join('\n')}\n`);
      // the form: a too-short password is answered in the modal and asked again
      send('upload --random 1MB noise.bin', `upload ${known}`, '/ipfs put', '1', 'short', 'short');
      send('', 'playground password', 'playground password', 'wait CID: 60', 'messages');
      const [, cid] = await pg.waitForOutput(/only alice\) ✅ `known\.txt` .*\n\s*CID: `([^`]+)`/);
      send('/ipfs get known.txt', 'wait saved known.txt 60', 'dm');
      send('/ipfs list', 'menu 1 history', 'back', 'search nothing-like-it', 'close', 'clock +2h');
      // archive mode: alice owns #general; the form asks for the archive password twice
      send('/ipfs archive on', 'archive pass 2026', 'archive pass 2026', 'upload --random 1MB kept.bin');
      send('wait is archived on IPFS 60', '/ipfs archive status', 'help', 'quit');
      pg.child.stdin.end();
      const code = await pg.exited;
      const out = pg.output();
      assert.equal(code, 0, out);
      assert.match(out, /Files the app sends you are written to /);
      assert.match(out, /uploaded noise\.bin \(1\.0 MiB\)/);
      assert.match(out, /┌─ Store a file on IPFS/);
      assert.match(out, /1\) known\.txt · 2\.4 KiB · @alice/);
      assert.match(out, /⚠ .*8/, 'the too-short password error is shown next to its field');
      assert.match(out, /→ submitted; the app answered in \d+ ms, modal closed/);
      assert.match(out, /only alice\) 🔑 .*you hold its key/);
      assert.doesNotMatch(out, /┌─ Get a file from IPFS/, 'no password modal for the owner');
      assert.match(out, /⬇ saved known\.txt \(2\.4 KiB\) → /);
      assert.match(out, /┏━ Your files on IPFS ━ contextual bar/);
      assert.match(
        out,
        new RegExp(`1\\) \`known\\.txt\` · 1 version\\(s\\)[^]*${cid}[^]*⋯ menu 1 <get\\|share\\|history\\|remove>`),
      );
      assert.match(out, /┏━ Versions of known\.txt ━ contextual bar[^]*\[Back to the list\] → back/);
      assert.match(out, /No file name contains `nothing-like-it`/);
      assert.match(out, /\(close answered in \d+ ms\)/);
      assert.match(out, /clock moved 2h ahead/);
      assert.match(out, /menu <n> <get\|share\|history\|remove>/, 'help tells about the bar');
      assert.match(out, /┌─ Archive this room's uploads/);
      assert.match(out, /Archiving is on/);
      assert.match(out, /uploaded kept\.bin \(1\.0 MiB\) as message ‹[^›]+› \(upload hook: \d+ ms\)/);
      assert.match(out, /kept\.bin.* is archived on IPFS\. CID: `baf[a-z2-7]+`/);
      assert.match(out, /Archived: 1 · pending: 0 · not archived: 0/);
      assert.match(out, /\/ipfs archive on\|off\|status/, 'help tells about archiving');
      assert.doesNotMatch(out, /^error: /m);
      assert.match(out, /stopped\./);
      assert.deepEqual(fs.readFileSync(path.join(pg.downloads, 'known.txt')), fs.readFileSync(known));
    },
  );
});
