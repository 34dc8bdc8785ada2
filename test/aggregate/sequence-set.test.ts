import { describe, expect, it } from 'vitest';
import { SequenceSet } from '../../src/aggregate/sequence-set.js';

describe('SequenceSet', () => {
  it('agrees with a Set of pairs on in-order, gapped, shuffled, repeated and odd values', () => {
    const ours = new SequenceSet();
    const theirs = new Set<string>();
    let x = 99;
    const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const next = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) {
      const group = rand() % 3;
      let value: number;
      const r = rand() % 100;
      if (r < 80) value = next[group]!++; // in order
      else if (r < 85) value = next[group]! += 1 + (rand() % 5); // a gap
      else if (r < 97) value = Math.max(0, next[group]! - (rand() % 50)); // late or repeated
      else value = [Number.NaN, -7, 2.5, 2 ** 60][rand() % 4]!;
      const key = `${group}/${value}`;
      expect(ours.add(group, value), key).toBe(!theirs.has(key));
      theirs.add(key);
    }
    for (let group = 0; group < 4; group++) {
      for (let value = -3; value < 2000; value++) expect(ours.has(group, value)).toBe(theirs.has(`${group}/${value}`));
    }
    expect(ours.has(0, Number.NaN)).toBe(theirs.has('0/NaN'));
  });
});
