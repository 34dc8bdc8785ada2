/**
 * ELFF `date` and `time` parsed to integers, by both kernels with the same rules
 * (native/elff_scan.cc: ParseElffDate, ParseElffTime).
 */
import { NO_ID } from '../../native/types.js';

/** Dates are days since 1970-01-01 plus this bias, so they stay unsigned 32-bit. */
export const DAY_BIAS = 1 << 20;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** `YYYY-MM-DD` (a real calendar date) → days since 1970-01-01 + DAY_BIAS, else NO_ID. */
export function parseElffDate(s: string): number {
  if (s.length !== 10 || s[4] !== '-' || s[7] !== '-') return NO_ID;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1) return NO_ID;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > DAYS_IN_MONTH[m - 1]! + (m === 2 && leap ? 1 : 0)) return NO_ID;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return Math.round(date.getTime() / 86_400_000) + DAY_BIAS;
}

/**
 * `HH:MM:SS` (hour <= 23, minute <= 59, second <= 60) → seconds since midnight, else NO_ID. A
 * leap second (:60) counts as :59, in the minute, hour and day it is written in.
 */
export function parseElffTime(s: string): number {
  if (s.length !== 8 || s[2] !== ':' || s[5] !== ':') return NO_ID;
  const h = digits(s, 0, 2);
  const m = digits(s, 3, 2);
  const sec = digits(s, 6, 2);
  if (h < 0 || m < 0 || sec < 0 || h > 23 || m > 59 || sec > 60) return NO_ID;
  return h * 3600 + m * 60 + Math.min(sec, 59);
}
