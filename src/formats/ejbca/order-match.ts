import { bytesAt, indexOfBytes } from '../../util/bytes.js';

/**
 * Splits one record's text (latin1 bytes) at an order's literal separators, with the same rules
 * as the pattern kernels: the first separator opens the text, each middle one is its next
 * occurrence, the last one closes the text. Field f is text[spans[2f], spans[2f + 1]).
 */
export function splitOrder(text: Buffer, literals: readonly Buffer[], spans: Int32Array): 'garbage' | 'truncated' | undefined {
  const first = literals[0]!;
  if (!bytesAt(text, 0, text.length, first)) return 'garbage';
  const n = literals.length - 1;
  let at = first.length;
  for (let f = 0; f < n; f++) {
    const next = literals[f + 1]!;
    let end: number;
    if (f + 1 === n) {
      end = text.length - next.length;
      if (end < at || !bytesAt(text, end, text.length, next)) return f === 0 ? 'garbage' : 'truncated';
    } else {
      end = indexOfBytes(text, next, at, text.length);
      if (end < 0) return f === 0 ? 'garbage' : 'truncated';
    }
    spans[2 * f] = at;
    spans[2 * f + 1] = end;
    at = end + next.length;
  }
  if (n === 0 && at !== text.length) return 'garbage';
  return undefined;
}
