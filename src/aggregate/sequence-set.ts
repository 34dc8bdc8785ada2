import { NumberSet } from './number-set.js';

/** The values of one group: runs of consecutive whole numbers, and the values that came late. */
interface Group {
  starts: number[];
  ends: number[];
  /** Values that arrived below the last run's end and outside every run. */
  late: NumberSet | undefined;
}

/**
 * A set of (group, value) pairs for values that mostly arrive in increasing order within their
 * group, like a responder's LOG_IDs within one SESSION_ID. In-order values only extend or append
 * runs (no hashing, no memory per value); the few out of order go to a hash set. Exact for any
 * input: an adversarial order costs a hash-set insert per value, not more.
 */
export class SequenceSet {
  private readonly groups = new Map<number, Group>();

  /** Adds the pair; returns false when it was already there. */
  add(group: number, value: number): boolean {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { starts: [], ends: [], late: undefined }));
    if (Number.isSafeInteger(value)) {
      const n = g.ends.length;
      // Late values all lie below the last end, which only grows: the cases above need no lookup.
      if (n > 0 && value === g.ends[n - 1]) {
        g.ends[n - 1] = value + 1;
        return true;
      }
      if (n === 0 || value > g.ends[n - 1]!) {
        g.starts.push(value);
        g.ends.push(value + 1);
        return true;
      }
      if (inRuns(g, value)) return false;
    }
    g.late ??= new NumberSet();
    return g.late.add(value);
  }

  has(group: number, value: number): boolean {
    const g = this.groups.get(group);
    if (!g) return false;
    return (Number.isSafeInteger(value) && inRuns(g, value)) || (g.late?.has(value) ?? false);
  }
}

/** Whether a run holds `value` (binary search over the runs, which are sorted and disjoint). */
function inRuns(g: Group, value: number): boolean {
  let lo = 0;
  let hi = g.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (g.ends[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo < g.starts.length && g.starts[lo]! <= value;
}
