import type { PackedCounts } from '../native/types.js';
import { compareKeys } from './counter.js';

/** Distinct keys in byte order: key i is keys[ends[i-1] .. ends[i]) (from 0 for the first). */
interface Run {
  readonly keys: Uint8Array;
  readonly ends: Uint32Array;
  readonly counts: Float64Array;
}

const EMPTY_RUN: Run = { keys: new Uint8Array(0), ends: new Uint32Array(0), counts: new Float64Array(0) };
/** Keys added one by one wait in a Map until this many, then become a run. */
const PENDING_LIMIT = 1 << 16;

/**
 * A counter keyed by latin1 strings, for tables that reach a million keys (hosts, clients). The
 * keys live as bytes in sorted runs, not as a million strings in a Map: a range's table arrives
 * already sorted from the kernel, and merging two tables walks two sorted lists without
 * hashing. Parts are merged pairwise once their sizes are alike, so N keys from P parts cost
 * O(N log P). Reading merges whatever runs are left into one.
 */
export class SortedCounter {
  private runs: Run[] = [];
  private readonly pending = new Map<string, number>();

  /** A counter of packed keys; they may come in any order and repeat (other writers' snapshots). */
  static fromPacked(p: PackedCounts): SortedCounter {
    const c = new SortedCounter();
    const ends = new Uint32Array(p.lengths.length);
    let at = 0;
    for (let i = 0; i < ends.length; i++) ends[i] = at += p.lengths[i]!;
    if (at !== p.keys.length) throw new RangeError(`key lengths add up to ${at}, not the ${p.keys.length} key bytes`);
    if (p.counts.length !== ends.length) throw new RangeError('keys and counts differ in length');
    const run: Run = { keys: p.keys, ends, counts: p.counts };
    if (isStrictlyAscending(run)) {
      if (ends.length > 0) c.runs.push(run);
    } else {
      for (let i = 0; i < ends.length; i++) c.add(keyAt(run, i), run.counts[i]!);
    }
    return c;
  }

  add(key: string, n = 1): void {
    this.pending.set(key, (this.pending.get(key) ?? 0) + n);
    if (this.pending.size >= PENDING_LIMIT) this.flushPending();
  }

  /** Adds `other` in; `other` must not change afterwards (its runs are shared, not copied). */
  merge(other: SortedCounter): this {
    other.flushPending();
    for (const run of other.runs) this.push(run);
    return this;
  }

  get(key: string): number {
    const run = this.compact();
    const i = find(run, key);
    return i < 0 ? 0 : run.counts[i]!;
  }

  has(key: string): boolean {
    return find(this.compact(), key) >= 0;
  }

  get size(): number {
    return this.compact().ends.length;
  }

  total(): number {
    let sum = 0;
    for (const n of this.compact().counts) sum += n;
    return sum;
  }

  /** [key, count] in ascending key (byte) order. */
  *entries(): IterableIterator<[string, number]> {
    const run = this.compact();
    for (let i = 0; i < run.ends.length; i++) yield [keyAt(run, i), run.counts[i]!];
  }

  /** The whole table as one sorted run of packed keys, as the snapshot stores it. */
  packed(): PackedCounts {
    const run = this.compact();
    const lengths = new Uint32Array(run.ends.length);
    for (let i = 0; i < lengths.length; i++) lengths[i] = run.ends[i]! - (i > 0 ? run.ends[i - 1]! : 0);
    return { keys: run.keys, lengths, counts: run.counts };
  }

  private flushPending(): void {
    if (this.pending.size === 0) return;
    const keys = [...this.pending.keys()].sort(compareKeys);
    const bytes = Buffer.from(keys.join(''), 'latin1');
    const ends = new Uint32Array(keys.length);
    let at = 0;
    keys.forEach((k, i) => (ends[i] = at += k.length));
    const counts = Float64Array.from(keys, (k) => this.pending.get(k)!);
    this.pending.clear();
    this.push({ keys: bytes, ends, counts });
  }

  /** Appends a run, then merges the last two while the newer is at least half the older. */
  private push(run: Run): void {
    if (run.ends.length === 0) return;
    this.runs.push(run);
    while (this.runs.length >= 2 && this.runs.at(-2)!.ends.length <= 2 * this.runs.at(-1)!.ends.length) {
      const newer = this.runs.pop()!;
      this.runs.push(mergeRuns(this.runs.pop()!, newer));
    }
  }

  private compact(): Run {
    this.flushPending();
    while (this.runs.length > 1) {
      const newer = this.runs.pop()!;
      this.runs.push(mergeRuns(this.runs.pop()!, newer));
    }
    return this.runs[0] ?? EMPTY_RUN;
  }
}

function startOf(run: Run, i: number): number {
  return i > 0 ? run.ends[i - 1]! : 0;
}

function keyAt(run: Run, i: number): string {
  return Buffer.from(run.keys.buffer, run.keys.byteOffset, run.keys.byteLength).toString('latin1', startOf(run, i), run.ends[i]!);
}

/** Byte order of key i of a and key j of b (shorter first when one is a prefix of the other). */
function compareRunKeys(a: Run, i: number, b: Run, j: number): number {
  let p = startOf(a, i);
  let q = startOf(b, j);
  const pe = a.ends[i]!;
  const qe = b.ends[j]!;
  const ka = a.keys;
  const kb = b.keys;
  for (; p < pe && q < qe; p++, q++) {
    const d = ka[p]! - kb[q]!;
    if (d !== 0) return d;
  }
  return pe - p - (qe - q);
}

/** Byte order of key i of a run and a latin1 string (one char per byte). */
function compareToString(run: Run, i: number, key: string): number {
  const start = startOf(run, i);
  const length = run.ends[i]! - start;
  const n = Math.min(length, key.length);
  for (let k = 0; k < n; k++) {
    const d = run.keys[start + k]! - key.charCodeAt(k);
    if (d !== 0) return d;
  }
  return length - key.length;
}

/** Index of `key` in the run, or -1. */
function find(run: Run, key: string): number {
  let lo = 0;
  let hi = run.ends.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareToString(run, mid, key);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function isStrictlyAscending(run: Run): boolean {
  for (let i = 1; i < run.ends.length; i++) if (compareRunKeys(run, i - 1, run, i) >= 0) return false;
  return true;
}

/** Two sorted runs as one; a key in both gets the sum of its counts. */
function mergeRuns(a: Run, b: Run): Run {
  const keys = new Uint8Array(a.keys.length + b.keys.length);
  const ends = new Uint32Array(a.ends.length + b.ends.length);
  const counts = new Float64Array(ends.length);
  const na = a.ends.length;
  const nb = b.ends.length;
  let i = 0;
  let j = 0;
  let n = 0;
  let at = 0;
  while (i < na || j < nb) {
    const c = i === na ? 1 : j === nb ? -1 : compareRunKeys(a, i, b, j);
    const from = c <= 0 ? a : b;
    const k = c <= 0 ? i : j;
    for (let p = startOf(from, k), end = from.ends[k]!; p < end; p++) keys[at++] = from.keys[p]!;
    counts[n] = c < 0 ? a.counts[i++]! : c > 0 ? b.counts[j++]! : a.counts[i++]! + b.counts[j++]!;
    ends[n++] = at;
  }
  // Keys in both runs leave room over: give it back when it is more than a quarter.
  const trim = n < 0.75 * ends.length;
  return {
    keys: trim ? keys.slice(0, at) : keys.subarray(0, at),
    ends: trim ? ends.slice(0, n) : ends.subarray(0, n),
    counts: trim ? counts.slice(0, n) : counts.subarray(0, n),
  };
}
