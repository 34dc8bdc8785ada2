import { describe, expect, it } from 'vitest';
import { NumberSet } from '../../src/aggregate/number-set.js';

describe('NumberSet', () => {
  it('agrees with a Set on whole, odd and colliding numbers, through many growths', () => {
    const ours = new NumberSet();
    const theirs = new Set<number>();
    let x = 12345;
    const odd = [Number.NaN, -1, -0.5, 2 ** 53, 1.5, -(2 ** 40), 0];
    for (let i = 0; i < 200_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // Keys like the transaction log's: (session + 1) * 2^32 + LOG_ID, with repeats.
      const key = i % 997 === 0 ? odd[i % odd.length]! : ((x % 7) + 1) * 4294967296 + (x % 50_000) * 65_536;
      expect(ours.add(key), String(key)).toBe(!theirs.has(key));
      theirs.add(key);
    }
    expect(ours.size).toBe(theirs.size);
    for (const key of theirs) expect(ours.has(key)).toBe(true);
    expect(ours.has(3)).toBe(theirs.has(3));
    expect(ours.has(Number.NaN)).toBe(true);
  });
});
