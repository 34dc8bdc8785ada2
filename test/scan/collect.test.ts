import { describe, expect, it } from 'vitest';
import { ResultCollector, type ResultSink } from '../../src/scan/collect.js';
import type { TaskRunner } from '../../src/scan/pool.js';
import type { ScanResult, ScanTask } from '../../src/scan/task.js';

const task = (path: string, start: number, fields?: string): ScanTask => ({
  path, format: 'proxysg', gzip: false, start, end: start + 10, fileBytes: 100, mtimeMs: 0, ...(fields ? { fields } : {}),
});

/** A runner whose tasks finish in the order given, recording what happened when. */
function fakeRunner(results: (t: ScanTask) => ScanResult, log: string[]): TaskRunner {
  let closed = false;
  return {
    run: async (t: ScanTask) => {
      if (closed) throw new Error('run after close');
      log.push(`run ${t.path}@${t.start} ${t.fields ?? '-'}`);
      await new Promise((r) => setTimeout(r, t.start));
      return results(t);
    },
    close: async () => {
      closed = true;
      log.push('close');
    },
  } as unknown as TaskRunner;
}

/** Opens a result as itself and logs each merge. */
const sink = (log: string[]): ResultSink<ScanResult> => ({ open: (r) => r, merge: (r) => void log.push(`merge ${r.snapshot[0]}`) });

describe('ResultCollector', () => {
  it('stops the threads once every result is in, before merging the last', async () => {
    const log: string[] = [];
    const tasks = [task('a', 0), task('a', 10), task('b', 5)];
    const runner = fakeRunner((t) => ({ snapshot: new Uint8Array([t.start]), usedStartFields: false }), log);
    await new ResultCollector(tasks, runner, sink(log)).runAll();
    expect(log.filter((l) => !l.startsWith('run'))).toEqual(['merge 0', 'merge 5', 'close', 'merge 10']);
  });

  it('keeps the threads while a range must be scanned again under the #Fields in force', async () => {
    const log: string[] = [];
    const tasks = [task('a', 0), task('a', 10, 'guess')];
    // The first range ends with another #Fields, so the second, read under the guess, is scanned again.
    const runner = fakeRunner((t) => ({ snapshot: new Uint8Array([t.start]), usedStartFields: true, ...(t.start === 0 ? { lastFields: 'real' } : {}) }), log);
    await new ResultCollector(tasks, runner, sink(log)).runAll();
    expect(log).toEqual(['run a@0 -', 'run a@10 guess', 'merge 0', 'run a@10 real', 'merge 10', 'close']);
  });

  it('opens the results of shared chunks as they arrive, and merges them once all are in and the threads stop', async () => {
    const log: string[] = [];
    const claims = new SharedArrayBuffer(8);
    const shared = (start: number): ScanTask => ({ ...task('pool', start), shared: { chunks: [task('a', 0), task('a', 10)], claims } });
    const fallback = [task('a', 0), task('a', 10, 'guess')];
    const runner = fakeRunner((t) => ({ snapshot: new Uint8Array([t.start]), usedStartFields: false, mixedFields: false }), log);
    const opening: ResultSink<ScanResult> = { open: (r) => (log.push(`open ${r.snapshot[0]}`), r), merge: sink(log).merge };
    await new ResultCollector([shared(3), shared(6), task('b', 0)], runner, opening, fallback).runAll();
    // Each shared result is opened (decoded) on arrival; merged only when all are in and the threads have stopped.
    expect(log.filter((l) => !l.startsWith('run'))).toEqual(['open 0', 'merge 0', 'open 3', 'open 6', 'close', 'merge 3', 'merge 6']);
  });

  it('opens a large shared result only once the threads have stopped', async () => {
    const log: string[] = [];
    const claims = new SharedArrayBuffer(8);
    const shared = (start: number): ScanTask => ({ ...task('pool', start), shared: { chunks: [task('a', 0), task('a', 10)], claims } });
    const big = new Uint8Array(9 << 20);
    big[0] = 6;
    const runner = fakeRunner((t) => ({ snapshot: t.start === 6 ? big : new Uint8Array([t.start]), usedStartFields: false }), log);
    const opening: ResultSink<ScanResult> = { open: (r) => (log.push(`open ${r.snapshot[0]}`), r), merge: sink(log).merge };
    await new ResultCollector([shared(3), shared(6)], runner, opening, [task('a', 0)]).runAll();
    expect(log.filter((l) => !l.startsWith('run'))).toEqual(['open 3', 'close', 'merge 3', 'open 6', 'merge 6']);
  });

  it('holds a large result of a settled set until the threads of every set have stopped', async () => {
    const log: string[] = [];
    const first = new SharedArrayBuffer(8);
    const second = new SharedArrayBuffer(8);
    const shared = (start: number, claims: SharedArrayBuffer, format: ScanTask['format']): ScanTask =>
      ({ ...task('pool', start), format, shared: { chunks: [task('a', 0), task('a', 10)], claims } });
    const big = new Uint8Array(9 << 20);
    big[0] = 6;
    const runner = fakeRunner((t) => ({ snapshot: t.start === 6 ? big : new Uint8Array([t.start]), usedStartFields: false }), log);
    const opening: ResultSink<ScanResult> = { open: (r) => (log.push(`open ${r.snapshot[0]}`), r), merge: sink(log).merge };
    // The trx set settles at 6 ms, the audit set at 30.
    const tasks = [shared(3, first, 'ejbca-trx'), shared(6, first, 'ejbca-trx'), shared(20, second, 'ejbca-audit'), shared(30, second, 'ejbca-audit')];
    await new ResultCollector(tasks, runner, opening).runAll();
    expect(log.filter((l) => !l.startsWith('run'))).toEqual([
      'open 3', 'merge 3', 'open 20', 'open 30', 'close', 'merge 20', 'merge 30', 'open 6', 'merge 6',
    ]);
  });

  it('scans the files of shared chunks again in fixed ranges when one changed #Fields', async () => {
    const log: string[] = [];
    const claims = new SharedArrayBuffer(8);
    const shared = (start: number): ScanTask => ({ ...task('pool', start), shared: { chunks: [task('a', 0), task('a', 10)], claims } });
    const fallback = [task('a', 0), task('a', 10, 'guess')];
    const runner = fakeRunner((t) => ({
      snapshot: new Uint8Array([t.start + (t.shared ? 100 : 0)]), usedStartFields: t.start > 0,
      ...(t.shared ? { mixedFields: t.start === 2 } : {}), ...(t.path === 'a' && t.start === 0 ? { lastFields: 'real' } : {}),
    }), log);
    await new ResultCollector([shared(1), shared(2)], runner, sink(log), fallback).runAll();
    // Neither shared result is merged; the fallback runs under the usual #Fields rules.
    expect(log).toEqual([
      'run pool@1 -', 'run pool@2 -', 'run a@0 -', 'run a@10 guess', 'merge 0', 'run a@10 real', 'merge 10', 'close',
    ]);
  });
});
