/**
 * A mergeable counter keyed by string (a latin1 "byte string") or number. Keys from logs are
 * attacker-controlled, so this is a Map, never an object.
 */
export class Counter<K extends string | number = string> {
  readonly map = new Map<K, number>();

  add(key: K, n = 1): void {
    this.map.set(key, (this.map.get(key) ?? 0) + n);
  }

  get(key: K): number {
    return this.map.get(key) ?? 0;
  }

  get size(): number {
    return this.map.size;
  }

  merge(other: Counter<K>): this {
    if (this.map.size === 0) {
      // The first part merged into an empty total: its keys are distinct, nothing to add up.
      for (const [k, n] of other.map) this.map.set(k, n);
    } else {
      for (const [k, n] of other.map) this.add(k, n);
    }
    return this;
  }

  total(): number {
    let sum = 0;
    for (const n of this.map.values()) sum += n;
    return sum;
  }

  /** Entries in ascending key order (byte order for strings), so encodings are canonical. */
  sorted(): [K, number][] {
    return [...this.map.entries()].sort((a, b) => compareKeys(a[0], b[0]));
  }

  /** Entries by count descending, then key ascending. */
  ranked(): [K, number][] {
    return [...this.map.entries()].sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0]));
  }
}

/**
 * Counts of small whole-number keys (statuses, reasons) while a range is read: an array slot
 * each, where a Map costs a lookup and a store per row. Other keys, which real logs do not hold,
 * go to a Counter.
 */
export class SmallIntCounts {
  private readonly counts = new Float64Array(64);
  /** Which slots were added to (a count may add up to zero, and is still a key, as in a Counter). */
  private readonly used = new Uint8Array(64);
  private readonly others = new Counter<number>();

  add(key: number, n = 1): void {
    if (key >= 0 && key < 64 && Number.isInteger(key)) {
      this.counts[key]! += n;
      this.used[key] = 1;
    } else {
      this.others.add(key, n);
    }
  }

  /** Adds every count into `into`, and starts again from zero. */
  drainInto(into: Counter<number>): void {
    for (let key = 0; key < this.counts.length; key++) if (this.used[key]) into.add(key, this.counts[key]!);
    into.merge(this.others);
    this.counts.fill(0);
    this.used.fill(0);
    this.others.map.clear();
  }
}

export function compareKeys<K extends string | number>(a: K, b: K): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
