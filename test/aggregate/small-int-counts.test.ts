import { describe, expect, it } from 'vitest';
import { Counter, SmallIntCounts } from '../../src/aggregate/counter.js';

describe('SmallIntCounts', () => {
  it('counts as a Counter would, small keys or not, and starts again once drained', () => {
    const keys = [0, 1, 1, 63, 64, -1, 2.5, Number.NaN, Number.NaN, 6, 6, 6, 1e9];
    const small = new SmallIntCounts();
    const plain = new Counter<number>();
    for (const k of keys) {
      small.add(k);
      plain.add(k);
    }
    small.add(6, 10);
    plain.add(6, 10);
    small.add(5, 1); // a key whose count adds up to zero is still a key
    small.add(5, -1);
    plain.add(5, 1);
    plain.add(5, -1);
    const into = new Counter<number>();
    into.add(6, 1);
    small.drainInto(into);
    plain.add(6, 1);
    expect(into.sorted()).toEqual(plain.sorted());
    const again = new Counter<number>();
    small.drainInto(again);
    expect(again.size).toBe(0);
  });
});
