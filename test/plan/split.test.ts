import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_BYTES, defaultRanges, groupWholeFiles, planTasks } from '../../src/plan/split.js';
import type { ScanTask } from '../../src/scan/task.js';
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

describe('groups of whole files', () => {
  const file = (path: string, mib: number, extra: Partial<ScanTask> = {}): ScanTask =>
    ({ path, format: 'proxysg', gzip: false, start: 0, end: -1, fileBytes: mib * MiB, mtimeMs: 0, ...extra });

  it('pack whole ProxySG files into balanced groups, gzip apart, and leave every other task alone', () => {
    const files = [file('a', 10), file('b', 60), file('c', 30), file('d', 40), file('e', 20), file('f', 40)];
    const gz = [file('g1', 5, { gzip: true }), file('g2', 5, { gzip: true })];
    const others = [
      file('trx', 50, { format: 'ejbca-trx' }),
      file('half', 100, { end: 50 * MiB }),
      file('empty', 0),
    ];
    const out = groupWholeFiles([...gz, ...files, ...others], 100 * MiB);
    expect(out.slice(0, others.length)).toEqual(others);
    expect(out.at(-1)).toEqual({ ...gz[0]!, group: [gz[1]!] });
    const groups = out.slice(others.length, -1);
    expect(groups).toHaveLength(2);
    const members = groups.map((g) => [g, ...(g.group ?? [])]);
    expect(members.flat().map((t) => t.path).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(members.map((m) => m.reduce((n, t) => n + t.fileBytes, 0) / MiB)).toEqual([100, 100]);
  });

  it('change nothing for a single file or when groups would hold one file each', () => {
    expect(groupWholeFiles([file('a', 10)], MiB)).toEqual([file('a', 10)]);
    const two = [file('a', 10), file('b', 10)];
    expect(groupWholeFiles(two, 10 * MiB)).toEqual(two);
    expect(groupWholeFiles(two, 20 * MiB)).toEqual([{ ...file('a', 10), group: [file('b', 10)] }]);
  });
});

