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

export function compareKeys<K extends string | number>(a: K, b: K): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
