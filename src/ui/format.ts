/** Human sizes with binary units, e.g. 1.5 MiB; the unit symbols are the same in every language we speak. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** A date as YYYY-MM-DD HH:MM UTC: unambiguous in every language. */
export function formatDate(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Longest user text shown in a message; longer text ends in "…". */
export const SHOWN_TEXT_MAX = 200;

/** Line breaks, other control characters and bidirectional overrides: never shown as they are. */
const UNSHOWABLE = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gu;

/**
 * Shows text a user controls (a file name, a typed duration, a search) literally in a Rocket.Chat markdown
 * message: as an inline code span, the one construct inside which Rocket.Chat's message parser reads no
 * markup at all (no emphasis, links, mentions, emoji or timestamps). A backtick, which would end the span,
 * becomes the look-alike "ˋ"; line breaks, control characters and direction overrides become one space; text
 * longer than {@link SHOWN_TEXT_MAX} characters is cut. Every message that echoes such text goes through here.
 * Plain-text surfaces (modal titles, select options) show text as it is and need none of this.
 */
export function markdownLiteral(text: string): string {
  const clean = text.replace(UNSHOWABLE, ' ').replace(/`/g, 'ˋ');
  const chars = Array.from(clean);
  const shown = chars.length > SHOWN_TEXT_MAX ? `${chars.slice(0, SHOWN_TEXT_MAX - 1).join('')}…` : clean;
  return shown.length > 0 ? `\`${shown}\`` : '“”';
}
