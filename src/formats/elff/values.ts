/**
 * Normalisation rules of the contract, applied once per distinct raw value (never per record).
 * Values are latin1 strings: one char per byte, so ASCII-only case folding keeps other bytes as they are.
 */

/** ASCII lower-casing; bytes >= 0x80 are left untouched. */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** `x-rs-certificate-observed-errors` → error tokens: split on ';' and ',', trimmed, lower-cased, no '-'/'none'/empties. */
export function certErrorTokens(raw: string): string[] {
  const tokens: string[] = [];
  for (const part of raw.split(/[;,]/)) {
    const token = asciiLower(part.replace(/^ +| +$/g, ''));
    if (token === '' || token === '-' || token === 'none') continue;
    if (!tokens.includes(token)) tokens.push(token);
  }
  return tokens;
}

/** `cs-categories` → categories: split on ';', trimmed of spaces, empties dropped. */
export function categoryList(raw: string): string[] {
  const list: string[] = [];
  for (const part of raw.split(';')) {
    const category = part.replace(/^ +| +$/g, '');
    if (category !== '' && !list.includes(category)) list.push(category);
  }
  return list;
}

/** Threat risk as an integer 0–10, or -1 when it is not a number (`-`, `unavailable`). */
export function threatRiskLevel(raw: string): number {
  return /^\d{1,2}$/.test(raw) ? Number(raw) : -1;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})$/;

/** Days since 1970-01-01 of an ELFF `date`, or NaN. */
export function elffDay(raw: string): number {
  const m = DATE.exec(raw);
  if (!m) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) return NaN;
  return ms / 86_400_000;
}

/** Seconds since midnight of an ELFF `time` (UTC), or NaN. */
export function elffSeconds(raw: string): number {
  const m = TIME.exec(raw);
  if (!m) return NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = Number(m[3]);
  if (h > 23 || min > 59 || s > 60) return NaN;
  return h * 3600 + min * 60 + s;
}
