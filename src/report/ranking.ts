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
