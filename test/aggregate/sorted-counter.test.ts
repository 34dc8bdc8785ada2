import { describe, expect, it } from 'vitest';
import { Counter } from '../../src/aggregate/counter.js';
import { SortedCounter } from '../../src/aggregate/sorted-counter.js';

function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

/** Keys that stress byte order: prefixes of each other, high bytes, empty, NUL. */
function key(r: () => number): string {
  const alphabet = ['a', 'b', 'A', 'é', '\xff', '\x00', '.', 'z'];
  const length = Math.floor(r() * 4);
  let k = '';
  for (let i = 0; i < length; i++) k += alphabet[Math.floor(r() * alphabet.length)]!;
  return k;
}

const byBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function expectSame(sorted: SortedCounter, map: Counter<string>): void {
  const expected = [...map.map.entries()].sort((a, b) => byBytes(a[0], b[0]));
  expect([...sorted.entries()]).toEqual(expected);
  expect(sorted.size).toBe(map.size);
  expect(sorted.total()).toBe(map.total());
  for (const [k, n] of expected) {
    expect(sorted.get(k)).toBe(n);
    expect(sorted.has(k)).toBe(true);
  }
  for (const absent of ['absent', 'aaaaa', '\xff\xff\xff\xff', 'A\x00\x00\x00\x00']) {
    expect(sorted.has(absent)).toBe(map.map.has(absent));
    expect(sorted.get(absent)).toBe(map.get(absent));
  }
}

describe('SortedCounter', () => {
  it('counts as a Map does, whatever the order of adds and merges of parts', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = random(seed);
      const expected = new Counter<string>();
      const parts = Array.from({ length: 1 + Math.floor(r() * 9) }, () => new SortedCounter());
      for (let i = 0; i < 600; i++) {
        const k = key(r);
        const n = 1 + Math.floor(r() * 5);
        expected.add(k, n);
        parts[Math.floor(r() * parts.length)]!.add(k, n);
      }
      // Merge in a random tree shape: some parts merged into others first.
      while (parts.length > 1) {
        const a = parts.splice(Math.floor(r() * parts.length), 1)[0]!;
        const b = parts[Math.floor(r() * parts.length)]!;
        b.merge(a);
      }
      expectSame(parts[0]!, expected);
    }
  });

  it('keeps packed keys as given when sorted, and accepts unsorted or repeated keys from other writers', () => {
    const sorted = SortedCounter.fromPacked({ keys: Buffer.from('aabb', 'latin1'), lengths: Uint32Array.from([1, 2, 1]), counts: Float64Array.from([1, 2, 3]) });
    expect([...sorted.entries()]).toEqual([['a', 1], ['ab', 2], ['b', 3]]);
    const unsorted = SortedCounter.fromPacked({ keys: Buffer.from('bab', 'latin1'), lengths: Uint32Array.from([1, 1, 1]), counts: Float64Array.from([1, 2, 3]) });
    expect([...unsorted.entries()]).toEqual([['a', 2], ['b', 4]]);
    const packed = unsorted.packed();
    expect(Buffer.from(packed.keys).toString('latin1')).toBe('ab');
    expect([...packed.lengths]).toEqual([1, 1]);
    expect([...packed.counts]).toEqual([2, 4]);
  });

  it('rejects lengths that do not add up to the key bytes, or counts of another length', () => {
    expect(() => SortedCounter.fromPacked({ keys: Buffer.from('abc'), lengths: Uint32Array.from([1, 1]), counts: Float64Array.from([1, 1]) })).toThrow(/add up/);
    expect(() => SortedCounter.fromPacked({ keys: Buffer.from('ab'), lengths: Uint32Array.from([1, 1]), counts: Float64Array.from([1]) })).toThrow(/differ/);
  });

  it('merges a part into many without changing the part', () => {
    const part = new SortedCounter();
    part.add('x', 2);
    const a = new SortedCounter().merge(part);
    const b = new SortedCounter().merge(part);
    a.add('x', 1);
    expect([a.get('x'), b.get('x'), part.get('x')]).toEqual([3, 2, 2]);
  });
});
