import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_BYTES, defaultRanges, planTasks } from '../../src/plan/split.js';
import type { InputFile } from '../../src/input/discover.js';

const MiB = 1 << 20;

describe('default ranges', () => {
  it('cover the file exactly, one equal share per worker', () => {
    const size = 1024 * MiB + 123;
    const lengths = defaultRanges(size, 2);
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(size);
    expect(lengths).toEqual([512 * MiB + 62, 512 * MiB + 61]);
  });

  it('stay whole with one worker, and equal (never below the minimum) on small files', () => {
    expect(defaultRanges(5000 * MiB, 1)).toEqual([5000 * MiB]);
    expect(defaultRanges(100 * MiB, 2)).toEqual([50 * MiB, 50 * MiB]);
    expect(defaultRanges(40 * MiB, 4)).toEqual([DEFAULT_CHUNK_BYTES, 8 * MiB]);
    expect(defaultRanges(0, 2)).toEqual([0]);
  });

  it('leave a file whole when it is no larger than a share of all the bytes of the run', () => {
    expect(defaultRanges(64 * MiB, 2, 1024 * MiB)).toEqual([64 * MiB]);
    expect(defaultRanges(600 * MiB, 2, 1024 * MiB)).toEqual([512 * MiB, 88 * MiB]);
    expect(defaultRanges(64 * MiB, 2, 40 * MiB)).toEqual([DEFAULT_CHUNK_BYTES, DEFAULT_CHUNK_BYTES]);
  });

  it('become tasks that own consecutive, non-overlapping byte ranges', () => {
    const input = { path: 'a.log', format: 'proxysg', gzip: false, bytes: 700 * MiB, mtimeMs: 0 } as InputFile;
    const tasks = planTasks([input], (bytes) => defaultRanges(bytes, 3));
    let at = 0;
    for (const t of tasks) {
      expect(t.start).toBe(at);
      at = t.end === -1 ? input.bytes : t.end;
    }
    expect(at).toBe(input.bytes);
    expect(tasks).toHaveLength(3);
    expect(() => planTasks([input], () => [1, 2, 3])).toThrow(/add up/);
  });
});
