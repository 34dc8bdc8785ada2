import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LatencyStats } from '../../src/aggregate/latency.js';
import { describeInputs } from '../../src/input/discover.js';
import type { Report } from '../../src/report/model.js';
import { runTask } from '../../src/scan/run-task.js';
import type { ScanTask } from '../../src/scan/task.js';
import { decodeSnapshot } from '../../src/snapshot/codec.js';
import { Snapshot } from '../../src/snapshot/snapshot.js';
import { analyzeJson, reportJson } from '../helpers/analyze.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'ejbca', 'trx-6x-docs.log');
const dir = tempDir();

const ocspOf = (json: string): unknown => {
  const r = JSON.parse(json) as Report;
  return { records: r.records, ocsp: r.ocsp };
};

describe('EJBCA transaction log, 6.x default order, docs layout (every line checked by hand)', () => {
  it('counts rows, requests, statuses, latency, timeline and charging exactly', async () => {
    const r = JSON.parse(await analyzeJson([fixture])) as Report;
    expect(r.inputs[0]!.format).toBe('ejbca-trx');
    expect(r.records).toEqual({ total: 11, malformed: 3, malformedByReason: { 'bad-hex': 1, 'bad-number': 1, truncated: 1 } });
    const o = r.ocsp!;
    expect([o.lines, o.requests, o.certIds, o.otherLoggerLines]).toEqual([8, 5, 8, 2]);
    expect(o.byStatus).toEqual({ successful: 4, unauthorized: 1 });
    // Rows of successful requests only: the unauthorized row's default CERT_STATUS 0 is not "good".
    expect(o.byCertStatus).toEqual({ good: 3, revoked: 2, unknown: 2 });
    expect(o.byRevocationReason).toBeUndefined(); // REV_REASON is not in this order
    expect(o.processTimeMs).toBeUndefined();
    expect(o.replyTimeMs).toEqual({ count: 5, min: 2, mean: 309.6, p50: 9, p90: 1500, p99: 1500, p999: 1500, max: 1500 });
    expect(o.timeline).toEqual([
      { start: '2017-02-21T12:00:00Z', requests: 2 },
      { start: '2017-02-21T13:00:00Z', requests: 1 },
      { start: '2017-02-22T00:00:00Z', requests: 1 },
      { start: '2017-03-01T00:00:00Z', requests: 1 },
    ]);
    expect(o.byClient).toEqual([
      { client: '10.1.2.3', requests: 2, certIds: 4 },
      { client: '192.0.2.10', requests: 2, certIds: 3 },
      { client: '192.0.2.11', requests: 1, certIds: 1 },
    ]);
    expect(o.charging).toEqual([
      { client: '10.1.2.3', month: '2017-02', requests: 1, certIds: 3 },
      { client: '10.1.2.3', month: '2017-03', requests: 1, certIds: 1 },
      { client: '192.0.2.10', month: '2017-02', requests: 2, certIds: 3 },
      { client: '192.0.2.11', month: '2017-02', requests: 1, certIds: 1 },
    ]);
    expect(o.byIssuer).toEqual([{ issuer: 'CN=ManagementCA,O=EJBCA Sample,C=SE', requests: 4 }]);
    expect(o.requestors).toEqual({ 'CN=client,O=the org,C=SE': 1 });
  });

  it('gives the same result at every split point (requests straddling ranges counted once)', async () => {
    const [input] = await describeInputs([fixture]);
    const size = statSync(fixture).size;
    const task = (start: number, end: number): ScanTask => ({
      path: fixture, format: 'ejbca-trx', gzip: false, start, end, fileBytes: size, mtimeMs: 0, trx: input!.trx!,
    });
    const whole = reportJson(decodeSnapshot((await runTask(task(0, -1))).snapshot));
    for (let p = 1; p < size; p++) {
      const merged = new Snapshot()
        .merge(decodeSnapshot((await runTask(task(0, p))).snapshot))
        .merge(decodeSnapshot((await runTask(task(p, -1))).snapshot));
      const json = reportJson(merged);
      if (json !== whole) expect({ split: p, json }).toEqual({ split: p, json: whole });
    }
    for (const chunk of [7, 100, 1000]) expect(await analyzeJson([fixture], { chunkBytes: chunk })).toBe(await analyzeJson([fixture]));
  });

  it('counts a request split across rotated files once, plain or gzip', async () => {
    const text = readFileSync(fixture, 'latin1');
    const cut = text.indexOf('\n5f1a3c9b') + 1; // between the two rows of request 1234
    writeFileSync(join(dir, 'transactions.log.2017-02-21'), text.slice(0, cut), 'latin1');
    writeFileSync(join(dir, 'transactions.log'), text.slice(cut), 'latin1');
    const whole = ocspOf(await analyzeJson([fixture]));
    expect(ocspOf(await analyzeJson([dir]))).toEqual(whole);
    writeFileSync(join(dir, 'transactions.log.2017-02-21'), gzipSync(Buffer.from(text.slice(0, cut), 'latin1')));
    expect(ocspOf(await analyzeJson([dir]))).toEqual(whole);
  });

  it('gives identical JSON with the TypeScript kernel and with 2 workers', async () => {
    const base = await runCli(['analyze', fixture, '--json', '--workers', '1', '--chunk-size', '500']);
    expect(base.code).toBe(0);
    const ts = await runCli(['analyze', fixture, '--json', '--workers', '2', '--chunk-size', '300'], { env: { CERTCRUNCH_NATIVE: '0' } });
    expect(ts.stdout).toBe(base.stdout);
  });
});

describe('a custom order given through ocsp.properties', () => {
  it('reads other separators, REV_REASON, PROCESS_TIME and the date format and zone', async () => {
    const props = join(dir, 'ocsp.properties');
    writeFileSync(
      props,
      [
        '# custom logging',
        'ocsp.trx-log-order = ${SESSION_ID}|${LOG_ID}|${STATUS}|\\',
        '    ${CLIENT_IP}|${LOG_TIME}|${REPLY_TIME}|${PROCESS_TIME}|${NUM_CERT_ID}|${CERT_STATUS}|${REV_REASON}|\\"${ISSUER_NAME_DN}\\"',
        'ocsp.log-date=dd.MM.yyyy HH:mm',
        'ocsp.log-timezone=GMT+2',
      ].join('\n'),
    );
    const log = join(dir, 'custom.trx');
    writeFileSync(
      log,
      [
        'ab01|1|0|10.0.0.1|21.02.2017 01:30|5|2|1|1|1|"CN=CA"',
        'ab01|2|0|10.0.0.1|21.02.2017 02:30|7|3|1|1|4|"CN=CA"',
        'ab01|3|0|10.0.0.2|21.02.2017 02:45|9|4|1|0|-1|"CN=CA"',
        'ab01|4|2|10.0.0.2|21.02.2017 02:50|1|1|0|0|-1|"0"',
        'ab01|5|0|10.0.0.2|21.02.2017 02:55|x|1|1|0|-1|"CN=CA"',
      ].join('\n') + '\n',
    );
    const out = await runCli(['analyze', log, '--json', '--ocsp-properties', props, '--format', 'ejbca-trx']);
    expect(out.stderr).toBe('');
    const r = JSON.parse(out.stdout) as Report;
    const o = r.ocsp!;
    expect(r.records.malformedByReason).toEqual({ 'bad-number': 1 });
    expect(o.requests).toBe(4);
    expect(o.byRevocationReason).toEqual({ keyCompromise: 1, superseded: 1 });
    expect(o.byCertStatus).toEqual({ revoked: 2, good: 1 });
    expect(o.processTimeMs).toEqual({ count: 4, min: 1, mean: 2.5, p50: 2, p90: 4, p99: 4, p999: 4, max: 4 });
    // 01:30 at GMT+2 is 23:30 UTC the day before.
    expect(o.timeline).toEqual([
      { start: '2017-02-20T23:00:00Z', requests: 1 },
      { start: '2017-02-21T00:00:00Z', requests: 3 },
    ]);
  });
});

describe('a layout whose date prints whole seconds', () => {
  it('is an EJBCA log, not ELFF data lines, when its pattern is given', async () => {
    const row = '5f1a3c9b0a000a151b7e44c29d03f1a7;1;0;0"192.0.2.10";"0";"0";0;"2024-07-01:12:30:00:GMT";7;1;0;0;0;0;0;0;0;"CN=ManagementCA,O=EJBCA Sample,C=SE";a9d7641581b76da92fcd48afa8fcb1e81af04f25;6faee9603858141d52e86c3c24dd3f609604265d;1.3.14.3.2.26;008a3f1c2d4e5f60718293;0;1;';
    const log = join(dir, 'whole-seconds.log');
    const prefix = '2024-07-01 14:30:00 DEBUG [org.cesecore.certificates.ocsp.logging.TransactionLogger] (default task-3) ';
    writeFileSync(log, `${prefix}${row}\n${prefix}${row.replace(';1;0;0', ';2;0;0')}\n`);
    const out = await runCli(['analyze', log, '--json', '--log4j-pattern', '%d{yyyy-MM-dd HH:mm:ss} %-5p [%c] (%t) %s%e%n']);
    expect(out.stderr).toBe('');
    const r = JSON.parse(out.stdout) as Report;
    expect(r.inputs[0]!.format).toBe('ejbca-trx');
    expect([r.records.malformed, r.ocsp!.requests]).toEqual([0, 2]);
  });
});

describe('layouts that print the logger padded or abbreviated, or a date with its offset', () => {
  const row = '5f1a3c9b0a000a151b7e44c29d03f1a7;1;0;0"192.0.2.10";"0";"0";0;"2024-07-01:12:30:00:GMT";7;1;0;0;0;0;0;0;0;"CN=ManagementCA,O=EJBCA Sample,C=SE";a9d7641581b76da92fcd48afa8fcb1e81af04f25;6faee9603858141d52e86c3c24dd3f609604265d;1.3.14.3.2.26;008a3f1c2d4e5f60718293;0;1;';
  it.each([
    ['%d %-5p [%-20c{1}] %m%n', `2024-07-01 14:30:00,001 DEBUG [TransactionLogger   ] ${row}\n2024-07-01 14:30:00,002 DEBUG [Other               ] hello\n`],
    ['%d{HH:mm:ss,SSS} %-5p [%c{1.}] (%t) %s%E%n', `12:30:00,001 DEBUG [o.c.c.o.l.TransactionLogger] (default task-1) ${row}\n`],
    ['%d{yyyy-MM-dd HH:mm:ss,SSS Z} %m%n', `2024-07-01 14:30:00,001 +0200 ${row}\n`],
  ])('%s', async (layout, text) => {
    const log = join(dir, 'layout.log');
    writeFileSync(log, text);
    for (const env of [{}, { CERTCRUNCH_NATIVE: '0' }]) {
      const out = await runCli(['analyze', log, '--json', '--format', 'ejbca-trx', '--log4j-pattern', layout], { env });
      expect(out.stderr).toBe('');
      const r = JSON.parse(out.stdout) as Report;
      expect([r.records.malformed, r.ocsp!.requests]).toEqual([0, 1]);
    }
  });
});

describe('values EJBCA leaves unset, and values no responder writes', () => {
  it('records no latency for a time of -1 and counts a NUM_CERT_ID that is no count as 0, however split', async () => {
    const props = join(dir, 'ocsp-unset.properties');
    writeFileSync(props, 'ocsp.trx-log-order = ${SESSION_ID}|${LOG_ID}|${STATUS}|${CLIENT_IP}|${REPLY_TIME}|${PROCESS_TIME}|${NUM_CERT_ID}\n');
    const log = join(dir, 'unset.trx');
    writeFileSync(
      log,
      [
        'ab01|1|0|10.0.0.1|5|-1|1', // PROCESS_TIME never set
        'ab01|2|0|10.0.0.2|6|3|-1', // a negative count
        'ab01|3|0|10.0.0.2|-1|2|2',
        'ab01|4|0|10.0.0.3|7|4|2147483648', // past a Java int
      ].join('\n') + '\n',
    );
    const outputs: string[] = [];
    for (const split of [['--workers', '0'], ['--workers', '3', '--chunk-size', '40']]) {
      const out = await runCli(['analyze', log, '--json', '--ocsp-properties', props, '--format', 'ejbca-trx', ...split]);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const o = (JSON.parse(out.stdout) as Report).ocsp!;
      expect(o.requests).toBe(4);
      expect(o.certIds).toBe(3);
      expect(o.byClient).toEqual([
        { client: '10.0.0.2', requests: 2, certIds: 2 },
        { client: '10.0.0.1', requests: 1, certIds: 1 },
        { client: '10.0.0.3', requests: 1, certIds: 0 },
      ]);
      expect([o.replyTimeMs.count, o.replyTimeMs.min, o.replyTimeMs.max]).toEqual([3, 5, 7]);
      expect([o.processTimeMs!.count, o.processTimeMs!.min, o.processTimeMs!.max]).toEqual([3, 2, 4]);
      outputs.push(JSON.stringify(o));
    }
    expect(outputs[1]).toBe(outputs[0]);
  });
});

describe('latency histograms', () => {
  it('merge exactly: parts merged encode like the whole', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => 1 + ((i * 7919) % 5000) + (i % 97 === 0 ? 3_000_000 : 0));
    const whole = new LatencyStats();
    values.forEach((v) => whole.record(v));
    const parts = [new LatencyStats(), new LatencyStats(), new LatencyStats()];
    values.forEach((v, i) => parts[i % 3]!.record(v));
    const merged = parts.reduce((a, b) => a.merge(LatencyStats.decode({ histogram: b.encodeHistogram(), count: b.count, sum: b.sum, min: b.min, max: b.max })), new LatencyStats());
    expect(merged.summary()).toEqual(whole.summary());
    expect(Buffer.from(merged.encodeHistogram()).equals(Buffer.from(whole.encodeHistogram()))).toBe(true);
    const sorted = [...values].sort((a, b) => a - b);
    const exactP99 = sorted[Math.ceil(0.99 * sorted.length) - 1]!;
    expect(Math.abs(whole.summary().p99 - exactP99) / exactP99).toBeLessThan(0.001);
  });
});
