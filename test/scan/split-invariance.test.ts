import { createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runTask } from '../../src/scan/run-task.js';
import type { ScanTask } from '../../src/scan/task.js';
import { decodeSnapshot } from '../../src/snapshot/codec.js';
import { Snapshot } from '../../src/snapshot/snapshot.js';
import { analyzeJson, reportJson } from '../helpers/analyze.js';
import { analyze } from '../../src/cli/analyze-flow.js';
import { tempDir } from '../helpers/tmp.js';
import { writeGenerated } from '../helpers/streams.js';
import { fixtures } from '../fixtures/index.js';
import { generateEjbcaTrx } from '../../src/generate/ejbca-trx.js';
import { generateEjbcaAudit } from '../../src/generate/ejbca-audit.js';

const dir = tempDir();

/** One task over [start, end) of a file, given the #Fields in force at start. */
function task(path: string, start: number, end: number, fields?: string, blockBytes?: number): ScanTask {
  const t: ScanTask = { path, format: 'proxysg', gzip: false, start, end, fileBytes: statSync(path).size, mtimeMs: 0 };
  if (fields !== undefined) t.fields = fields;
  if (blockBytes !== undefined) t.blockBytes = blockBytes;
  return t;
}

describe('every record is counted exactly once, wherever ranges split a file', () => {
  it.each(['edgeCases', 'streaming'] as const)('%s: every single split point, halves merged = whole', async (name) => {
    const path = fixtures[name];
    const size = statSync(path).size;
    const whole = reportJson(decodeSnapshot((await runTask(task(path, 0, -1))).snapshot));
    for (let p = 1; p < size; p++) {
      const first = await runTask(task(path, 0, p));
      // The second half starts with the #Fields the first half ended with, as the planner arranges.
      const second = await runTask(task(path, p, -1, first.lastFields));
      const merged = new Snapshot().merge(decodeSnapshot(first.snapshot)).merge(decodeSnapshot(second.snapshot));
      const json = reportJson(merged);
      if (json !== whole) expect({ split: p, json }).toEqual({ split: p, json: whole });
    }
  });

  it.each(['edgeCases', 'ssl', 'bluecoat1', 'bluecoat4'] as const)('%s: many chunk sizes through the planner (guessed #Fields checked)', async (name) => {
    const path = fixtures[name];
    const whole = await analyzeJson([path]);
    const size = statSync(path).size;
    const tiny = name === 'edgeCases' ? [1, 2, 3, 7] : [];
    for (const chunk of [...tiny, 64, 100, 333, 1000, 4096, Math.ceil(size / 2), size, size * 2]) {
      expect(await analyzeJson([path], { chunkBytes: chunk }), `chunk ${chunk}`).toBe(whole);
    }
  });

  it('tiny read blocks and records longer than a block give the same result', async () => {
    const long = `2024-03-01 10:00:00 10.0.0.9 long.example.com expired "${'x'.repeat(100_000)}" OBSERVED - high 9 - - TCP_TUNNELED\r\n`;
    const text = readFileSync(fixtures.edgeCases, 'latin1').replace('#Fields: date time cs-host', `${long}#Fields: date time cs-host`);
    const path = join(dir, 'long-record.log');
    writeFileSync(path, text, 'latin1');
    const whole = reportJson(decodeSnapshot((await runTask(task(path, 0, -1))).snapshot));
    expect(whole).toContain('long.example.com');
    for (const block of [1, 2, 5, 17, 256, 4096]) {
      const json = reportJson(decodeSnapshot((await runTask(task(path, 0, -1, undefined, block))).snapshot));
      expect(json, `block ${block}`).toBe(whole);
    }
    expect(await analyzeJson([path], { chunkBytes: 50_000 })).toBe(await analyzeJson([path]));
  });

  it('files scanned as one group give what they give scanned one by one, and each is listed whole', async () => {
    // A file without #Fields, after others that have one, must not be read with their schema.
    const headless = join(dir, 'headless.log');
    writeFileSync(headless, readFileSync(fixtures.ssl, 'latin1').split('\n').filter((l) => !l.startsWith('#')).slice(0, 5).join('\n'), 'latin1');
    const paths = [...(['ssl', 'edgeCases', 'bluecoat1', 'bluecoat4', 'http'] as const).map((name) => fixtures[name]), headless];
    const separately = new Snapshot();
    for (const path of paths) separately.merge(decodeSnapshot((await runTask(task(path, 0, -1))).snapshot));
    const [first, ...rest] = paths.map((path) => task(path, 0, -1));
    const grouped = decodeSnapshot((await runTask({ ...first!, group: rest })).snapshot);
    expect(reportJson(grouped)).toBe(reportJson(separately));
    const listed = [...grouped.meta.inputs.values()].map((i) => [i.path, i.ranges]);
    expect(listed.sort()).toEqual(paths.map((p) => [p, [[0, statSync(p).size]]]).sort());
    // Through the planner: the run groups them (workers 0 plans one share), with or without a pool.
    const whole = reportJson(separately);
    expect(await analyzeJson(paths)).toBe(whole);
    expect(await analyzeJson(paths, { workers: 2 })).toBe(whole);
  });

  it('files in chunks the threads share give what the fixed ranges give, a #Fields change included', async () => {
    // edge-cases and the bluecoat logs change #Fields part-way: there the threads give up the
    // shared chunks and the files are scanned again in fixed ranges.
    const big = join(dir, 'concatenated.log');
    writeFileSync(big, Buffer.concat((['ssl', 'bluecoat1', 'edgeCases'] as const).map((name) => readFileSync(fixtures[name]))));
    // Records before a file's first #Fields have no schema, in whichever chunk they fall.
    const preFields = join(dir, 'records-before-fields.log');
    const ssl = readFileSync(fixtures.ssl, 'latin1');
    writeFileSync(preFields, ssl.split('\n').filter((l) => l !== '' && !l.startsWith('#')).slice(0, 8).join('\n') + '\n' + ssl, 'latin1');
    const sets = [[fixtures.ssl], [fixtures.ssl, fixtures.http, fixtures.ssl], [fixtures.edgeCases], [fixtures.bluecoat4, fixtures.ssl], [big], [preFields]];
    for (const paths of sets) {
      const whole = await analyzeJson(paths);
      for (const sharedChunkBytes of [7, 1000]) {
        const { snapshot } = await analyze(paths, { workers: 2, sharedChunkBytes });
        expect(reportJson(snapshot), `${paths.join(' ')} in chunks of ${sharedChunkBytes}`).toBe(whole);
        for (const path of new Set(paths)) expect(snapshot.meta.inputs.get(path)!.ranges).toEqual([[0, statSync(path).size]]);
      }
    }
  });

  it('EJBCA logs in chunks the threads share give what one range gives, reconciled or not', async () => {
    const trx6 = join(dir, 'trx-6x.log');
    const trx7 = join(dir, 'trx-7x.log');
    const audit = join(dir, 'audit.log');
    const auditTrx = join(dir, 'audit-trx.log');
    await writeGenerated(trx6, (out) => generateEjbcaTrx({ bytes: 40_000, seed: 21, era: '6.x', layout: 'docs', malformedRate: 0.02 }, out));
    await writeGenerated(trx7, (out) => generateEjbcaTrx({ bytes: 30_000, seed: 22, era: '7.8+', layout: 'bare' }, out));
    const side = createWriteStream(auditTrx);
    await writeGenerated(audit, (out) => generateEjbcaAudit({ bytes: 60_000, seed: 23, layout: 'docs', malformedRate: 0.03, undecodableRate: 0.03, trxOut: side }, out));
    await new Promise<void>((resolve) => side.end(resolve));
    for (const paths of [[trx6], [trx6, trx7], [audit], [audit, auditTrx]]) {
      const whole = await analyzeJson(paths, { verifySignatures: false });
      for (const sharedChunkBytes of [97, 4000]) {
        const { snapshot } = await analyze(paths, { workers: 2, sharedChunkBytes, verifySignatures: false });
        expect(reportJson(snapshot), `${paths.join(' ')} in chunks of ${sharedChunkBytes}`).toBe(whole);
        for (const path of new Set(paths)) expect(snapshot.meta.inputs.get(path)!.ranges).toEqual([[0, statSync(path).size]]);
      }
    }
  });

  it('gzip files scanned as one group give what they give one by one, a corrupt one included', async () => {
    const paths = (['ssl', 'bluecoat1', 'http'] as const).map((name) => {
      const path = join(dir, `${name}.log.gz`);
      writeFileSync(path, gzipSync(readFileSync(fixtures[name])));
      return path;
    });
    // Corrupt in the middle: the records before the break count, and the group goes on.
    const bad = Buffer.from(gzipSync(readFileSync(fixtures.ssl)));
    for (let i = bad.length >> 1; i < (bad.length >> 1) + 16; i++) bad[i] = bad[i]! ^ 0xff;
    const corrupt = join(dir, 'corrupt.log.gz');
    writeFileSync(corrupt, bad);
    const all = [paths[0]!, corrupt, ...paths.slice(1)];
    const gz = (path: string): ScanTask => ({ ...task(path, 0, -1), gzip: true });
    const separately = new Snapshot();
    for (const path of all) separately.merge(decodeSnapshot((await runTask(gz(path))).snapshot));
    const result = await runTask({ ...gz(all[0]!), group: all.slice(1).map(gz) });
    const grouped = decodeSnapshot(result.snapshot);
    expect(reportJson(grouped)).toBe(reportJson(separately));
    expect(grouped.meta.fileErrors.map((e) => e.path)).toEqual([corrupt]);
    expect(result.error).toBeDefined();
    expect(grouped.proxysg!.requests).toBeGreaterThan(0);
  });

  it('a file without a final newline, with CRLF, counts its last record', async () => {
    const path = join(dir, 'no-final-newline.log');
    writeFileSync(path, '#Fields: date time cs-host\r\n2024-01-01 00:00:00 a.example\r\n2024-01-01 00:00:01 b.example');
    const report = JSON.parse(await analyzeJson([path], { chunkBytes: 40 })) as { proxysg: { requests: number } };
    expect(report.proxysg.requests).toBe(2);
  });
});
