/**
 * `ipfs-open <CID>`: fetches an object stored by IPFS Storage for Rocket.Chat from a Kubo node or any trustless
 * gateway, verifies every block against its CID, decrypts it with the password (asked at a hidden prompt) and
 * writes the file under a safe name. Needs nothing but Node ≥ 20; bundled into dist/ipfs-open.mjs.
 */
import { constants, promises as fs } from 'node:fs';

import { readDag } from '../ipfs/DagReader';
import { parseArgs, UsageError, type OpenerOptions } from './args';
import { HttpBlockSource } from './blockSource';
import { quoteForTerminal, safeFileName } from './fileName';
import { describeFailure, formatBytes, languageFrom, render } from './messages';
import { openObject, type OpenSecret } from './openObject';
import { promptPassword, readFileKeyFile, readPasswordFile } from './secrets';

/** Replaced by the bundler with the package version; "dev" when run from source. */
declare const OPENER_VERSION: string | undefined;

/** Exit statuses: done, failed, bad command line. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The process's streams and environment (injectable for tests). */
export interface OpenerIo {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
}

async function secretFor(options: OpenerOptions, io: OpenerIo, prompt: string): Promise<OpenSecret> {
  if (options.fileKeyFile) return { fileKey: await readFileKeyFile(options.fileKeyFile) };
  if (options.passwordFile) return { password: await readPasswordFile(options.passwordFile) };
  return { password: await promptPassword(prompt, { input: io.stdin, output: io.stderr }) };
}

/** Shows progress on a terminal, at most every 200 ms. */
function progressPrinter(options: OpenerOptions, io: OpenerIo, line: (done: number, total: number) => string) {
  const tty = 'isTTY' in io.stderr && io.stderr.isTTY === true;
  if (options.quiet || !tty) return { update: () => undefined, end: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update: (done: number, total: number) => {
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      shown = true;
      io.stderr.write(`\r${line(done, total)}\u001b[K`);
    },
    end: () => {
      if (shown) io.stderr.write('\n');
    },
  };
}

/**
 * Runs the opener with `argv` (arguments after the script) and returns the exit status. Never throws: every
 * failure is told on stderr in the user's language.
 */
export async function runOpener(argv: readonly string[], io: OpenerIo): Promise<number> {
  let language = languageFrom(undefined, io.env);
  const say = (key: string, params: Record<string, string | number> = {}) => render(language, { key, params });
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv, io.env);
  } catch (err) {
    const said = err instanceof UsageError ? render(language, { key: err.key, params: err.params }) : String(err);
    io.stderr.write(`ipfs-open: ${said}\n${say('opener_usage')}\n`);
    return EXIT.usage;
  }
  if (parsed === 'help') {
    io.stdout.write(`${say('opener_usage')}\n\n${say('opener_help')}\n`);
    return EXIT.ok;
  }
  if (parsed === 'version') {
    io.stdout.write(`ipfs-open ${typeof OPENER_VERSION === 'string' ? OPENER_VERSION : 'dev'}\n`);
    return EXIT.ok;
  }
  const options = parsed;
  language = languageFrom(options.language, io.env);
  let url = options.source.url;
  try {
    const source = new HttpBlockSource({ ...options.source, timeoutMs: options.timeoutMs });
    url = source.describe();
    await fs.access(options.outDir, constants.W_OK);
    const progress = progressPrinter(options, io, (done, total) =>
      say('opener_progress', { done: formatBytes(done), total: formatBytes(total) }),
    );
    const opened = await openObject({
      pieces: readDag(source, options.cid),
      secret: () => secretFor(options, io, say('opener_prompt')),
      outDir: options.outDir,
      onProgress: progress.update,
    }).finally(progress.end);
    io.stdout.write(`${say('opener_saved', { path: opened.path, size: formatBytes(opened.metadata.size) })}\n`);
    if (safeFileName(opened.metadata.name) !== opened.metadata.name) {
      io.stdout.write(`${say('opener_renamed', { stored: quoteForTerminal(opened.metadata.name) })}\n`);
    }
    return EXIT.ok;
  } catch (err) {
    io.stderr.write(`ipfs-open: ${render(language, describeFailure(err, { cid: options.cid, url }))}\n`);
    return EXIT.failed;
  }
}
