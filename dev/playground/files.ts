import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, kib: 1024, m: 1 << 20, mb: 1 << 20, mib: 1 << 20 };
UNITS.g = UNITS.gb = UNITS.gib = 1 << 30;

/** "5MB", "512k", "1.5MiB", "100" → bytes (binary units: 1 MB = 1 MiB here). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m && UNITS[(m[2] || 'b').toLowerCase()];
  if (!m || !unit) throw new Error(`not a size: ${text} (try 5MB, 512KB or 100)`);
  return Math.round(Number(m[1]) * unit);
}

/** A file to share in chat: its name and bytes. */
export interface LocalFile {
  readonly name: string;
  readonly bytes: Buffer;
}

/** `upload <path>` or `upload --random <size> [name]`. */
export function fileFromArgs(args: string[]): LocalFile {
  if (args[0] === '--random') {
    if (!args[1]) throw new Error('usage: upload --random <size> [name]');
    const size = parseSize(args[1]);
    return { name: args[2] ?? `random-${args[1]}.bin`, bytes: randomBytes(size) };
  }
  const file = args.join(' ');
  if (!file) throw new Error('usage: upload <path> | upload --random <size> [name]');
  return { name: path.basename(file), bytes: fs.readFileSync(file) };
}

/** A readable text file of about `lines` lines, for demos. */
export function sampleText(lines = 40): string {
  const out = ['IPFS Storage demo file', `written ${new Date().toISOString()}`, ''];
  for (let i = 1; i <= lines; i++) out.push(`Line ${i}: the quick brown fox jumps over the lazy dog.`);
  return `${out.join('\n')}\n`;
}
