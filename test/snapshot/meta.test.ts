import { describe, expect, it } from 'vitest';
import { Meta, type InputInfo } from '../../src/snapshot/snapshot.js';

const input = (path: string, ranges: [number, number][], bytes = 100): InputInfo => ({ path, format: 'proxysg', bytes, mtimeMs: 0, gzip: false, ranges });

describe('snapshot inputs', () => {
  it('of standard input in several runs add up, with no overlap claimed: nothing tells two streams apart', () => {
    const other = new Meta();
    other.addInput(input('-', [[0, 15_458]], 15_458));
    const merged = new Meta();
    merged.addInput(input('-', [[0, 35_165]], 35_165));
    merged.merge(other);
    expect(merged.overlaps.size).toBe(0);
    expect(merged.inputs.get('-')).toEqual(input('-', [[0, 50_623]], 50_623));
    // A file named twice still tells.
    const files = new Meta();
    files.addInputs([input('a.log', [[0, 100]]), input('a.log', [[0, 100]])]);
    expect(files.overlaps.has('a.log')).toBe(true);
  });

  it('tell parts that read the same bytes of a file, and only those, as the pairwise check would', () => {
    let x = 7;
    const random = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let trial = 0; trial < 500; trial++) {
      const parts = Array.from({ length: 1 + random(4) }, () => {
        // Each part's own ranges apart, as a scan writes them.
        const ranges: [number, number][] = [];
        for (let at = random(20); ranges.length < 1 + random(3); at += 1 + random(20)) {
          const end = at + random(15);
          ranges.push([at, end]);
          at = end;
        }
        return ranges;
      });
      // Shared bytes: an empty range (a file that could not be read) shares none.
      const pairwise = parts.some((a, i) => parts.some((b, j) => i < j && a.some(([s, e]) => b.some(([bs, be]) => s < e && bs < be && s < be && bs < e))));
      const meta = new Meta();
      meta.addInputs(parts.map((ranges) => input('a.log', ranges)));
      expect(meta.overlaps.has('a.log'), JSON.stringify(parts)).toBe(pairwise);
      // The same, one part at a time (a merge).
      const oneByOne = new Meta();
      for (const ranges of parts) oneByOne.addInput(input('a.log', ranges));
      expect(oneByOne.overlaps.has('a.log')).toBe(pairwise);
      expect(oneByOne.inputs.get('a.log')).toEqual(meta.inputs.get('a.log'));
    }
  });

  it('keep the largest size, and ranges coalesced, whatever the order', () => {
    const meta = new Meta();
    meta.addInputs([input('a.log', [[10, 20]], 50), input('b.log', [[0, 5]]), input('a.log', [[0, 10]], 80)]);
    expect(meta.inputs.get('a.log')).toMatchObject({ bytes: 80, ranges: [[0, 20]] });
    expect(meta.overlaps.size).toBe(0);
  });

  it('take tens of thousands of entries and file errors at once, sorted and each once', () => {
    const meta = new Meta();
    meta.addInputs(Array.from({ length: 30_000 }, (_, i) => input('same.log', [[i * 10, i * 10 + 10]])));
    expect(meta.inputs.get('same.log')!.ranges).toEqual([[0, 300_000]]);
    meta.addFileErrors(Array.from({ length: 30_000 }, (_, i) => ({ path: `f${i % 1000}.log`, offset: i % 7, message: 'cannot read (EACCES)' })));
    expect(meta.fileErrors).toHaveLength(7000);
    expect(meta.fileErrors[0]).toEqual({ path: 'f0.log', offset: 0, message: 'cannot read (EACCES)' });
  });
});
