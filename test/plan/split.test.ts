import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_BYTES, defaultRanges, groupWholeFiles, MAX_RANGES, planTasks, shareChunks } from '../../src/plan/split.js';
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

  it('at a fixed size, make at most MAX_RANGES ranges over all plain files, covering each whole', () => {
    const inputs = [
      { path: 'a.log', format: 'proxysg', gzip: false, bytes: 300_000, mtimeMs: 0 },
      { path: 'b.log', format: 'ejbca-trx', gzip: false, bytes: 123_457, mtimeMs: 0 },
      { path: 'c.log.gz', format: 'proxysg', gzip: true, bytes: 10 * MiB, mtimeMs: 0 },
    ] as InputFile[];
    for (const size of [1, 64, 100]) {
      const tasks = planTasks(inputs, size);
      expect(tasks.length, `size ${size}`).toBeLessThanOrEqual(MAX_RANGES + 1); // the gzip file whole
      expect(tasks.length, `size ${size}`).toBeGreaterThan(MAX_RANGES / 2);
      for (const input of inputs) {
        const own = tasks.filter((t) => t.path === input.path);
        expect(own[0]!.start).toBe(0);
        expect(own.at(-1)!.end).toBe(-1);
        own.slice(1).forEach((t, i) => expect(t.start).toBe(own[i]!.end));
      }
    }
    // Sizes that make fewer ranges are kept as given.
    expect(planTasks(inputs, 1000).filter((t) => t.path === 'a.log')).toHaveLength(300);
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


describe('shared chunks', () => {
  const file = (path: string, bytes: number): InputFile => ({ path, format: 'proxysg', gzip: false, bytes, mtimeMs: 7 });
  const heads = new Map([['a.log', { line: '#Fields: date time cs-host', start: 120 }]]);

  it('cover every plain ProxySG file outside a group exactly, each chunk with its file first #Fields', () => {
    const planned = planTasks([file('a.log', 100 * MiB), file('b.log', 20 * MiB)], (n) => defaultRanges(n, 2, 120 * MiB));
    const { tasks, fallback } = shareChunks(planned, 2, heads, 16 * MiB);
    expect(fallback).toEqual(planned);
    expect(tasks).toHaveLength(2);
    const { chunks, claims } = tasks[0]!.shared!;
    expect(tasks[1]!.shared!.chunks).toBe(chunks);
    expect(tasks[1]!.shared!.claims).toBe(claims);
    expect(tasks.every((t) => t.fileBytes === 120 * MiB)).toBe(true);
    for (const [path, bytes] of [['a.log', 100 * MiB], ['b.log', 20 * MiB]] as const) {
      const mine = chunks.filter((c) => c.path === path);
      expect(mine[0]!.start).toBe(0);
      expect(mine.at(-1)!.end).toBe(-1);
      mine.forEach((c, i) => {
        if (i > 0) expect(c.start).toBe(mine[i - 1]!.end);
        expect(c.fields).toBe(heads.get(path)?.line);
        expect(c.fieldsAt).toBe(heads.get(path)?.start);
        expect(c.fileBytes).toBe(bytes);
        expect(c.mtimeMs).toBe(7);
      });
      expect(mine.slice(0, -1).every((c) => c.end - c.start === 16 * MiB)).toBe(true);
    }
  });

  it('keep a file given twice twice, as the fixed plan does', () => {
    const planned = planTasks([file('a.log', 40 * MiB), file('a.log', 40 * MiB)], (n) => [n]);
    const { chunks } = shareChunks(planned, 2, heads, 16 * MiB).tasks[0]!.shared!;
    expect(chunks.map((c) => [c.start, c.end])).toEqual([[0, 16 * MiB], [16 * MiB, 32 * MiB], [32 * MiB, -1], [0, 16 * MiB], [16 * MiB, 32 * MiB], [32 * MiB, -1]]);
  });

  it('leave gzip files, groups, one worker and a single chunk alone', () => {
    const gz: ScanTask = { path: 'g.log.gz', format: 'proxysg', gzip: true, start: 0, end: -1, fileBytes: 50 * MiB, mtimeMs: 0 };
    const smallTrx: ScanTask = { path: 't.log', format: 'ejbca-trx', gzip: false, start: 0, end: -1, fileBytes: 10 * MiB, mtimeMs: 0 };
    const whole = (path: string): ScanTask => ({ path, format: 'proxysg', gzip: false, start: 0, end: -1, fileBytes: 10 * MiB, mtimeMs: 0 });
    const group: ScanTask = { ...whole('x.log'), group: [whole('y.log')] };
    const big = whole('big.log');
    big.fileBytes = 64 * MiB;
    const { tasks, fallback } = shareChunks([gz, smallTrx, group, big], 2, heads, 16 * MiB);
    expect(tasks.slice(0, 3)).toEqual([gz, smallTrx, group]);
    expect(fallback).toEqual([big]);
    expect(tasks.slice(3).map((t) => t.shared!.chunks.length)).toEqual([4, 4]);
    expect(shareChunks([big], 1, heads, 16 * MiB)).toEqual({ tasks: [big], fallback: [] });
    expect(shareChunks([whole('small.log')], 2, heads, 16 * MiB)).toEqual({ tasks: [whole('small.log')], fallback: [] });
  });

  it('share EJBCA files read alike as a set of their own, with no fallback and no #Fields', () => {
    const trxSettings = { order: '${SESSION_ID};${LOG_ID}', pattern: '\\$\\{(.+?)\\}', layout: '%m%n' };
    const trx = (path: string, order = trxSettings.order): ScanTask => ({
      path, format: 'ejbca-trx', gzip: false, start: 0, end: -1, fileBytes: 40 * MiB, mtimeMs: 0, trx: { ...trxSettings, order },
    });
    const proxy: ScanTask = { path: 'a.log', format: 'proxysg', gzip: false, start: 0, end: -1, fileBytes: 40 * MiB, mtimeMs: 0 };
    const { tasks, fallback } = shareChunks([trx('t1.log'), proxy, trx('t2.log'), trx('other.log', '${LOG_ID}')], 2, heads, 16 * MiB);
    expect(fallback).toEqual([proxy]);
    expect(tasks).toHaveLength(6);
    const claims = new Set(tasks.map((t) => t.shared!.claims));
    expect(claims.size).toBe(3);
    const alike = tasks.filter((t) => t.format === 'ejbca-trx' && t.trx!.order === trxSettings.order);
    expect(alike).toHaveLength(2);
    expect(alike[0]!.shared!.chunks.map((c) => [c.path, c.start, c.end])).toEqual([
      ['t1.log', 0, 16 * MiB], ['t1.log', 16 * MiB, 32 * MiB], ['t1.log', 32 * MiB, -1],
      ['t2.log', 0, 16 * MiB], ['t2.log', 16 * MiB, 32 * MiB], ['t2.log', 32 * MiB, -1],
    ]);
    expect(alike.every((t) => t.fileBytes === 80 * MiB && t.trx!.order === trxSettings.order)).toBe(true);
    expect(alike[0]!.shared!.chunks.every((c) => c.fields === undefined && c.trx!.order === trxSettings.order)).toBe(true);
  });
});
