/**
 * Splits one record's text at an order's literal separators, with the same rules as the pattern
 * kernels: the first separator opens the text, each middle one is its next occurrence, the last
 * one closes the text.
 */
export type OrderMatch = { values: string[] } | { error: 'garbage' | 'truncated' };

export function matchOrderText(text: string, literals: readonly string[]): OrderMatch {
  const first = literals[0]!;
  if (!text.startsWith(first)) return { error: 'garbage' };
  const n = literals.length - 1;
  const values: string[] = [];
  let at = first.length;
  for (let f = 0; f < n; f++) {
    const next = literals[f + 1]!;
    let end: number;
    if (f + 1 === n) {
      if (text.length - at < next.length || !text.endsWith(next)) return { error: f === 0 ? 'garbage' : 'truncated' };
      end = text.length - next.length;
    } else {
      end = text.indexOf(next, at);
      if (end < 0) return { error: f === 0 ? 'garbage' : 'truncated' };
    }
    values.push(text.slice(at, end));
    at = end + next.length;
  }
  if (n === 0 && at !== text.length) return { error: 'garbage' };
  return { values };
}
