import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fallbackKernel } from '../../src/native/fallback/index.js';
import { loadAddon, nativeKernel } from '../../src/native/load.js';
import { createElffOutput, type ElffScanRequest, type ErrorHostSlots, type ErrorHostTallies, type Kernel, type PackedCounts } from '../../src/native/types.js';
import { fixtures } from '../fixtures/index.js';
import { certErrorTokens } from '../../src/formats/elff/values.js';

const native = nativeKernel(loadAddon());

interface Run {
  records: { offset: number; kind: number; ids: number[] }[];
  resume: number;
  counted: number;
  values: string[][];
  counts: number[][];
  errorCounts: number[][];
  timeline: number[];
  totals: number[];
  /** sortedCounts of every slot: [all, folded], [errors only, not folded]. */
  sorted: { keys: string; lengths: number[]; counts: number[] }[][];
  errorHosts: Record<keyof ErrorHostTallies, number[]>;
  errorHostsAgain: number;
}

/** Scans `buf` to the end with one kernel, call after call, as the block loop does. */
interface ScanOptions {
  fieldCount: number;
  colSlot: Int32Array;
  slots: number;
  capacity: number;
  limit?: number;
  atEof?: boolean;
  dateSlot?: number;
  timeSlot?: number;
  errorSlot?: number;
  emitAll?: boolean;
  errorHosts?: ErrorHostSlots;
  /** Slots of the tally, when more than the calls fill. */
  tallySlots?: number;
  prefixTokens?: number;
}

function scanAll(kernel: Kernel, buf: Uint8Array, opts: ScanOptions): Run {
  const tally = kernel.createElffTally(opts.tallySlots ?? opts.slots, opts.errorHosts);
  const out = createElffOutput(opts.capacity, opts.slots);
  const records: Run['records'] = [];
  let from = 0;
  let counted = 0;
  for (;;) {
    const req: ElffScanRequest = {
      buf, from, to: buf.length, limit: opts.limit ?? buf.length, atEof: opts.atEof ?? true,
      fieldCount: opts.fieldCount, colSlot: opts.colSlot, slots: opts.slots,
      dateSlot: opts.dateSlot ?? -1, timeSlot: opts.timeSlot ?? -1, errorSlot: opts.errorSlot ?? -1, emitAll: opts.emitAll ?? true,
      prefixTokens: opts.prefixTokens ?? 0,
    };
    const n = kernel.scanElff(req, tally, out);
    counted += out.state[1]!;
    for (let r = 0; r < n; r++) {
      records.push({ offset: out.offsets[r]!, kind: out.kinds[r]!, ids: [...out.ids.subarray(r * opts.slots, (r + 1) * opts.slots)] });
    }
    const resume = out.state[0]!;
    if (resume === from) break;
    from = resume;
  }
  const slots = Array.from({ length: opts.slots }, (_, s) => s);
  return {
    records, resume: from, counted,
    values: slots.map((s) => tally.values(s, 0)),
    counts: slots.map((s) => [...tally.counts(s)]),
    errorCounts: slots.map((s) => [...tally.errorCounts(s)]),
    timeline: [...tally.timeline()],
    totals: [...tally.totals()],
    sorted: slots.map((s) => [plainSorted(tally.sortedCounts(s, false, true)), plainSorted(tally.sortedCounts(s, true, false))]),
    errorHosts: plainErrorHosts(tally.errorHosts()),
    // The tables went with the first read.
    errorHostsAgain: tally.errorHosts().hosts.length + tally.errorHosts().timeHosts.length,
  };
}

function plainErrorHosts(t: ErrorHostTallies): Run['errorHosts'] {
  const { hosts, kinds, ids, counts, timeHosts, firstSeen, lastSeen } = t;
  return { hosts: [...hosts], kinds: [...kinds], ids: [...ids], counts: [...counts], timeHosts: [...timeHosts], firstSeen: [...firstSeen], lastSeen: [...lastSeen] };
}

function plainSorted(p: PackedCounts): Run['sorted'][number][number] {
  return { keys: Buffer.from(p.keys).toString('latin1'), lengths: [...p.lengths], counts: [...p.counts] };
}

function bothAgree(buf: Uint8Array, opts: ScanOptions): Run {
  const a = scanAll(native, buf, opts);
  const b = scanAll(fallbackKernel, buf, opts);
  expect(a).toEqual(b);
  return a;
}

/** A deterministic generator of hostile lines: quotes, CR, spaces, '#', high bytes, NULs. */
function hostileBytes(seed: number, size: number): Uint8Array {
  const alphabet = [0x20, 0x20, 0x20, 0x22, 0x22, 0x0d, 0x0a, 0x0a, 0x23, 0x2d, 0x00, 0x09, 0xe9, 0xc3, 0xa9, 0x61, 0x62, 0x3b, 0x2c];
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = alphabet[x % alphabet.length]!;
  }
  return out;
}

describe('native and TypeScript ELFF kernels agree', () => {
  const colSlot = (n: number, slots: number) => Int32Array.from({ length: n }, (_, i) => (i % 3 === 1 ? -1 : i % slots));

  it.each(Object.entries(fixtures))('on %s', (_name, path) => {
    const buf = readFileSync(path);
    for (const fieldCount of [-1, 13, 26, 43]) {
      for (const emitAll of [true, false]) {
        const errorHosts = { hostSlot: 4, pairSlots: [3, 1, 4] };
        const run = bothAgree(buf, { fieldCount, colSlot: colSlot(Math.max(0, fieldCount), 5), slots: 5, capacity: 7, dateSlot: 0, timeSlot: 2, errorSlot: 3, emitAll, errorHosts });
        expect(run.records.length).toBeGreaterThan(0);
      }
    }
  });

  it('on hostile bytes, with every output capacity and block limits', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const buf = hostileBytes(seed, 50 + (seed % 400));
      const fieldCount = seed % 7;
      bothAgree(buf, { fieldCount, colSlot: colSlot(fieldCount, 3), slots: 3, capacity: 1 + (seed % 5), dateSlot: seed % 4 - 1, timeSlot: 2 });
      bothAgree(buf, { fieldCount, colSlot: colSlot(fieldCount, 3), slots: 3, capacity: 64, limit: seed % buf.length, atEof: seed % 2 === 0 });
      bothAgree(buf, { fieldCount, colSlot: colSlot(fieldCount, 3), slots: 3, capacity: 1 + (seed % 3), dateSlot: 1, timeSlot: 2, errorSlot: seed % 3, emitAll: false });
      const errorHosts = { hostSlot: (seed + 1) % 3, pairSlots: [seed % 3, 0, 2] };
      bothAgree(buf, { fieldCount, colSlot: colSlot(fieldCount, 3), slots: 3, capacity: 1 + (seed % 3), dateSlot: 1, timeSlot: 2, errorSlot: seed % 3, emitAll: false, errorHosts });
    }
  });

  it('skip a syslog header of so many tokens alike, directives after it included, on fixtures and hostile bytes', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const buf = hostileBytes(seed, 50 + (seed % 400));
      const fieldCount = seed % 5;
      for (const prefixTokens of [1, 2, 4, 65]) {
        bothAgree(buf, { fieldCount, colSlot: colSlot(fieldCount, 3), slots: 3, capacity: 1 + (seed % 4), dateSlot: 1, timeSlot: 2, errorSlot: seed % 3, emitAll: seed % 2 === 0, prefixTokens });
      }
    }
    const wrapped = Buffer.from(readFileSync(fixtures.ssl, 'latin1').split('\n').map((l) => (l ? `Aug  8 12:30:46 10.8.24.10 ${l}` : l)).join('\n'), 'latin1');
    const plain = bothAgree(readFileSync(fixtures.ssl), { fieldCount: -1, colSlot: colSlot(0, 5), slots: 5, capacity: 50 });
    const run = bothAgree(wrapped, { fieldCount: -1, colSlot: colSlot(0, 5), slots: 5, capacity: 50, prefixTokens: 4 });
    // Its first line is a directive, found past the header.
    expect(run.records[0]!.kind).toBe(plain.records[0]!.kind);
    expect(run.records[0]!.kind).toBe(1);
  });

  it('parse dates and times identically, and correctly', () => {
    // Neighbours differing in their last bytes only: the native kernel reuses the last parse.
    const dates = ['2024-02-29', '2023-02-29', '2024-02-30', '1969-12-31', '1970-01-01', '0000-01-01', '9999-12-31', '2024-13-01',
      '2024-00-10', '2024-1-01', '2024-01-1x', '2024-01-11', '2024-01-31', '2024-01-32', '20240101', '2024/01/01', '2024-04-31',
      '2000-02-29', '1900-02-29', '-'];
    const times = ['00:00:00', '23:59:59', '23:59:60', '24:00:00', '12:60:00', '1:00:00', '12:00', '12:00:00.5', 'ab:cd:ef', '-'];
    const lines = dates.flatMap((d) => times.map((t) => `${d} ${t}`)).join('\n');
    const run = bothAgree(Buffer.from(lines), { fieldCount: 2, colSlot: Int32Array.from([0, 1]), slots: 2, capacity: 1000, dateSlot: 0, timeSlot: 1 });
    const byLine = new Map(run.records.map((r, i) => [i, r.ids]));
    // Every line: each date follows itself and other dates, each time follows itself and other times.
    dates.forEach((d, di) => {
      const ms = Date.parse(`${d}T00:00:00Z`);
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d);
      times.forEach((t, ti) => {
        const m = /^(\d\d):(\d\d):(\d\d)$/.exec(t);
        const validTime = m && Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3]) <= 60;
        const ids = byLine.get(di * times.length + ti)!;
        expect(ids[0], `${d} ${t}`).toBe(valid ? ms / 86_400_000 + (1 << 20) : 0xffffffff);
        // A leap second (:60) stays in its minute: 23:59:60 is counted in hour 23 of its day.
        expect(ids[1], `${d} ${t}`).toBe(validTime ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Math.min(Number(m[3]), 59) : 0xffffffff);
      });
    });
  });

  it('count every record once, emit only those with certificate errors, and tell errors by the contract rule', () => {
    const values = ['none', 'NONE', '-', ' - ', ';,', 'none;expired', '- ,None', 'Expired', ' none ', 'nonE x', 'a', 'none;none', ',', ''];
    const lines = values.map((v, i) => `2024-03-01 0${i % 10}:00:00 h${i % 3} "${v}"`).join('\n');
    const opts = { fieldCount: 4, colSlot: Int32Array.from([0, 1, 2, 3]), slots: 4, capacity: 3, dateSlot: 0, timeSlot: 1, errorSlot: 3, emitAll: false };
    const run = bothAgree(Buffer.from(lines), opts);
    const withErrors = values.filter((v) => certErrorTokens(v).length > 0);
    expect(withErrors).toEqual(['none;expired', 'Expired', 'nonE x', 'a']);
    expect(run.counted).toBe(values.length);
    expect(run.records.map((r) => run.values[3]![r.ids[3]!])).toEqual(withErrors);
    expect(run.totals).toEqual([values.length, withErrors.length, 0]);
    expect(run.counts[2]).toEqual([5, 5, 4]);
    expect(run.errorCounts[3]!.reduce((a, b) => a + b, 0)).toBe(4);
    const firstHour = Date.UTC(2024, 2, 1) / 3_600_000;
    expect(run.timeline.slice(0, 3)).toEqual([firstHour, 2, 1]); // lines 0 ("none") and 10 ("a")
    expect(bothAgree(Buffer.from(lines), { ...opts, emitAll: true }).records).toHaveLength(values.length);
  });

  it('tally error hosts: pairs counted per raw host, first and last times, nothing for clean records or an absent host column', () => {
    // date time host client error
    const lines = [
      '2024-03-01 10:00:00 b c1 expired',
      '2024-03-01 09:00:00 b c2 expired;untrusted',
      '2024-03-01 11:00:00 b c1 expired',
      '2024-03-01 12:00:00 b c3 none', // clean: not an error host record
      '2024-03-01 08:00:00 B c1 expired', // another raw host (folding is the aggregator's)
      'x 08:00:00 a c1 expired', // no valid date: counted, but no time
      '1969-12-31 23:00:00 a c2 revoked', // before 1970: no time either
      '2024-03-01 08:00:00 - c1 expired', // '-' is a value like any other
    ].join('\n');
    const opts = { fieldCount: 5, colSlot: Int32Array.from([0, 1, 2, 3, 4]), slots: 5, capacity: 8, dateSlot: 0, timeSlot: 1, errorSlot: 4, emitAll: false,
      errorHosts: { hostSlot: 2, pairSlots: [4, 3] } };
    const run = bothAgree(Buffer.from(lines), opts);
    const [b, B, a, dash] = ['b', 'B', 'a', '-'].map((h) => run.values[2]!.indexOf(h));
    const client = (c: string) => run.values[3]!.indexOf(c);
    const error = (e: string) => run.values[4]!.indexOf(e);
    const rows = run.errorHosts.hosts.map((h, i) => [h, run.errorHosts.kinds[i], run.errorHosts.ids[i], run.errorHosts.counts[i]]);
    const expected = [
      [b, 0, error('expired'), 2], [b, 0, error('expired;untrusted'), 1], [b, 1, client('c1'), 2], [b, 1, client('c2'), 1],
      [B, 0, error('expired'), 1], [B, 1, client('c1'), 1],
      [a, 0, error('expired'), 1], [a, 0, error('revoked'), 1], [a, 1, client('c1'), 1], [a, 1, client('c2'), 1],
      [dash, 0, error('expired'), 1], [dash, 1, client('c1'), 1],
    ].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!);
    expect(rows).toEqual(expected);
    const day = Date.UTC(2024, 2, 1) / 1000;
    const times = [[b, day + 9 * 3600, day + 11 * 3600], [B, day + 8 * 3600, day + 8 * 3600], [dash, day + 8 * 3600, day + 8 * 3600]]
      .sort((x, y) => x[0]! - y[0]!);
    expect(run.errorHosts.timeHosts.map((h, i) => [h, run.errorHosts.firstSeen[i], run.errorHosts.lastSeen[i]])).toEqual(times);
    expect(run.errorHostsAgain).toBe(0);
    // Without error-host slots, or with a host slot no column fills, a tally keeps none.
    const { errorHosts: _slots, ...withoutHosts } = opts;
    expect(bothAgree(Buffer.from(lines), withoutHosts).errorHosts.hosts).toEqual([]);
    const absent = bothAgree(Buffer.from(lines), { ...opts, slots: 6, errorHosts: { hostSlot: 5, pairSlots: [4, 3] } });
    expect([absent.errorHosts.hosts, absent.errorHosts.timeHosts]).toEqual([[], []]);
    expect(absent.totals[1]).toBe(7);
    // A call filling fewer slots than the tally has: the slots past them are absent, never read.
    const fourColumns = lines.split('\n').map((l) => l.split(' ').slice(0, 4).join(' ')).join('\n');
    const narrow = bothAgree(Buffer.from(fourColumns), { ...opts, fieldCount: 4, colSlot: Int32Array.from([0, 1, 2, 3]), slots: 4, tallySlots: 5,
      errorSlot: 3, errorHosts: { hostSlot: 2, pairSlots: [4, 3] } });
    expect(narrow.errorHosts.hosts.length).toBeGreaterThan(0);
    expect(narrow.errorHosts.kinds.every((k) => k === 1)).toBe(true);
    const hostless = bothAgree(Buffer.from(lines), { ...opts, slots: 3, tallySlots: 5, errorSlot: 2, errorHosts: { hostSlot: 4, pairSlots: [2] } });
    expect(hostless.totals[1]).toBeGreaterThan(0);
    expect(hostless.errorHosts.hosts).toEqual([]);
  });

  it('sort counted values by their bytes, folding ASCII case when asked', () => {
    const hosts = ['b.example', 'B.Example', 'a', 'ab', 'A', '\xe9t\xe9', 'Z', 'b.example', '\xc9T\xc9', 'zz'];
    const lines = hosts.map((h, i) => `${h} ${i % 2 ? 'expired' : 'none'}`).join('\n');
    const opts = { fieldCount: 2, colSlot: Int32Array.from([0, 1]), slots: 2, capacity: 4, errorSlot: 1, emitAll: false };
    const run = bothAgree(Buffer.from(lines, 'latin1'), opts);
    const [folded, errorsRaw] = run.sorted[0]!;
    // Only A-Z fold (the contract's host rule): 'É' (0xc9) stays upper case.
    const foldedKeys = ['a', 'ab', 'b.example', 'z', 'zz', '\xc9t\xc9', '\xe9t\xe9'];
    expect(folded).toEqual({ keys: foldedKeys.join(''), lengths: foldedKeys.map((k) => k.length), counts: [2, 1, 3, 1, 1, 1, 1] });
    // Odd lines have errors: B.Example, ab, \xe9t\xe9, b.example, zz; unfolded, byte order puts upper case first.
    const errorKeys = ['B.Example', 'ab', 'b.example', 'zz', '\xe9t\xe9'];
    expect(errorsRaw).toEqual({ keys: errorKeys.join(''), lengths: errorKeys.map((k) => k.length), counts: [1, 1, 1, 1, 1] });
  });

  it('on lines longer than the bitmap tokenizer takes (constant-memory path)', () => {
    const many = Array.from({ length: 40_000 }, (_, i) => (i % 7 === 0 ? `"q ${i} "x" y"` : `v${i % 50}`)).join(' ');
    const lines = [
      many,
      `a "${'b '.repeat(70_000)}" c`,
      `a "${'b'.repeat(70_000)} unterminated`,
      'x'.repeat(100_000),
      ` ${'-'.repeat(65_535)} end`,
      'short line here',
    ].join('\n');
    for (const fieldCount of [3, 40_000]) {
      const colSlot = Int32Array.from({ length: fieldCount }, (_, i) => (i % 5 === 0 ? i % 4 : -1));
      const run = bothAgree(Buffer.from(lines, 'latin1'), { fieldCount, colSlot, slots: 4, capacity: 4, errorSlot: 2, emitAll: true });
      expect(run.records.length).toBe(6);
    }
  });

  it('with no slots selected', () => {
    const buf = readFileSync(fixtures.edgeCases);
    bothAgree(buf, { fieldCount: 13, colSlot: new Int32Array(13).fill(-1), slots: 0, capacity: 3 });
  });

  it('reports malformed kinds the same way on the edge-case fixture', () => {
    const run = bothAgree(readFileSync(fixtures.edgeCases), { fieldCount: 13, colSlot: colSlot(13, 4), slots: 4, capacity: 100 });
    const kinds = run.records.map((r) => r.kind);
    expect(kinds).toContain(3); // unterminated-quote
    expect(kinds).toContain(4); // field-count
    expect(kinds).toContain(1); // directive
  });
});

describe('native argument checks', () => {
  const addon = loadAddon();
  const tally = new addon.ElffTally(2);
  const buf = Buffer.from('a b\n');
  const ok = [buf, 0, 4, 4, true, 2, new Int32Array([0, 1]), 2, tally, new Uint32Array(4), new Uint8Array(4), new Uint32Array(8), new Uint32Array(2), -1, -1, -1, true, 0] as const;

  it('accepts a well-formed call', () => {
    expect(addon.scanElff(...ok)).toBe(1);
  });

  it('rejects block bounds outside the buffer instead of reading past it', () => {
    const args = [...ok] as unknown[];
    args[2] = 5000;
    expect(() => (addon.scanElff as (...a: unknown[]) => number)(...args)).toThrow(RangeError);
  });

  it('rejects a field count larger than the column map', () => {
    const args = [...ok] as unknown[];
    args[5] = 3;
    expect(() => (addon.scanElff as (...a: unknown[]) => number)(...args)).toThrow(RangeError);
  });

  it('rejects wrong array types', () => {
    const args = [...ok] as unknown[];
    args[9] = new Int32Array(4);
    expect(() => (addon.scanElff as (...a: unknown[]) => number)(...args)).toThrow(TypeError);
  });

  it('clamps capacity to the smallest output array', () => {
    const lines = Buffer.from('a b\nc d\ne f\n');
    const n = addon.scanElff(lines, 0, lines.length, lines.length, true, 2, new Int32Array([0, 1]), 2, new addon.ElffTally(2),
      new Uint32Array(10), new Uint8Array(10), new Uint32Array(4), new Uint32Array(2), -1, -1, -1, true, 0);
    expect(n).toBe(2);
  });

  it('refuses error-host slots outside the tally, which the kernel would index past its ids', () => {
    for (const [host, pairs] of [[2, [0]], [0, [2]], [-2, [0]], [0, [-1]], [0, [0, 1, 1024]]] as const) {
      expect(() => new addon.ElffTally(2, host, Int32Array.from(pairs)), `${host} ${pairs}`).toThrow(RangeError);
    }
    expect(() => new addon.ElffTally(2, 0, [1] as unknown as Int32Array)).toThrow(TypeError);
    expect(() => new addon.ElffTally(2, -1, new Int32Array(0))).not.toThrow();
  });

  it('refuses an object of another kind in place of the tally', () => {
    for (const wrong of [new addon.Interner(2), {}, [], null]) {
      const args = [...ok] as unknown[];
      args[8] = wrong;
      expect(() => (addon.scanElff as (...a: unknown[]) => number)(...args)).toThrow(TypeError);
    }
  });
});

describe('a released ElffTally', () => {
  it.each([['native', native], ['typescript', fallbackKernel]] as const)('(%s) frees its tables and refuses any later use', (_name, kernel) => {
    const tally = kernel.createElffTally(2);
    const out = createElffOutput(4, 2);
    const req: ElffScanRequest = {
      buf: Buffer.from('a b\n'), from: 0, to: 4, limit: 4, atEof: true, fieldCount: 2, colSlot: Int32Array.from([0, 1]), slots: 2,
      dateSlot: -1, timeSlot: -1, errorSlot: -1, emitAll: false,
    };
    kernel.scanElff(req, tally, out);
    expect(tally.size(0)).toBe(1);
    tally.release();
    expect(() => tally.size(0)).toThrow(/released/);
    expect(() => tally.values(0, 0)).toThrow(/released/);
    expect(() => tally.counts(0)).toThrow(/released/);
    expect(() => tally.sortedCounts(0, false, false)).toThrow(/released/);
    expect(() => tally.totals()).toThrow(/released/);
    expect(() => kernel.scanElff({ ...req }, tally, out)).toThrow(/released/);
  });
});
