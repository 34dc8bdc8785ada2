/**
 * A set of numbers. Whole numbers from 0 to 2^53 - 1 are kept in one open-addressed
 * Float64Array; any others (NaN, negative, fractional) in a plain Set. A range of a transaction
 * log holds millions of request keys, where a Set of such (heap) numbers alone costs several
 * times the time and memory.
 */
export class NumberSet {
  private slots = new Float64Array(1 << 10).fill(EMPTY);
  private mask = (1 << 10) - 1;
  private count = 0;
  private readonly others = new Set<number>();

  get size(): number {
    return this.count + this.others.size;
  }

  has(key: number): boolean {
    return isSlotKey(key) ? this.slots[this.find(key)] === key : this.others.has(key);
  }

  /** Adds `key`; returns false when it was already there. */
  add(key: number): boolean {
    if (!isSlotKey(key)) {
      if (this.others.has(key)) return false;
      this.others.add(key);
      return true;
    }
    const at = this.find(key);
    if (this.slots[at] === key) return false;
    this.slots[at] = key;
    if (++this.count * 2 > this.slots.length) this.grow();
    return true;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private find(key: number): number {
    const slots = this.slots;
    let at = hash(key) & this.mask;
    for (;;) {
      const v = slots[at]!;
      if (v === key || v === EMPTY) return at;
      at = (at + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2).fill(EMPTY);
    this.mask = this.slots.length - 1;
    for (const v of old) if (v !== EMPTY) this.slots[this.find(v)] = v;
  }
}

const EMPTY = -1;

function isSlotKey(key: number): boolean {
  return Number.isSafeInteger(key) && key >= 0;
}

function hash(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
