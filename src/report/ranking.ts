import { compareKeys } from '../aggregate/counter.js';
import { displayText } from './text-safety.js';

/**
 * The rows of a report's `{ key: n }` tables in the order the model ranks them: count
 * descending, then key ascending. Read back from an object, keys that look like array indices
 * ("128", "256", "2") would otherwise come first, in numeric order, whatever their counts.
 * The [key, count] pairs are the rows of those tables in every renderer.
 */

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function rankedEntries(counts: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || byKey(a[0], b[0]));
}

/** The same for rows ranked by their request count (the category table). */
export function rankedByRequests<T extends { requests: number }>(rows: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(rows).sort((a, b) => b[1].requests - a[1].requests || byKey(a[0], b[0]));
}

/**
 * Rows by the display text of their keys: two byte strings that read alike (UTF-8 "é" and
 * Latin-1 "é") are one row, their values combined by `add`. Each row keeps the least of its
 * raw keys (by bytes), which ranks ties as the raw keys would.
 */
export function groupByDisplay<T>(rows: Iterable<readonly [string, T]>, add: (into: T, more: T) => T): Map<string, { raw: string; value: T }> {
  const out = new Map<string, { raw: string; value: T }>();
  for (const [raw, value] of rows) {
    const text = displayText(raw);
    const row = out.get(text);
    if (row === undefined) {
      out.set(text, { raw, value });
    } else {
      row.value = add(row.value, value);
      if (compareKeys(raw, row.raw) < 0) row.raw = raw;
    }
  }
  return out;
}

/** Rows grouped by display text (groupByDisplay), ranked by each of `counts` desc in turn, then by raw key. */
export function rankRows<T>(rows: Iterable<readonly [string, T]>, add: (into: T, more: T) => T, ...counts: ((value: T) => number)[]): [string, T][] {
  const order = (a: { raw: string; value: T }, b: { raw: string; value: T }): number => {
    for (const count of counts) {
      const by = count(b.value) - count(a.value);
      if (by !== 0) return by;
    }
    return compareKeys(a.raw, b.raw);
  };
  return [...groupByDisplay(rows, add)].sort((a, b) => order(a[1], b[1])).map(([text, { value }]) => [text, value]);
}

/** [display text, count] pairs, counts of keys that read alike added, ranked by count desc, then key. */
export function rankedByDisplay(rows: Iterable<readonly [string, number]>): [string, number][] {
  return rankRows(rows, (a, b) => a + b, (n) => n);
}
