/** The opener's pieces that need no node: safe names, never overwriting, the command line, the hidden prompt. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';

import { parseArgs, UsageError, type OpenerOptions } from '../../src/opener/args';
import { FALLBACK_NAME, publishFile, quoteForTerminal, safeFileName } from '../../src/opener/fileName';
import { promptPassword, readFileKeyFile, readPasswordFile, SecretInputError } from '../../src/opener/secrets';

describe('safeFileName: a stored name is untrusted', () => {
  const cases: Array<[string, string]> = [
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['..\\..\\Windows\\win.ini', '_.._Windows_win.ini'],
    ['/abs/path.txt', '_abs_path.txt'],
    ['.bashrc', 'bashrc'],
    ['...', FALLBACK_NAME],
    ['', FALLBACK_NAME],
    ['\ufeffbom.txt', 'bom.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['a\u2066b\u2069c\u200Bd.txt', 'abcd.txt'],
    ['line\nbreak\r\t\u0007\u001b[31m.txt', 'linebreak[31m.txt'],
    ['\u0085next\u2028line.txt', 'nextline.txt'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['com1.log', '_com1.log'],
    ['console.txt', 'console.txt'],
    ['what?<>:"|*.txt', 'what_______.txt'],
    ['trailing dots. . .', 'trailing dots'],
    ['  spaced  ', 'spaced'],
    ['Ma\u0301laga.txt', 'M\u00e1laga.txt'],
  ];
  for (const [stored, safe] of cases) {
    test(`${JSON.stringify(stored)} → ${JSON.stringify(safe)}`, () => assert.equal(safeFileName(stored), safe));
  }

  test('a long name is cut to 240 UTF-8 bytes on a character boundary, keeping its extension', () => {
    const safe = safeFileName('é'.repeat(600) + '.tar.gz');
    assert.ok(Buffer.byteLength(safe) <= 240);
    assert.ok(safe.endsWith('é.gz'), safe);
    assert.ok(!safe.includes('\ufffd'));
  });

  test('quoteForTerminal shows invisible and controlling characters as escapes', () => {
    assert.equal(quoteForTerminal('a\u202Eb\u001b[2J"\\'), '"a\\u{202e}b\\u{1b}[2J\\"\\\\"');
  });
});

describe('publishFile never overwrites', () => {
  test('a taken name gets " (1)", " (2)" before the extension, and the first file is untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opener-publish-'));
    try {
      writeFileSync(join(dir, 'a.txt'), 'original');
      writeFileSync(join(dir, 'a (1).txt'), 'also taken');
      writeFileSync(join(dir, 'tmp'), 'new');
      assert.equal(await publishFile(join(dir, 'tmp'), dir, 'a.txt'), 'a (2).txt');
      assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'original');
      assert.equal(readFileSync(join(dir, 'a (2).txt'), 'utf8'), 'new');
      assert.deepEqual(readdirSync(dir).sort(), ['a (1).txt', 'a (2).txt', 'a.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the command line', () => {
  const parse = (argv: string[], env: Record<string, string> = {}) => parseArgs(argv, env) as OpenerOptions;
  test('a CID alone reads from the local Kubo API into the current folder', () => {
    const o = parse(['bafyx']);
    assert.deepEqual(
      [o.cid, o.source, o.outDir, o.timeoutMs],
      ['bafyx', { kind: 'kubo', url: 'http://127.0.0.1:5001' }, '.', 60000],
    );
  });
  test('"open", --gateway=, -o and the environment', () => {
    const o = parse(['open', 'bafyx', '--gateway=https://gw.example', '-o', 'out', '--timeout', '2.5']);
    assert.deepEqual(
      [o.cid, o.source.kind, o.source.url, o.outDir, o.timeoutMs],
      ['bafyx', 'gateway', 'https://gw.example', 'out', 2500],
    );
    assert.equal(parse(['bafyx'], { IPFS_GATEWAY: 'https://g' }).source.kind, 'gateway');
  });
  const refused: Array<[string[], string]> = [
    [[], 'opener_missing_cid'],
    [['a', 'b'], 'opener_extra_argument'],
    [['a', '--pasword-file', 'x'], 'opener_unknown_option'],
    [['a', '--password-file'], 'opener_missing_value'],
    [['a', '--api', 'x', '--gateway', 'y'], 'opener_one_source'],
    [['a', '--password-file', 'x', '--file-key-file', 'y'], 'opener_one_secret'],
    [['a', '--timeout', '-1'], 'opener_bad_value'],
  ];
  for (const [argv, key] of refused) {
    test(`${JSON.stringify(argv)} → ${key}`, () =>
      assert.throws(
        () => parseArgs(argv, {}),
        (err: unknown) => err instanceof UsageError && err.key === key,
      ));
  }
});

/** A terminal-like input: records raw mode, lets the test type. */
function fakeTty() {
  const input = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
  const modes: boolean[] = [];
  Object.assign(input, { isTTY: true, setRawMode: (on: boolean) => (modes.push(on), input) });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  return { input, output, modes, shown: () => shown };
}

describe('secrets', () => {
  test('the prompt reads in raw mode and shows nothing of what is typed; backspace deletes', async () => {
    const tty = fakeTty();
    const answer = promptPassword('Password: ', tty);
    tty.input.write('sécret');
    tty.input.write('x\u007f 1\r');
    assert.equal(await answer, 'sécret 1');
    assert.equal(tty.shown(), 'Password: \n');
    assert.deepEqual(tty.modes, [true, false]);
  });
  test('Ctrl-C cancels; no terminal is refused at once', async () => {
    const tty = fakeTty();
    const answer = promptPassword('P: ', tty);
    tty.input.write('ab\u0003');
    await assert.rejects(
      answer,
      (err: unknown) => err instanceof SecretInputError && err.reason === 'opener_prompt_cancelled',
    );
    const notTty = { input: new PassThrough() as unknown as NodeJS.ReadStream, output: new PassThrough() };
    await assert.rejects(
      promptPassword('P: ', notTty),
      (err: unknown) => err instanceof SecretInputError && err.reason === 'opener_no_tty',
    );
  });
  test('a password file loses one final line break only; a key file takes hex or base64 of 32 bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opener-secrets-'));
    try {
      writeFileSync(join(dir, 'pw'), 'pass word  \n');
      assert.equal(await readPasswordFile(join(dir, 'pw')), 'pass word  ');
      const key = Buffer.alloc(32, 7);
      writeFileSync(join(dir, 'hex'), `${key.toString('hex')}\n`);
      writeFileSync(join(dir, 'b64'), key.toString('base64'));
      writeFileSync(join(dir, 'short'), key.subarray(1).toString('hex'));
      assert.deepEqual(Buffer.from(await readFileKeyFile(join(dir, 'hex'))), key);
      assert.deepEqual(Buffer.from(await readFileKeyFile(join(dir, 'b64'))), key);
      await assert.rejects(readFileKeyFile(join(dir, 'short')), SecretInputError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
