import { describe, it, expect } from 'vitest';
import { collectingStream } from '../helpers/streams.js';
import { generateEjbcaTrx, type EjbcaTrxGenOptions, type TrxEra, type TrxLayout } from '../../src/generate/ejbca-trx.js';
import { compileJavaDatePattern } from '../../src/generate/java-date.js';
import { check, expectStatsMatch, statsFrom } from './ejbca-trx-reader.js';

async function generate(opts: EjbcaTrxGenOptions) {
  const sink = collectingStream();
  const stats = await generateEjbcaTrx(opts, sink.stream);
  const buf = sink.bytes();
  return { buf, text: buf.toString('utf8'), stats };
}

const ERAS: readonly TrxEra[] = ['6.x', '7.0-7.7', '7.8+'];
const LAYOUTS: readonly TrxLayout[] = ['bare', 'docs', 'jboss7', 'wildfly'];

describe('generateEjbcaTrx', () => {
  it('is deterministic for a seed and varies across seeds', async () => {
    const opts: EjbcaTrxGenOptions = { bytes: 200_000, seed: 7, era: '6.x', layout: 'wildfly', malformedRate: 0.02, otherLoggerRate: 0.05 };
    const a = await generate(opts);
    const b = await generate(opts);
    const c = await generate({ ...opts, seed: 8 });
    expect(a.buf.equals(b.buf)).toBe(true);
    expect(a.stats).toEqual(b.stats);
    expect(a.buf.equals(c.buf)).toBe(false);
  });

  it('reproduces the spec §7 row shapes', async () => {
    const fields = { '6.x': 25, '7.0-7.7': 25, '7.8+': 26 } as const;
    for (const era of ERAS) {
      const { text } = await generate({ bytes: 100_000, seed: 3, era });
      const parsed = check(text, era, 'bare');
      expect(parsed.malformed).toBe(0);
      for (const row of parsed.rows) {
        expect(row.message.split(';')).toHaveLength(fields[era]);
        expect(row.f.reqName === '0' || row.f.reqName!.startsWith('CN=')).toBe(true);
        expect(row.f.logTime).toMatch(era === '7.8+'
          ? /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\+0000$/
          : /^\d{4}-\d{2}-\d{2}:\d{2}:\d{2}:\d{2}:GMT$/);
        if (row.f.status !== '0') expect([row.f.issuerDn, row.f.certStatus, row.f.profile]).toEqual(['0', '0', '0']);
        if (row.f.digest === '1.3.14.3.2.26') expect(row.f.nameHash).toHaveLength(40);
        if (row.f.digest === '2.16.840.1.101.3.4.2.1') expect(row.f.keyHash).toHaveLength(64);
        if (/^[89a-f]/.test(row.f.serial!)) throw new Error(`serial without 00 sign byte: ${row.f.serial}`);
        if (era === '7.8+') expect(row.f.ocspIssuer).toBe(row.f.issuerDn);
      }
      const issuers = new Set(parsed.rows.map((r) => r.f.issuerDn));
      expect(issuers).toContain('CN=ManagementCA,O=EJBCA Sample,C=SE');
      expect(issuers).toContain('CN=Acme Device CA,O=Acme, Inc.,C=US'); // the `\,` escape is dropped
      expect(parsed.rows.some((r) => r.f.xff === '198.51.100.7, 10.0.0.1')).toBe(true);
      expect(parsed.rows.some((r) => r.f.serial!.startsWith('00'))).toBe(true);
    }
  });

  for (const era of ERAS) {
    for (const layout of LAYOUTS) {
      it(`${era} / ${layout}: every line parses and the stats match a re-parse`, async () => {
        const opts = { bytes: 250_000, seed: 11, era, layout, malformedRate: 0.03, otherLoggerRate: 0.05 };
        const { buf, text, stats } = await generate(opts);
        const parsed = check(text, era, layout);
        expectStatsMatch(stats, parsed, buf);
        expect(stats.malformed).toBeGreaterThan(0);
        if (layout === 'bare') expect(stats.otherLoggerLines).toBe(0);
        else expect(stats.otherLoggerLines).toBeGreaterThan(0);
        if (era !== '6.x') expect(stats.rows).toBe(stats.requests);
      });
    }
  }

  it('writes each kind of malformed row, one line each', async () => {
    const { text, stats } = await generate({ bytes: 300_000, seed: 13, era: '7.0-7.7', malformedRate: 0.2 });
    const { malformedLines } = check(text, '7.0-7.7', 'bare');
    const kinds = { replyMs: 0, oddSession: 0, oddHash: 0, garbage: 0, truncated: 0 };
    for (const line of malformedLines) {
      const fields = line.split(';');
      if (fields.length === 1) kinds.garbage++;
      else if (fields.length < 25) kinds.truncated++;
      else if (/^\d+ms$/.test(fields[8]!)) kinds.replyMs++;
      else if (fields[0]!.length === 31) kinds.oddSession++;
      else if (fields[18]!.length % 2 === 1) kinds.oddHash++;
      else throw new Error(`unexpected malformed line: ${line}`);
    }
    expect(Object.values(kinds).every((n) => n > 0)).toBe(true);
    expect(malformedLines).toHaveLength(stats.malformed);
  });

  it('6.x writes one row per CertID in one event, only the first row prefixed', async () => {
    const { text } = await generate({ bytes: 300_000, seed: 5, era: '6.x', layout: 'docs' });
    const { rows } = check(text, '6.x', 'docs');
    let multi = 0;
    for (let i = 0; i < rows.length; ) {
      const first = rows[i]!;
      const n = first.f.status === '0' ? Number(first.f.numCert) : 1;
      expect(first.prefixed).toBe(true);
      for (let k = 1; k < n; k++) {
        const next = rows[i + k]!;
        expect(next.prefixed).toBe(false);
        for (const name of ['session', 'logId', 'logTime', 'reply', 'numCert']) expect(next.f[name]).toBe(first.f[name]);
      }
      if (n > 1) multi++;
      i += n;
    }
    expect(multi).toBeGreaterThan(10);
  });

  it('7.0+ writes one row per request even for several CertIDs', async () => {
    const { text, stats } = await generate({ bytes: 200_000, seed: 5, era: '7.0-7.7', layout: 'jboss7' });
    const { rows } = check(text, '7.0-7.7', 'jboss7');
    expect(rows.every((r) => r.prefixed)).toBe(true);
    expect(rows.some((r) => Number(r.f.numCert) > 1)).toBe(true);
    expect(stats.certIds).toBeGreaterThan(stats.requests);
  });

  it('prefix time is local +01:00 at flush: LOG_TIME + REPLY_TIME + 1 h', async () => {
    const { text } = await generate({ bytes: 100_000, seed: 9, era: '7.8+', layout: 'wildfly' });
    const { rows } = check(text, '7.8+', 'wildfly');
    for (const { f, stamp } of rows) {
      const logMs = Date.parse(f.logTime!.replace(' ', 'T').replace('+0000', 'Z'));
      const localMs = Date.parse(stamp!.replace(' ', 'T').replace(',', '.') + 'Z');
      expect(localMs - 3_600_000 - logMs).toBe(Number(f.reply));
    }
  });

  it('restarts change SESSION_ID and restart LOG_ID at 0, with gaps', async () => {
    const { text } = await generate({ bytes: 400_000, seed: 2, era: '7.0-7.7', sessions: 4, malformedRate: 0.01 });
    const { rows } = check(text, '7.0-7.7', 'bare');
    const bySession = new Map<string, number[]>();
    for (const { f } of rows) {
      if (!bySession.has(f.session!)) bySession.set(f.session!, []);
      bySession.get(f.session!)!.push(Number(f.logId));
    }
    expect([...bySession.keys()]).toHaveLength(4);
    let gaps = 0;
    for (const ids of bySession.values()) {
      expect(Math.min(...ids)).toBe(0);
      expect(new Set(ids).size).toBe(ids.length);
      gaps += Math.max(...ids) + 1 - ids.length;
    }
    expect(gaps).toBeGreaterThan(0);
    // Sessions do not interleave: each appears as one contiguous run.
    const runs = rows.map((r) => r.f.session).filter((s, i, all) => i === 0 || s !== all[i - 1]);
    expect(runs).toHaveLength(4);
  });

  it('supports the PROCESS_TIME sample order', async () => {
    const { buf, text, stats } = await generate({ bytes: 150_000, seed: 4, era: '7.0-7.7', processTime: true });
    const parsed = check(text, '7.0-7.7', 'bare', true);
    expectStatsMatch(stats, parsed, buf);
    for (const row of parsed.rows) {
      expect(row.message.split(';')).toHaveLength(26);
      expect(Number(row.f.process)).toBeLessThanOrEqual(Number(row.f.reply));
    }
    expect(stats.processTimes).toEqual(statsFrom(parsed.rows).processTimes);
    const plain = await generate({ bytes: 10_000, seed: 4, era: '7.0-7.7' });
    expect(plain.stats.processTimes).toBeUndefined();
  });

  it('interpolates a custom order like PatternLogger', async () => {
    const order = 'id=${SESSION_ID}/${LOG_ID} st=${STATUS} cs=${CERT_STATUS} rr=${REV_REASON} ' +
      'sn=${SERIAL_NO} oc=${OCSP_CERT_ISSUER_NAME_DN} t=${REPLY_TIME} REPLY_TIME q=\\"${NUM_CERT_ID}\\"';
    const re = /^id=([0-9a-f]{32})\/(\d+) st=(\d) cs=([0-2]) rr=(-?\d+) sn=\$\{SERIAL_NO\} oc=(.*) t=(\d+) (\d+) q=(.*)$/;
    for (const era of ['7.0-7.7', '7.8+'] as const) {
      const { text, stats } = await generate({ bytes: 200_000, seed: 6, era, order });
      const lines = text.slice(0, -1).split('\n');
      let revoked = 0;
      for (const line of lines) {
        const m = re.exec(line);
        expect(m, line).not.toBeNull();
        const [, , , status, certStatus, reason, oc, t1, t2, quoted] = m!;
        expect(t1).toBe(t2); // flush() replaces the literal REPLY_TIME text too
        // Properties-era getters turn \" into "; the 7.8+ database value is used as is.
        expect(quoted).toMatch(era === '7.8+' ? /^\\"\d\\"$/ : /^"\d"$/);
        if (era === '7.0-7.7') expect(oc).toBe('${OCSP_CERT_ISSUER_NAME_DN}');
        else expect(oc).not.toContain('${');
        if (status === '0' && certStatus === '1') {
          revoked++;
          expect(['0', '1', '2', '3', '4', '5', '6', '8', '9', '10']).toContain(reason);
        } else if (status === '0' && certStatus === '2') {
          expect(reason).toBe('6');
        } else if (status === '0') {
          expect(reason).toBe('-1');
        }
      }
      expect(revoked).toBeGreaterThan(0);
      expect(Object.values(stats.byRevocationReason).reduce((a, b) => a + b, 0)).toBe(revoked);
      expect(stats.byRevocationReason.keyCompromise).toBeGreaterThan(0);
    }
    const plain = await generate({ bytes: 50_000, seed: 6, era: '7.8+' });
    expect(plain.stats.byRevocationReason).toEqual({});
  });

  it('formats LOG_TIME with a custom Java date pattern', async () => {
    const { text } = await generate({ bytes: 50_000, seed: 1, era: '6.x', logDate: 'dd/MMM/yyyy HH:mm:ss.SSS ZZ' });
    const { rows } = check(text, '6.x', 'bare');
    expect(rows.length).toBeGreaterThan(0);
    for (const { f } of rows) expect(f.logTime).toMatch(/^21\/Feb\/2017 \d{2}:\d{2}:\d{2}\.\d{3} \+00:00$/);
  });

  it('formats Java date patterns as commons-lang FastDateFormat in GMT', () => {
    const at = Date.UTC(2017, 1, 21, 12, 28, 55, 130);
    const f = (p: string) => compileJavaDatePattern(p)(at);
    expect(f('yyyy-MM-dd:HH:mm:ss:z')).toBe('2017-02-21:12:28:55:GMT');
    expect(f('yyyy-MM-dd HH:mm:ss.SSSZ')).toBe('2017-02-21 12:28:55.130+0000');
    expect(f("EEE, d MMM yy h:mm a 'o''clock' zzzz")).toBe("Tue, 21 Feb 17 12:28 PM o'clock Greenwich Mean Time");
    expect(f('y M d H m s S')).toBe('2017 2 21 12 28 55 130');
    expect(f('D w W F k K EEEE MMMM G')).toBe('52 8 4 3 12 0 Tuesday February AD');
    expect(compileJavaDatePattern('w')(Date.UTC(2019, 11, 30))).toBe('1'); // week holding 1 Jan 2020
    expect(() => compileJavaDatePattern('yyyy-MM-ddTHH')).toThrow(/Illegal pattern component/);
    expect(() => compileJavaDatePattern('XXX')).toThrow(RangeError);
  });

  it('stops at the first event boundary at or after the requested size', async () => {
    const requested = 120_000;
    const { buf, stats } = await generate({ bytes: requested, seed: 1, era: '6.x', layout: 'docs' });
    expect(buf.length).toBeGreaterThanOrEqual(requested);
    expect(stats.bytes).toBe(buf.length);
    // The last event starts at a prefixed line; everything before it was still short of the target.
    const lastStart = buf.toString('latin1').lastIndexOf('\n2017-') + 1;
    expect(lastStart).toBeGreaterThan(0);
    expect(lastStart).toBeLessThan(requested);
    const empty = await generate({ bytes: 0, seed: 1 });
    expect(empty.buf.length).toBe(0);
    expect(empty.stats.requests).toBe(0);
  });

  it('counts UTF-8 bytes of non-ASCII requestor names', async () => {
    const { buf, text, stats } = await generate({ bytes: 1_500_000, seed: 12, era: '7.8+' });
    expect(text).toContain('CN=Jörg Müller,OU=Security,O=Example Org,C=DE');
    expect(stats.bytes).toBe(buf.length);
    expect(buf.length).toBeGreaterThan(text.length);
  });

  it('waits for drain on a slow stream and loses nothing', async () => {
    const opts: EjbcaTrxGenOptions = { bytes: 3_000_000, seed: 5, era: '7.8+', layout: 'wildfly', otherLoggerRate: 0.01 };
    const slow = collectingStream({ slow: true });
    const stats = await generateEjbcaTrx(opts, slow.stream);
    await new Promise<void>((resolve) => slow.stream.end(resolve));
    expect(slow.drains()).toBeGreaterThan(0);
    const fast = await generate(opts);
    expect(slow.bytes().equals(fast.buf)).toBe(true);
    expect(stats).toEqual(fast.stats);
  });
});
