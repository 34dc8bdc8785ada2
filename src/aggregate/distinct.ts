import { HyperLogLog } from './hyperloglog.js';

/** Distinct values are counted exactly up to this many, estimated beyond (HyperLogLog, ~0.8% error). */
export const EXACT_DISTINCT_LIMIT = 10_000;

/**
 * Distinct count that is exact while small. Past the limit it becomes a sketch built from every
 * value, so the result of merging parts equals the result of the whole in either state.
 */
export class DistinctCount {
  private exact: Set<string> | undefined = new Set();
  private sketch: HyperLogLog | undefined;

  static fromParts(values: Iterable<string>, sketch?: HyperLogLog): DistinctCount {
    const d = new DistinctCount();
    if (sketch) {
      d.exact = undefined;
      d.sketch = new HyperLogLog(sketch.registers);
    }
    for (const v of values) d.add(v);
    return d;
  }

  add(value: string): void {
    if (this.exact) {
      this.exact.add(value);
      if (this.exact.size > EXACT_DISTINCT_LIMIT) this.toSketch();
    } else {
      this.sketch!.add(value);
    }
  }

  merge(other: DistinctCount): this {
    if (other.exact) {
      for (const v of other.exact) this.add(v);
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
    return this.exact ? this.exact.size : this.sketch!.estimate();
  }

  /** The exact values (sorted), when exact. */
  values(): string[] {
    return this.exact ? [...this.exact].sort() : [];
  }

  registers(): Uint8Array | undefined {
    return this.sketch?.registers;
  }

  private toSketch(): void {
    const sketch = new HyperLogLog();
    for (const v of this.exact ?? []) sketch.add(v);
    this.exact = undefined;
    this.sketch = sketch;
  }
}
