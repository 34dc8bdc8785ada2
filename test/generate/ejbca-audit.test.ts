import { describe, it, expect } from 'vitest';
import { collectingStream } from '../helpers/streams.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { generateEjbcaAudit, type AuditForm, type EjbcaAuditGenOptions } from '../../src/generate/ejbca-audit.js';
import { bitString, element, generalizedTime, implicit, integer, integerFromHex, nullValue, oid, sequence } from '../../src/generate/der-writer.js';
import { TEST_CA_CERT_PEM } from '../../src/generate/ocsp-test-keys.js';
import { decodeHex } from '../../src/formats/ocsp/hex.js';
import { decodeOcspRequest, decodeOcspResponse, type OcspRequestInfo, type OcspResponseInfo } from '../../src/formats/ocsp/ocsp.js';
import { verifyOcspResponse } from '../../src/formats/ocsp/verify.js';
import type { TrxLayout } from '../../src/generate/ejbca-layout.js';
import { check } from './ejbca-trx-reader.js';

const collector = (): ReturnType<typeof collectingStream> => collectingStream();

async function generate(opts: Omit<EjbcaAuditGenOptions, 'trxOut'>, withTrx = false) {
  const audit = collector();
  const trx = collector();
  const stats = await generateEjbcaAudit({ ...opts, ...(withTrx ? { trxOut: trx.stream } : {}) }, audit.stream);
  return { stats, audit: audit.bytes(), trx: trx.bytes() };
}

const CATEGORY = 'org.cesecore.certificates.ocsp.logging.AuditLogger';
const PREFIX: Record<TrxLayout, RegExp | undefined> = {
  bare: undefined,
  docs: new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} DEBUG \\[${CATEGORY}\\] `),
  jboss7: new RegExp(`^\\d{2}:\\d{2}:\\d{2},\\d{3} DEBUG \\[${CATEGORY}\\] \\([^)]*\\) `),
  wildfly: new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} DEBUG \\[${CATEGORY}\\] \\([^)]*\\) `),
};

/** The default audit orders of spec §2 as regexes over one record's physical lines joined by LF. */
function recordRegex(form: AuditForm): RegExp {
  const time = form === '7.8+' ? '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000' : '\\d{4}-\\d{2}-\\d{2}:\\d{2}:\\d{2}:\\d{2}:GMT';
  const nl = form === '7.8+' ? '\\\\n' : '\\n';
  const times = form === 'sample-process-time' ? `REPLY TIME:(\\d+);${nl}TIME TO PROCESS:\\d+;` : 'TIME TO PROCESS:(\\d+);';
  return new RegExp(`^SESSION_ID:(?<sid>[0-9a-f]{32});LOG ID:(?<logId>\\d+);"${time}";${times}${nl}OCSP REQUEST:${nl}` +
    `"(?<req>[^"]*)";${nl}OCSP RESPONSE:${nl}"(?<resp>[^"]*)";${nl}STATUS:(?<status>\\d+)$`);
}

interface AuditRecord {
  sid: string; logId: number; status: number; request?: OcspRequestInfo; response?: OcspResponseInfo; respDer?: Uint8Array;
}

/**
 * An independent reader written from the spec: a record starts at a (prefixed) `SESSION_ID:`
 * line and takes the era's number of physical lines, none of them prefixed or a new start.
 */
function readAudit(text: string, form: AuditForm, layout: TrxLayout) {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  const perRecord = form === '7.8+' ? 1 : form === 'properties' ? 6 : 7;
  const prefix = PREFIX[layout];
  const start = (line: string): string | undefined => {
    const message = prefix ? line.replace(prefix, '') : line;
    if (prefix && message === line) return undefined;
    return message.startsWith('SESSION_ID:') ? message : undefined;
  };
  const re = recordRegex(form);
  const records: AuditRecord[] = [];
  let malformed = 0;
  for (let i = 0; i < lines.length;) {
    const first = start(lines[i]!);
    if (first === undefined) {
      expect(layout).toBe('bare'); // only the bare layout has garbage lines
      malformed++;
      i++;
      continue;
    }
    const parts = [first];
    let j = i + 1;
    while (parts.length < perRecord && j < lines.length && start(lines[j]!) === undefined && !prefix?.test(lines[j]!)) parts.push(lines[j++]!);
    i = j;
    const m = parts.length === perRecord ? re.exec(parts.join('\n')) : null;
    if (!m) {
      malformed++;
      continue;
    }
    const g = m.groups!;
    const record: AuditRecord = { sid: g.sid!, logId: Number(g.logId), status: Number(g.status) };
    const req = decodeHex(g.req!);
    const resp = decodeHex(g.resp!);
    try {
      if ('bytes' in req && 'bytes' in resp) {
        record.request = decodeOcspRequest(req.bytes);
        record.response = decodeOcspResponse(resp.bytes);
        record.respDer = resp.bytes;
      }
    } catch {
      delete record.request;
      delete record.response;
    }
    records.push(record);
  }
  return { records, malformed };
}

const bump = (table: Record<string, number>, key: string): void => {
  table[key] = (table[key] ?? 0) + 1;
};

const MD5 = '1.2.840.113549.2.5';
const FORMS: readonly AuditForm[] = ['properties', 'sample-process-time', '7.8+'];
const caCert = new X509Certificate(TEST_CA_CERT_PEM);

describe('der-writer', () => {
  it('encodes the primitives OCSP needs', () => {
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(-129n))).toBe('0202ff7f');
    expect(hex(integerFromHex('8a3f'))).toBe('0203008a3f');
    expect(hex(integerFromHex('00008a3f'))).toBe('0203008a3f');
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(hex(sequence(oid('1.3.14.3.2.26'), nullValue()))).toBe('300906052b0e03021a0500');
    expect(hex(generalizedTime(Date.UTC(2020, 0, 2, 3, 4, 5, 678)))).toBe('180f32303230303130323033303430355a');
    expect(hex(implicit(0, nullValue()))).toBe('8000');
    expect(hex(bitString(Uint8Array.of(0xff)))).toBe('030200ff');
    const long = element(0x04, new Uint8Array(300));
    expect(hex(long.subarray(0, 4))).toBe('0482012c');
  });
});

describe('generateEjbcaAudit', () => {
  it('is deterministic for a seed (audit and trx bytes) and varies across seeds', async () => {
    const opts = { bytes: 120_000, seed: 7, form: 'properties' as const, layout: 'wildfly' as const, malformedRate: 0.05, undecodableRate: 0.05 };
    const a = await generate(opts, true);
    const b = await generate(opts, true);
    const c = await generate({ ...opts, seed: 8 }, true);
    expect(a.audit.equals(b.audit)).toBe(true);
    expect(a.trx.equals(b.trx)).toBe(true);
    expect(a.stats).toEqual(b.stats);
    expect(a.audit.equals(c.audit)).toBe(false);
  });

  for (const form of FORMS) {
    for (const layout of ['bare', 'jboss7'] as const) {
      it(`${form} / ${layout}: records decode and the stats match a re-read`, async () => {
        const { stats, audit } = await generate({ bytes: 250_000, seed: 11, form, layout, malformedRate: 0.08, undecodableRate: 0.08 });
        expect(stats.bytes).toBe(audit.length);
        expect(stats.bytes).toBeGreaterThanOrEqual(250_000);
        const { records, malformed } = readAudit(audit.toString('latin1'), form, layout);
        const decoded = records.filter((r) => r.response !== undefined);
        const byResponseStatus: Record<string, number> = {};
        const byCertStatus: Record<string, number> = {};
        for (const r of decoded) {
          const req = r.request!;
          const resp = r.response!;
          expect(resp.status).toBe(r.status); // STATUS is the response status
          bump(byResponseStatus, resp.statusName);
          // malformedRequest answers an over-long nonce (IllegalNonceException) or an MD5 CertID.
          if (resp.status === 1) expect((req.nonce?.length ?? 0) > 64 || req.certIds[0]!.hashAlgorithm === MD5).toBe(true);
          if (resp.status !== 0) {
            expect(resp.basic).toBeUndefined();
            continue;
          }
          const basic = resp.basic!;
          expect(basic.responses.map((s) => s.certId)).toEqual(req.certIds);
          expect(basic.nonce).toBe(req.nonce);
          expect(basic.certs.length).toBeGreaterThanOrEqual(1);
          expect(verifyOcspResponse(basic, { caCerts: [caCert] }).result).toBe('valid');
          for (const s of basic.responses) bump(byCertStatus, s.certStatus);
        }
        expect(stats.records).toBe(records.length);
        expect(stats.malformed).toBe(malformed);
        expect(stats.decoded).toBe(decoded.length);
        expect(stats.undecodable).toBe(records.length - decoded.length);
        expect(stats.byResponseStatus).toEqual(byResponseStatus);
        expect(stats.byCertStatus).toEqual(byCertStatus);
        expect(stats.signedRequests).toBe(decoded.filter((r) => r.request!.signed).length);
        expect(stats.requestsWithNonce).toBe(decoded.filter((r) => r.request!.nonce !== undefined).length);
        // Enough variety to be worth parsing: every kind of answer, both digests, sign bytes.
        expect(malformed).toBeGreaterThan(0);
        expect(stats.undecodable).toBeGreaterThan(0);
        expect(byCertStatus['good']).toBeGreaterThan(0);
        const serials = decoded.flatMap((r) => r.request!.certIds.map((id) => id.serial));
        expect(serials.some((s) => s.startsWith('00'))).toBe(true);
        const digests = new Set(decoded.flatMap((r) => r.request!.certIds.map((id) => id.hashName)));
        expect([digests.has('sha1'), digests.has('sha256')]).toEqual([true, true]);
        // Several responder runs: SESSION_ID changes and LOG_ID restarts at 0.
        const sessions = [...new Set(records.map((r) => r.sid))];
        expect(sessions).toHaveLength(3);
        for (const sid of sessions) expect(Math.min(...records.filter((r) => r.sid === sid).map((r) => r.logId))).toBe(0);
      });
    }
  }

  it('writes stats that add up', async () => {
    const { stats } = await generate({ bytes: 1_000_000, seed: 3, form: '7.8+', malformedRate: 0.03, undecodableRate: 0.03 }, true);
    const sum = (t: Record<string, number>): number => Object.values(t).reduce((a, b) => a + b, 0);
    expect(stats.decoded + stats.undecodable).toBe(stats.records);
    expect(sum(stats.byResponseStatus)).toBe(stats.decoded);
    expect(sum(stats.byCertStatus)).toBeGreaterThanOrEqual(stats.byResponseStatus['successful'] ?? 0);
    expect(stats.signedRequests).toBeGreaterThan(0);
    expect(Object.keys(stats.byCertStatus).sort()).toEqual(['good', 'revoked', 'unknown']);
    expect(Object.keys(stats.byResponseStatus).sort()).toEqual(['internalError', 'malformedRequest', 'sigRequired', 'successful', 'unauthorized']);
    expect(stats.requestsWithNonce).toBeLessThanOrEqual(stats.decoded);
    const r = stats.reconcile!;
    // Malformed records have no key, so their trx rows are trx-only.
    expect(r.matched + r.mismatched + r.auditOnly).toBe(stats.records);
  });

  it('pairs with a 7.0-7.7 trx log whose reconcile counts add up to the distinct keys', async () => {
    const { stats, audit, trx } = await generate({ bytes: 400_000, seed: 5, form: 'properties', malformedRate: 0.02, undecodableRate: 0.03,
      mismatchRate: 0.05, trxOnlyRate: 0.03, auditOnlyRate: 0.03 }, true);
    const { records } = readAudit(audit.toString('latin1'), 'properties', 'bare');
    const parsed = check(trx.toString('utf8'), '7.0-7.7', 'bare');
    expect(parsed.malformed).toBe(0);
    const rows = new Map(parsed.rows.map((row) => [`${row.f.session};${row.f.logId}`, row.f]));
    expect(rows.size).toBe(parsed.rows.length);
    const answers = new Map(records.map((r) => [`${r.sid};${r.logId}`, r]));
    const union = new Set([...rows.keys(), ...answers.keys()]);
    const r = stats.reconcile!;
    expect(r.matched + r.mismatched + r.trxOnly + r.auditOnly).toBe(union.size);
    expect(r.matched + r.mismatched).toBe([...rows.keys()].filter((k) => answers.has(k)).length);
    expect(r.trxOnly).toBe([...rows.keys()].filter((k) => !answers.has(k)).length);
    expect(r.auditOnly).toBe([...answers.keys()].filter((k) => !rows.has(k)).length);
    expect(Math.min(r.mismatched, r.trxOnly, r.auditOnly)).toBeGreaterThan(0);
    // The contract's comparison, recomputed: STATUS, then the CERT_STATUS of the same CertID.
    let mismatched = 0;
    for (const [key, f] of rows) {
      const a = answers.get(key);
      if (a === undefined) continue;
      let differs = Number(f.status) !== a.status;
      if (!differs && a.status === 0 && a.response) {
        const single = a.response.basic!.responses.find((s) => s.certId.hashAlgorithm === f.digest &&
          s.certId.issuerNameHash === f.nameHash && s.certId.issuerKeyHash === f.keyHash && s.certId.serial === f.serial);
        expect(single).toBeDefined();
        differs = ['good', 'revoked', 'unknown'][Number(f.certStatus)] !== single!.certStatus;
      }
      if (differs) mismatched++;
    }
    expect(r.mismatched).toBe(mismatched);
  });

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!openssl)(`OpenSSL verifies a response and agrees on the CertID hashes${openssl ? '' : ' (skipped: no openssl on PATH)'}`, async () => {
    const { audit } = await generate({ bytes: 30_000, seed: 9, form: '7.8+' });
    const { records } = readAudit(audit.toString('latin1'), '7.8+', 'bare');
    const record = records.find((r) => r.response?.basic !== undefined && r.response.basic.responses.length > 0)!;
    const dir = mkdtempSync(join(tmpdir(), 'certcrunch-ocsp-'));
    try {
      writeFileSync(join(dir, 'resp.der'), record.respDer!);
      writeFileSync(join(dir, 'ca.pem'), TEST_CA_CERT_PEM);
      const verify = spawnSync('openssl', ['ocsp', '-respin', join(dir, 'resp.der'), '-CAfile', join(dir, 'ca.pem'),
        '-issuer', join(dir, 'ca.pem')], { encoding: 'utf8' });
      expect(verify.status).toBe(0);
      expect(verify.stdout + verify.stderr).toContain('Response verify OK'); // OpenSSL prints it on stderr
      // OpenSSL's own CertIDs for the test CA carry the same issuer hashes as ours.
      for (const digest of ['-sha1', '-sha256']) {
        execFileSync('openssl', ['ocsp', digest, '-issuer', join(dir, 'ca.pem'), '-serial', '0x01', '-no_nonce',
          '-reqout', join(dir, 'req.der')], { stdio: 'ignore' });
        const theirs = decodeOcspRequest(readFileSync(join(dir, 'req.der'))).certIds[0]!;
        const ours = records.flatMap((r) => r.request?.certIds ?? []).find((id) => id.hashAlgorithm === theirs.hashAlgorithm);
        if (ours === undefined) continue; // no such CertID in this small sample
        expect([ours.issuerNameHash, ours.issuerKeyHash]).toEqual([theirs.issuerNameHash, theirs.issuerKeyHash]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
