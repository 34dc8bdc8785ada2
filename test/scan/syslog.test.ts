import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/cli/analyze-flow.js';
import { syslogTokens } from '../../src/input/sniff.js';
import { buildReport } from '../../src/report/model.js';
import { fixtures } from '../fixtures/index.js';
import { tempDir } from '../helpers/tmp.js';

/** A ProxySG log as a syslog receiver writes it: a header before every line, directives included. */
function wrap(log: string, header: string): string {
  return log
    .split('\n')
    .map((line) => (line === '' ? line : `${header}${line}`))
    .join('\n');
}

async function proxysgReport(path: string, options: Parameters<typeof analyze>[1]) {
  const { snapshot } = await analyze([path], options);
  const report = buildReport(snapshot, { top: 1_000_000 });
  return { proxysg: report.proxysg, records: report.records, samples: report.malformedSamples.map((s) => [s.reason, s.excerpt]) };
}

describe('ProxySG streamed over syslog', () => {
  const dir = tempDir();
  const log = readFileSync(fixtures.ssl, 'latin1');
  // One #Fields change half way, so ranges past it must take the later schema.
  const changed = readFileSync(fixtures.bluecoat1, 'latin1');

  it('tells the header from the log: 4 tokens, 5 with a tag, 7 for RFC 5424, none for a plain log', () => {
    expect(syslogTokens(Buffer.from(wrap(log, 'Aug  8 12:30:46 10.8.24.10 '), 'latin1'))).toBe(4);
    expect(syslogTokens(Buffer.from(wrap(log, '<134>Aug 18 12:30:46 proxy-1 ProxySG: '), 'latin1'))).toBe(5);
    expect(syslogTokens(Buffer.from(wrap(log, '<134>1 2024-03-01T00:00:01Z proxy-1 ProxySG - - - '), 'latin1'))).toBe(7);
    expect(syslogTokens(Buffer.from(log, 'latin1'))).toBe(0);
    for (const fixture of Object.values(fixtures)) expect(syslogTokens(readFileSync(fixture)), fixture).toBe(0);
  });

  it('reads a plain log with one syslog-looking line as plain, and skips syslog messages with nothing after the header', async () => {
    const relayed = join(dir, 'relayed.log');
    writeFileSync(relayed, log.replace('\n', '\nAug  8 12:30:46 relay #Remark: relayed\n'), 'latin1');
    const plain = join(dir, 'plain.log');
    writeFileSync(plain, log, 'latin1');
    const expected = await proxysgReport(plain, { workers: 0 });
    expect((await proxysgReport(relayed, { workers: 0 })).proxysg).toEqual(expected.proxysg);
    const blanks = join(dir, 'blank-messages.log');
    writeFileSync(blanks, wrap(log, 'Aug  8 12:30:46 10.8.24.10 ').replace(/\n/g, '\nAug  8 12:30:47 10.8.24.10\nAug  8 12:30:47 10.8.24.10 \t\n'), 'latin1');
    const got = await proxysgReport(blanks, { workers: 0 });
    expect(got.proxysg).toEqual(expected.proxysg);
    expect(got.records.malformed).toBe(expected.records.malformed);
  });

  it.each([
    ['a header', 'Aug  8 12:30:46 10.8.24.10 '],
    ['a priority, a header and a tag', '<134>Aug 18 12:30:46 proxy-1 ProxySG: '],
    ['an RFC 5424 header', '<134>1 2024-03-01T00:00:01.003Z proxy-1 ProxySG 123 access - '],
  ])('with %s, counts as the log itself, whole or in ranges, plain or gzip', async (_name, header) => {
    for (const [name, text] of [['ssl', log], ['fields-change', changed]] as const) {
      const plain = join(dir, `${name}.log`);
      writeFileSync(plain, text, 'latin1');
      const expected = await proxysgReport(plain, { workers: 0 });
      const wrapped = join(dir, `${name}-syslog.log`);
      writeFileSync(wrapped, wrap(text, header), 'latin1');
      const gz = join(dir, `${name}-syslog.log.gz`);
      writeFileSync(gz, gzipSync(Buffer.from(wrap(text, header), 'latin1')));
      for (const [path, options] of [
        [wrapped, { workers: 0 }],
        [wrapped, { workers: 2 }],
        [wrapped, { workers: 2, chunkBytes: 700 }],
        [gz, { workers: 0 }],
      ] as const) {
        const got = await proxysgReport(path, options);
        expect(got.proxysg, `${name} ${JSON.stringify(options)}`).toEqual(expected.proxysg);
        expect(got.records.total).toBe(expected.records.total);
        expect(got.records.malformed).toBe(expected.records.malformed);
      }
    }
  });
});
