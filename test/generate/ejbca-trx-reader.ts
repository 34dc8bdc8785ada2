/**
 * A small regex-based reader of EJBCA trx logs for the generator tests, written from the
 * spec (§6 prefixes, §9 row regex) rather than from the generator: it strips the layout
 * prefix, gives unprefixed lines to the preceding event's logger, and classifies rows.
 */
import { expect } from 'vitest';
import type { EjbcaTrxGenStats, TrxEra, TrxLayout } from '../../src/generate/ejbca-trx.js';

const TRX = 'org.cesecore.certificates.ocsp.logging.TransactionLogger';
const STATUS_NAMES: Record<string, string> = {
  0: 'successful', 1: 'malformedRequest', 2: 'internalError', 3: 'tryLater', 5: 'sigRequired', 6: 'unauthorized',
};
const CERT_STATUS_NAMES = ['good', 'revoked', 'unknown'];

/** The properties-era default row regex of spec §9, with the 7.8+ and PROCESS_TIME insertions. */
export function rowRegex(era: TrxEra, processTime = false): RegExp {
  return new RegExp(
    '^(?<session>[0-9a-f]{32}|);(?<logId>-?\\d+);(?<status>\\d+);(?<reqName>.*?)"(?<clientIp>[^"]*)";"(.*?)";"(.*?)";' +
    '([0-9a-f]+);"(?<logTime>[^"]*)";(?<reply>-?\\d+);' + (processTime ? '(?<process>-?\\d+);' : '') +
    '(?<numCert>\\d+);0;0;0;0;0;0;0;"(?<issuerDn>.*?)";(?<nameHash>[0-9a-f]+);(?<keyHash>[0-9a-f]+);' +
    (era === '7.8+' ? '"(?<ocspIssuer>.*?)";' : '') +
    '(?<digest>[0-9.]+);(?<serial>[0-9a-f]+);(?<certStatus>[0-2]);(?<profile>-?\\d+);(?<xff>[0-9a-f.,: ?]*)$',
  );
}

const LEVEL = '(?<level>DEBUG|INFO |WARN |ERROR)';
const PREFIX: Record<Exclude<TrxLayout, 'bare'>, RegExp> = {
  docs: new RegExp(`^(?<stamp>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) ${LEVEL} \\[(?<category>[^\\]]+)\\] `),
  jboss7: new RegExp(`^(?<stamp>\\d{2}:\\d{2}:\\d{2},\\d{3}) ${LEVEL} \\[(?<category>[^\\]]+)\\] \\((?<thread>[^)]*)\\) `),
  wildfly: new RegExp(`^(?<stamp>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) ${LEVEL} \\[(?<category>[^\\]]+)\\] \\((?<thread>[^)]*)\\) `),
};

export interface Row {
  readonly f: Record<string, string>;
  readonly message: string;
  readonly prefixed: boolean;
  readonly stamp: string | undefined;
}

const validHex = (s: string): boolean => s === '0' || s.length % 2 === 0;

/**
 * A small independent reader: strips the layout prefix, attributes unprefixed lines to the
 * preceding event's logger, and classifies trx messages as rows or malformed.
 */
export function check(text: string, era: TrxEra, layout: TrxLayout, processTime = false) {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  const re = rowRegex(era, processTime);
  const rows: Row[] = [];
  const malformedLines: string[] = [];
  let malformed = 0;
  let other = 0;
  let current = 'trx';
  for (const line of lines) {
    let message = line;
    let prefixed = false;
    let stamp: string | undefined;
    if (layout !== 'bare') {
      const m = PREFIX[layout].exec(line);
      if (m) {
        current = m.groups!.category === TRX ? 'trx' : 'other';
        if (current === 'trx') expect(m.groups!.level).toBe('DEBUG');
        message = line.slice(m[0].length);
        prefixed = true;
        stamp = m.groups!.stamp;
      }
    }
    if (current === 'other') {
      other++;
      continue;
    }
    const m = re.exec(message);
    const f = m?.groups;
    if (!f || !validHex(f.nameHash!) || !validHex(f.keyHash!) || !validHex(f.serial!)) {
      malformed++;
      malformedLines.push(message);
    } else rows.push({ f, message, prefixed, stamp });
  }
  return { lines, rows, malformed, malformedLines, other };
}

/** Recomputes the stats of the contract from the parsed rows. */
export function statsFrom(rows: readonly Row[]) {
  const byStatus: Record<string, number> = {};
  const byCertStatus: Record<string, number> = {};
  const replyTimes: number[] = [];
  const processTimes: number[] = [];
  const seen = new Set<string>();
  let certIds = 0;
  for (const { f } of rows) {
    const key = `${f.session};${f.logId}`;
    if (!seen.has(key)) {
      seen.add(key);
      const name = STATUS_NAMES[f.status!]!;
      byStatus[name] = (byStatus[name] ?? 0) + 1;
      certIds += Number(f.numCert);
      replyTimes.push(Number(f.reply));
      if (f.process !== undefined) processTimes.push(Number(f.process));
    }
    if (f.status === '0') {
      const name = CERT_STATUS_NAMES[Number(f.certStatus)]!;
      byCertStatus[name] = (byCertStatus[name] ?? 0) + 1;
    }
  }
  return { requests: seen.size, rows: rows.length, byStatus, byCertStatus, certIds, replyTimes, processTimes };
}

export function expectStatsMatch(stats: EjbcaTrxGenStats, parsed: ReturnType<typeof check>, buf: Buffer) {
  const again = statsFrom(parsed.rows);
  expect(stats.bytes).toBe(buf.length);
  expect(stats.lines).toBe(parsed.lines.length);
  expect(stats.malformed).toBe(parsed.malformed);
  expect(stats.otherLoggerLines).toBe(parsed.other);
  expect(stats.requests).toBe(again.requests);
  expect(stats.rows).toBe(again.rows);
  expect(stats.certIds).toBe(again.certIds);
  expect(stats.byStatus).toEqual(again.byStatus);
  expect(stats.byCertStatus).toEqual(again.byCertStatus);
  expect(stats.replyTimes).toEqual(again.replyTimes);
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  expect(sum(stats.byStatus)).toBe(stats.requests);
  expect(stats.rows).toBeGreaterThanOrEqual(stats.requests);
  expect(stats.byStatus.tryLater).toBeUndefined();
}
