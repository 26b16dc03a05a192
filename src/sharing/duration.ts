import { InvalidDurationError } from './errors';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** A share lasts at least a minute and at most a year. */
const MAX_MS = 365 * UNIT_MS.d;

export const DEFAULT_SHARE_DURATION = '24h';

/** Reads "30m", "1h", "24h", "7d", "2w" into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,4})([mhdw])$/i.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2].toLowerCase()] : NaN;
  if (!Number.isFinite(ms) || ms < UNIT_MS.m || ms > MAX_MS) {
    throw new InvalidDurationError(text);
  }
  return ms;
}
