/**
 * Small deterministic PRNG for synthetic data. sfc32 is fast in JS (pure 32-bit
 * integer ops) and statistically good enough for test data; the 128-bit state is
 * expanded from a 32-bit seed with splitmix32 so nearby seeds give unrelated streams.
 */

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const init = splitmix32(seed);
    this.a = init();
    this.b = init();
    this.c = init();
    this.d = init();
    // Discard the first outputs: sfc32 mixes weakly right after seeding.
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[this.int(items.length)] as T;
  }
}

/**
 * Samples ranks 0..n-1 with P(k) proportional to 1/(k+1)^s. The cumulative table is
 * built once so each sample is one uniform draw plus a binary search.
 */
export class Zipf {
  private readonly cumulative: Float64Array;

  constructor(
    readonly n: number,
    readonly s = 1.1,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Zipf needs n >= 1, got ${n}`);
    const table = new Float64Array(n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      sum += 1 / Math.pow(k + 1, s);
      table[k] = sum;
    }
    for (let k = 0; k < n; k++) table[k] = table[k]! / sum;
    table[n - 1] = 1; // guard against rounding leaving the top slightly below 1
    this.cumulative = table;
  }

  sample(rng: Rng): number {
    const u = rng.next();
    const table = this.cumulative;
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Expands [weight, value] pairs into a flat table, so a weighted pick is a single rng.int(). */
export function weightedTable<T>(entries: ReadonlyArray<readonly [number, T]>): T[] {
  return entries.flatMap(([weight, value]) => Array<T>(weight).fill(value));
}

/**
 * Draws n items, retrying duplicates (by key) so pools are distinct; if the value space
 * looks exhausted it accepts duplicates rather than loop forever.
 */
export function drawDistinct<T>(n: number, make: () => T, key: (item: T) => string): T[] {
  const seen = new Set<string>();
  const pool: T[] = [];
  for (let attempt = 0; pool.length < n; attempt++) {
    const item = make();
    const k = key(item);
    if (seen.has(k) && attempt < n * 20) continue;
    seen.add(k);
    pool.push(item);
  }
  return pool;
}
