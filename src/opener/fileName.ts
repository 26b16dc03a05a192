/**
 * Turning a decrypted file name into a path we may write. The name comes from inside the object, so whoever
 * made the object chose it: it must not climb out of the output folder, hide itself, pose as a device, or
 * reorder what a terminal shows. And an existing file is never overwritten: a free name gets " (1)", " (2)"….
 */
import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';

/** Name used when nothing of the stored name survives. */
export const FALLBACK_NAME = 'ipfs-file';
/** Longest name written, in UTF-8 bytes: 255 is the common filesystem limit, the rest leaves room for " (n)". */
export const MAX_SAFE_NAME_BYTES = 240;
/** Longest extension kept whole when a long name is shortened. */
const MAX_EXTENSION_BYTES = 16;
/** Names Windows keeps for devices, with or without an extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/** The longest prefix of `s` (whole code points) that fits in `maxBytes` of UTF-8. */
function cutToBytes(s: string, maxBytes: number): string {
  let out = '';
  for (const ch of s) {
    if (utf8Length(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

/**
 * A name safe to use as ONE path component on Linux, macOS and Windows, as close to `name` as that allows.
 *
 * Rules, in order: Unicode NFC; path separators `/` `\` and the characters Windows forbids (`<>:"|?*`) become
 * `_`; control characters (C0, DEL, C1), format characters (bidi overrides and isolates, zero-width marks,
 * U+FEFF) and line/paragraph separators are removed; leading dots and spaces go (no hidden files, no `.`/`..`),
 * and so do trailing dots and spaces (Windows drops them); a Windows device name (`CON`, `nul.txt`, `COM1`…) gets
 * a leading `_`; the result is cut to {@link MAX_SAFE_NAME_BYTES} UTF-8 bytes keeping a short extension; an
 * empty result becomes {@link FALLBACK_NAME}.
 */
export function safeFileName(name: string): string {
  let s = name.normalize('NFC');
  s = s.replace(/[/\\<>:"|?*]/g, '_');
  s = s.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '');
  s = s.replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '');
  if (WINDOWS_DEVICE.test(s)) s = `_${s}`;
  if (utf8Length(s) > MAX_SAFE_NAME_BYTES) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && utf8Length(s.slice(dot)) <= MAX_EXTENSION_BYTES ? s.slice(dot) : '';
    s = cutToBytes(s.slice(0, s.length - ext.length), MAX_SAFE_NAME_BYTES - utf8Length(ext)).trimEnd() + ext;
  }
  return s || FALLBACK_NAME;
}

/** `name` with " (n)" before its extension: `report.csv` → `report (1).csv`; `.csv`-only names keep it whole. */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/** How many numbered names are tried before giving up. */
const MAX_TRIES = 1000;

/** Errors of `link(2)` meaning "this filesystem has no hard links", not "the name is taken". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Gives the finished file at `tempPath` its final name in `dir`: the first free of `name` (made safe),
 * `name (1)`, `name (2)`…, never replacing a file that exists. A hard link claims the name atomically; where the
 * filesystem has none, the name is created exclusively (O_EXCL) and the file renamed onto it.
 *
 * @returns the name the file got
 * @throws the filesystem's error, or after {@link MAX_TRIES} taken names
 */
export async function publishFile(tempPath: string, dir: string, name: string): Promise<string> {
  const safe = safeFileName(name);
  let useLinks = true;
  for (let n = 0; n < MAX_TRIES; n++) {
    const candidate = numberedName(safe, n);
    const target = join(dir, candidate);
    try {
      if (useLinks) {
        await fs.link(tempPath, target);
        await fs.unlink(tempPath);
      } else {
        const handle = await fs.open(target, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
        await handle.close();
        await fs.rename(tempPath, target);
      }
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (useLinks && NO_HARD_LINKS.has(code)) {
        useLinks = false;
        n--;
        continue;
      }
      if (code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`no free name for ${safe} in ${dir}`);
}

/**
 * `text` quoted for a terminal: control, format (bidi, zero-width, U+FEFF) and separator characters are shown
 * as `\u{…}` escapes, so a stored name cannot move the cursor, recolour the screen or reorder what is shown.
 */
export function quoteForTerminal(text: string): string {
  const escaped = text.replace(/[\\"]/g, (ch) => `\\${ch}`);
  return `"${escaped.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`)}"`;
}
