import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEjbcaTrx, type EjbcaTrxGenOptions, type EjbcaTrxGenStats } from '../../src/generate/ejbca-trx.js';
import type { Report } from '../../src/report/model.js';
import { analyzeJson } from '../helpers/analyze.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

async function generate(name: string, opts: EjbcaTrxGenOptions): Promise<{ path: string; stats: EjbcaTrxGenStats }> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  const stats = await generateEjbcaTrx(opts, out);
  await new Promise<void>((resolve) => out.end(resolve));
  return { path, stats };
}

function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The generator writes logs as EJBCA's PatternLogger does and counts what it wrote: the oracle. */
function expectMatches(report: Report, stats: EjbcaTrxGenStats): void {
  const o = report.ocsp!;
  expect(report.records.malformed).toBe(stats.malformed);
  expect(o.lines).toBe(stats.rows);
  expect(o.requests).toBe(stats.requests);
  expect(o.certIds).toBe(stats.certIds);
  expect(o.otherLoggerLines).toBe(stats.otherLoggerLines);
  expect(o.byStatus).toEqual(expect.objectContaining(stats.byStatus));
  expect(Object.values(o.byStatus).reduce((a, b) => a + b, 0)).toBe(stats.requests);
  expect(sortKeys(o.byCertStatus)).toEqual(sortKeys(stats.byCertStatus));
  if (o.byRevocationReason) expect(sortKeys(o.byRevocationReason)).toEqual(sortKeys(stats.byRevocationReason));
  const times = stats.replyTimes;
  expect(o.replyTimeMs.count).toBe(times.length);
  expect(o.replyTimeMs.min).toBe(Math.min(...times));
  expect(o.replyTimeMs.max).toBe(Math.max(...times));
  expect(o.replyTimeMs.mean).toBeCloseTo(times.reduce((a, b) => a + b, 0) / times.length, 2);
  for (const [key, p] of [['p50', 50], ['p99', 99]] as const) {
    const exact = exactPercentile(times, p);
    expect(Math.abs(o.replyTimeMs[key] - exact)).toBeLessThanOrEqual(Math.max(1, exact * 0.001));
  }
  if (stats.processTimes) expect(o.processTimeMs?.count).toBe(stats.processTimes.length);
  else expect(o.processTimeMs).toBeUndefined();
}

const sortKeys = (o: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(o).sort());

describe('generated transaction logs of every era and layout are read exactly', () => {
  const eras = ['6.x', '7.0-7.7', '7.8+'] as const;
  const layouts = ['bare', 'docs', 'jboss7', 'wildfly'] as const;
  for (const era of eras) {
    for (const layout of layouts) {
      it(`${era} / ${layout}, detected without options`, async () => {
        const { path, stats } = await generate(`${era}-${layout}.log`, {
          bytes: 150_000, seed: 3, era, layout, malformedRate: 0.02, otherLoggerRate: layout === 'bare' ? 0 : 0.05,
        });
        const json = await analyzeJson([path]);
        const report = JSON.parse(json) as Report;
        expect(report.inputs[0]!.format).toBe('ejbca-trx');
        expectMatches(report, stats);
        // Split anywhere, the same answer.
        for (const chunk of [997, 10_000]) expect(await analyzeJson([path], { chunkBytes: chunk })).toBe(json);
      });
    }
  }

  it('the sample order with PROCESS_TIME', async () => {
    const { path, stats } = await generate('process-time.log', { bytes: 100_000, seed: 9, era: '7.0-7.7', layout: 'docs', processTime: true });
    const report = JSON.parse(await analyzeJson([path])) as Report;
    expectMatches(report, stats);
    const p = stats.processTimes!;
    expect(report.ocsp!.processTimeMs!.max).toBe(Math.max(...p));
  });
});
