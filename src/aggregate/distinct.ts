import { HyperLogLog } from './hyperloglog.js';

/** Distinct values are counted exactly up to this many, estimated beyond (HyperLogLog, ~0.8% error). */
export const EXACT_DISTINCT_LIMIT = 10_000;

/**
 * Distinct count that is exact while small. Past the limit it becomes a sketch built from every
 * value, so the result of merging parts equals the result of the whole in either state.
 *
 * The exact values are kept as a sorted array of distinct strings, not a Set: they arrive sorted
 * from snapshots, merge as two sorted lists, and are written out in that order. Arrays are
 * replaced, never changed, so two counts may share one.
 */
export class DistinctCount {
  private exact: readonly string[] | undefined = [];
  private sketch: HyperLogLog | undefined;

  static fromParts(values: Iterable<string>, sketch?: HyperLogLog): DistinctCount {
    const d = new DistinctCount();
    const list = sortedDistinct([...values]);
    if (sketch) {
      d.exact = undefined;
      d.sketch = new HyperLogLog(sketch.registers);
      for (const v of list) d.sketch.add(v);
    } else {
      d.setExact(list);
    }
    return d;
  }

  /** One value; each costs a copy of the exact list, so build many at once with fromParts. */
  add(value: string): void {
    if (this.exact) this.setExact(mergeSorted(this.exact, [value]));
    else this.sketch!.add(value);
  }

  merge(other: DistinctCount): this {
    if (other.exact) {
      if (this.exact) this.setExact(mergeSorted(this.exact, other.exact));
      else for (const v of other.exact) this.sketch!.add(v);
    } else {
      if (this.exact) this.toSketch();
      this.sketch!.merge(other.sketch!);
    }
    return this;
  }

  get isExact(): boolean {
    return this.exact !== undefined;
  }

  count(): number {
    return this.exact ? this.exact.length : this.sketch!.estimate();
  }

  /** The exact values in byte order, when exact. */
  values(): readonly string[] {
    return this.exact ?? [];
  }

  registers(): Uint8Array | undefined {
    return this.sketch?.registers;
  }

  private setExact(values: readonly string[]): void {
    this.exact = values;
    if (values.length > EXACT_DISTINCT_LIMIT) this.toSketch();
  }

  private toSketch(): void {
    const sketch = new HyperLogLog();
    for (const v of this.exact ?? []) sketch.add(v);
    this.exact = undefined;
    this.sketch = sketch;
  }
}

/** The values sorted and each once; no copy when they already are. */
function sortedDistinct(values: string[]): string[] {
  let sorted = true;
  for (let i = 1; i < values.length && sorted; i++) sorted = values[i - 1]! < values[i]!;
  if (sorted) return values;
  // The default order compares UTF-16 code units, as `<` does (compareKeys), without a call per pair.
  values.sort();
  let n = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[n - 1]) values[n++] = values[i]!;
  values.length = n;
  return values;
}

/** The union of two sorted, distinct lists, sorted. */
function mergeSorted(a: readonly string[], b: readonly string[]): readonly string[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) {
      out.push(x);
      i++;
    } else if (y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
