/**
 * Where the opener's secret comes from: a password typed at a hidden prompt (nothing echoed, nothing kept in
 * shell history), a password file, or a file key file. Never from the command line, where `ps` shows it.
 */
import { promises as fs } from 'node:fs';

/** The opener cannot get a secret the way it was asked to; `reason` is an i18n key of the opener. */
export class SecretInputError extends Error {
  constructor(
    public readonly reason: 'opener_no_tty' | 'opener_prompt_cancelled' | 'opener_bad_file_key',
    message: string,
  ) {
    super(message);
    this.name = 'SecretInputError';
  }
}

/**
 * The password in `path`: its UTF-8 text without ONE final line break (what `echo pw > file` adds), so a password
 * may still end in spaces.
 */
export async function readPasswordFile(path: string): Promise<string> {
  const text = await fs.readFile(path, 'utf8');
  return text.replace(/\r?\n$/, '');
}

/**
 * A 32-byte file key from `path`: 64 hex digits or 44 base64 characters, surrounding whitespace ignored.
 * @throws {SecretInputError} for anything else
 */
export async function readFileKeyFile(path: string): Promise<Uint8Array> {
  const text = (await fs.readFile(path, 'utf8')).trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) key = Buffer.from(text, 'base64');
  if (!key || key.length !== 32) throw new SecretInputError('opener_bad_file_key', 'file key is not 32 bytes');
  return new Uint8Array(key);
}

/** The streams a prompt talks through (process.stdin / process.stderr, or fakes in tests). */
export interface PromptIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WritableStream;
}

/**
 * Asks for a password on the terminal with echo off (raw mode: each key is read here, none is shown). Enter
 * ends it, Backspace deletes, Ctrl-C or Ctrl-D on an empty line cancels.
 *
 * @throws {SecretInputError} `opener_no_tty` if input is not a terminal, `opener_prompt_cancelled` on Ctrl-C/D
 */
export function promptPassword(prompt: string, io: PromptIo): Promise<string> {
  const { input, output } = io;
  if (!input.isTTY || typeof input.setRawMode !== 'function') {
    return Promise.reject(new SecretInputError('opener_no_tty', 'standard input is not a terminal'));
  }
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  let typed = '';
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: SecretInputError) => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && typed === '')) {
          return finish(new SecretInputError('opener_prompt_cancelled', 'cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}
