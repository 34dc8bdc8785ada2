import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeOcspRequest } from '../../src/formats/ocsp/ocsp.js';
import type { Report } from '../../src/report/model.js';
import { describeInputs } from '../../src/input/discover.js';
import { runTask } from '../../src/scan/run-task.js';
import type { ScanTask } from '../../src/scan/task.js';
import { decodeSnapshot } from '../../src/snapshot/codec.js';
import { Snapshot } from '../../src/snapshot/snapshot.js';
import { analyzeJson, reportJson } from '../helpers/analyze.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/*
 * Audit logs built from real OCSP requests and responses made by OpenSSL
 * (test/fixtures/ocsp/make-fixtures.sh), written the way EJBCA's AuditLogger writes them.
 */
const ocsp = join(import.meta.dirname, '..', 'fixtures', 'ocsp');
const dir = tempDir();
const hexOf = (name: string): string => readFileSync(join(ocsp, `${name}.der`)).toString('hex');
const SESSION = '5f1a3c9b0a000a151b7e44c29d03f1a7';
const PREFIX = '2017-02-21 13:28:55,134 DEBUG [org.cesecore.certificates.ocsp.logging.AuditLogger] ';

/** [request, response, STATUS] of each record, in LOG_ID order. */
const PAIRS: [string, string, number][] = [
  ['req-sha1-nonce', 'resp-sha1-nonce', 0],
  ['req-multi', 'resp-multi', 0],
  ['req-sha256', 'resp-sha256-keyid', 0],
  ['req-sha384-sha512', 'resp-sha384-sha512', 0],
  ['req-signed', 'resp-ec', 0],
  ['req-multi', 'resp-no-certs', 0],
  ['req-sha1-nonce', 'resp-ca-signed', 0],
  ['req-sha1-nonce', 'resp-malformed', 1],
  ['req-multi', 'resp-unauthorized', 6],
];

/** What OpenSSL's own text says of the responses, counted independently of certcrunch. */
function opensslCertStatuses(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [, resp] of PAIRS) {
    for (const m of readFileSync(join(ocsp, `${resp}.txt`), 'utf8').matchAll(/Cert Status: (\w+)/g)) counts[m[1]!] = (counts[m[1]!] ?? 0) + 1;
  }
  return counts;
}

function propertiesRecord(logId: number, req: string, resp: string, status: number): string {
  return `${PREFIX}SESSION_ID:${SESSION};LOG ID:${logId};"2017-02-21:12:28:55:GMT";TIME TO PROCESS:7;\nOCSP REQUEST:\n"${req}";\nOCSP RESPONSE:\n"${resp}";\nSTATUS:${status}\n`;
}

function freshRecord(logId: number, req: string, resp: string, status: number): string {
  return `SESSION_ID:${SESSION};LOG ID:${logId};"2024-04-08 16:29:15.002+0000";TIME TO PROCESS:3;\\nOCSP REQUEST:\\n"${req}";\\nOCSP RESPONSE:\\n"${resp}";\\nSTATUS:${status}\n`;
}

/** The nine good records, then hostile ones: odd-length hex, corrupt DER, a record cut short, garbage. */
function auditLog(form: (logId: number, req: string, resp: string, status: number) => string): string {
  const good = PAIRS.map(([req, resp, status], i) => form(i, hexOf(req), hexOf(resp), status)).join('');
  const corrupt = hexOf('resp-multi').slice(0, 200); // valid hex, DER cut short
  const cut = form(12, hexOf('req-multi'), hexOf('resp-multi'), 0).split('\n');
  return [
    good,
    form(10, hexOf('req-sha1-nonce').slice(1), hexOf('resp-sha1-nonce'), 0),
    form(11, hexOf('req-multi'), corrupt, 0),
    'garbage that is no record at all\n',
    cut.length > 3 ? `${cut.slice(0, 3).join('\n')}\n` : `${cut[0]!.slice(0, 200)}\n`,
    form(13, hexOf('req-sha256'), hexOf('resp-sha256-keyid'), 0),
  ].join('');
}

/**
 * `prefixed`: in a prefixed layout an unprefixed line that is no record continues another
 * logger's event (not a record); in a bare layout it is a malformed garbage line.
 */
function expectAudit(r: Report, prefixed = false): void {
  const a = r.audit!;
  expect(a.records).toBe(12); // 9 + odd hex + corrupt DER + the one after the garbage
  expect(a.decoded).toBe(10);
  expect(a.undecodable).toBe(2);
  expect(a.byResponseStatus).toEqual({ successful: 8, malformedRequest: 1, unauthorized: 1 });
  const sha256 = (readFileSync(join(ocsp, 'resp-sha256-keyid.txt'), 'utf8').match(/Cert Status: (\w+)/g) ?? []).map((m) => m.split(': ')[1]!);
  const expected = opensslCertStatuses();
  for (const s of sha256) expected[s] = (expected[s] ?? 0) + 1;
  expect(a.byCertStatus).toEqual(expect.objectContaining(expected));
  expect(Object.values(a.byCertStatus).reduce((x, y) => x + y, 0)).toBe(Object.values(expected).reduce((x, y) => x + y, 0));
  expect(a.signedRequests).toBe(1);
  expect(a.requestsWithNonce).toBe(4); // req-sha1-nonce ×3 decoded, req-signed
  expect(Object.values(a.signatures).reduce((x, y) => x + y, 0)).toBe(8);
  expect(r.records.malformedByReason).toEqual(prefixed ? { truncated: 1 } : { truncated: 1, garbage: 1 });
  expect(r.audit!.otherLoggerLines).toBe(prefixed ? 1 : 0);
}

describe('EJBCA audit logs built from OpenSSL blobs', () => {
  it('properties era: 6 physical lines, the layout prefix on the first only', async () => {
    const path = join(dir, 'audit-properties.log');
    writeFileSync(path, auditLog(propertiesRecord));
    const r = JSON.parse(await analyzeJson([path])) as Report;
    expect(r.inputs[0]!.format).toBe('ejbca-audit');
    expectAudit(r, true);
  });

  it('fresh 7.8+: one line with literal \\n', async () => {
    const path = join(dir, 'audit-fresh.log');
    writeFileSync(path, auditLog(freshRecord));
    expectAudit(JSON.parse(await analyzeJson([path])) as Report);
  });

  // The second: an order that starts with a field, bare, with an empty SESSION_ID every other
  // record (getLocalHost failed).
  it.each([
    ['a custom ocsp.audit-log-order', (_id: number) => SESSION],
    ['a custom order starting with a field, some SESSION_IDs empty', (id: number) => (id % 2 === 0 ? '' : SESSION)],
  ])('%s', async (name, session) => {
    const path = join(dir, `audit-${name.replace(/\W+/g, '-')}.log`);
    const form = (id: number, req: string, resp: string, status: number) => `${session(id)}|${id}|${status}|${req}|${resp}\n`;
    writeFileSync(path, auditLog(form));
    const out = await runCli(['analyze', path, '--json', '--format', 'ejbca-audit', '--audit-order', '${SESSION_ID}|${LOG_ID}|${STATUS}|${OCSPREQUEST}|${OCSPRESPONSE}']);
    expect(out.stderr).toBe('');
    expectAudit(JSON.parse(out.stdout) as Report);
  });

  it('takes a LOG_ID or STATUS that is no whole number as malformed (bad-number), with or without reconciliation', async () => {
    const path = join(dir, 'audit-numbers.log');
    const form = (id: string, status: string) => `${SESSION}|${id}|${status}|${hexOf('req-multi')}|${hexOf('resp-multi')}\n`;
    const good = [['0', '0'], ['-7', '1'], ['0042', '-0']];
    const bad = [['', '0'], ['-', '0'], ['1a', '0'], ['+1', '0'], ['1 ', '0'], ['\u0663', '0'], ['1', ''], ['1', '6-'], ['1', '--1']];
    writeFileSync(path, [...good, ...bad].map(([id, status]) => form(id!, status!)).join(''), 'latin1');
    const order = '${SESSION_ID}|${LOG_ID}|${STATUS}|${OCSPREQUEST}|${OCSPRESPONSE}';
    const [input] = await describeInputs([path], 'ejbca-audit', {}, { order });
    const size = statSync(path).size;
    for (const reconcile of [false, true]) {
      const result = await runTask({
        path, format: 'ejbca-audit', gzip: false, start: 0, end: -1, fileBytes: size, mtimeMs: 0,
        audit: { ...input!.audit!, verifySignatures: false }, reconcile,
      });
      const snapshot = decodeSnapshot(result.snapshot);
      expect(snapshot.audit!.records).toBe(good.length);
      expect(Object.fromEntries(snapshot.records.malformed.map)).toEqual({ 'bad-number': bad.length });
      if (reconcile) {
        const side = snapshot.reconcile!.audit;
        expect(side.sessions).toEqual([SESSION]);
        expect([...new Set(side.logId.values())].sort((a, b) => a - b)).toEqual([-7, 0, 42]);
        expect([...new Set(side.status.values())].sort((a, b) => a - b)).toEqual([0, 1]);
      }
    }
  });

  it('CRLF line ends and a layout that writes text after the message', async () => {
    const path = join(dir, 'audit-crlf-suffix.log');
    const form = (id: number, req: string, resp: string, status: number) =>
      propertiesRecord(id, req, resp, status).replace(/\n$/, ' |\n').replace(/\n/g, '\r\n');
    writeFileSync(path, auditLog(form));
    const out = await runCli(['analyze', path, '--json', '--format', 'ejbca-audit', '--log4j-pattern', '%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] %m |%n']);
    expect(out.stderr).toBe('');
    expectAudit(JSON.parse(out.stdout) as Report, true);
  });

  it('counts each record once wherever a range ends (a split every 97 bytes; records run past range ends)', async () => {
    const path = join(dir, 'audit-split.log');
    writeFileSync(path, auditLog(propertiesRecord));
    const [input] = await describeInputs([path]);
    const size = statSync(path).size;
    const task = (start: number, end: number): ScanTask => ({
      path, format: 'ejbca-audit', gzip: false, start, end, fileBytes: size, mtimeMs: 0, audit: { ...input!.audit!, verifySignatures: false },
    });
    const whole = reportJson(decodeSnapshot((await runTask(task(0, -1))).snapshot));
    for (let p = 1; p < size; p += 97) {
      const merged = new Snapshot()
        .merge(decodeSnapshot((await runTask(task(0, p))).snapshot))
        .merge(decodeSnapshot((await runTask(task(p, -1))).snapshot));
      const json = reportJson(merged);
      if (json !== whole) expect({ split: p, json }).toEqual({ split: p, json: whole });
    }
  });

  it('a range that meets its end before any record stops there, without reading on to the next record', async () => {
    const path = join(dir, 'audit-gap.log');
    const record = (id: number) => propertiesRecord(id, hexOf('req-sha1-nonce'), hexOf('resp-sha1-nonce'), 0);
    const other = '2017-02-21 13:28:55,134 INFO  [org.ejbca.core.model.Other] a line of another logger\n';
    writeFileSync(path, record(1) + other.repeat(20_000) + record(2));
    const [input] = await describeInputs([path]);
    const size = statSync(path).size;
    const start = Math.floor(size / 2);
    const progress = new SharedArrayBuffer(8);
    const result = await runTask({
      path, format: 'ejbca-audit', gzip: false, start, end: start + 1000, fileBytes: size, mtimeMs: 0,
      audit: { ...input!.audit!, verifySignatures: false }, progress: { buffer: progress, index: 0 },
    });
    const snapshot = decodeSnapshot(result.snapshot);
    expect(snapshot.audit!.records).toBe(0);
    expect(snapshot.audit!.otherLoggerLines).toBe(0); // the range before counts them
    expect(new Float64Array(progress)[0]).toBeLessThan(start + 1000 + 2 * other.length);
  });

  it('gives identical JSON with the TypeScript kernel', async () => {
    const path = join(dir, 'audit-kernel.log');
    writeFileSync(path, auditLog(propertiesRecord));
    const native = await runCli(['analyze', path, '--json', '--workers', '1']);
    const ts = await runCli(['analyze', path, '--json', '--workers', '2', '--chunk-size', '3000'], { env: { CERTCRUNCH_NATIVE: '0' } });
    expect(native.code).toBe(0);
    expect(ts.stdout).toBe(native.stdout);
  });
});

describe('reconciliation with the transaction log', () => {
  it('matches, finds mismatches by field, and keys found in one log only', async () => {
    const audit = join(dir, 'rec-audit.log');
    writeFileSync(audit, PAIRS.map(([req, resp, status], i) => propertiesRecord(i, hexOf(req), hexOf(resp), status)).join(''));
    // One 7.0-style row per request, with the last CertID of the request, as EJBCA 7 writes it.
    const row = (logId: number, status: number, req: string, certStatus: number): string => {
      const last = decodeOcspRequest(readFileSync(join(ocsp, `${req}.der`))).certIds.at(-1)!;
      return `${SESSION};${logId};${status};0"192.0.2.10";"0";"0";0;"2017-02-21:12:28:55:GMT";7;1;0;0;0;0;0;0;0;"CN=CA";${last.issuerNameHash};${last.issuerKeyHash};${last.hashAlgorithm};${last.serial};${certStatus};1;\n`;
    };
    const trx = join(dir, 'rec-trx.log');
    writeFileSync(
      trx,
      [
        row(0, 0, 'req-sha1-nonce', 0), // good: matches
        row(1, 0, 'req-multi', 2), // last CertID is the unknown serial: matches
        row(2, 0, 'req-sha256', 0), // response says revoked (keyCompromise): cert status mismatch
        row(3, 0, 'req-sha384-sha512', 1),
        row(4, 0, 'req-signed', 1),
        row(5, 0, 'req-multi', 2),
        row(6, 0, 'req-sha1-nonce', 0),
        row(7, 2, 'req-sha1-nonce', 0), // STATUS 2, audit says 1: status mismatch
        // LOG_ID 8 missing: audit only
        row(99, 0, 'req-sha1-nonce', 0), // trx only
      ].join(''),
    );
    const out = await runCli(['reconcile', '--trx', trx, '--audit', audit, '--json', '--no-verify-signatures']);
    expect(out.stderr).toBe('');
    // analyze does the same when given both logs, and the snapshot keeps what reconciling needs.
    const snapshot = join(dir, 'rec.pb');
    const analyzed = await runCli(['analyze', trx, audit, '--json', '--no-verify-signatures', '-o', snapshot]);
    expect(analyzed.stdout).toBe(out.stdout);
    expect((await runCli(['report', snapshot, '--json'])).stdout).toBe(out.stdout);
    // A transaction log analysed on its own has no reconciliation rows: merging it in says so.
    const trxOnly = join(dir, 'trx-only.pb');
    expect((await runCli(['analyze', trx, '-o', trxOnly])).code).toBe(0);
    const mixed = await runCli(['report', snapshot, trxOnly, '--json']);
    expect(mixed.code).toBe(0);
    expect(mixed.stderr).toContain('warning: 1 EJBCA snapshot(s) made from one kind of log only are left out of the reconciliation');
    const r = (JSON.parse(out.stdout) as Report).reconcile!;
    expect([r.matched, r.mismatched, r.trxOnly, r.auditOnly]).toEqual([6, 2, 1, 1]);
    expect(r.samples.map((s) => [s.logId, s.problem.split(':')[0]])).toEqual([
      [2, 'cert status'],
      [7, 'status'],
    ]);
    // Named through their directories, swapped: each file is checked against its option.
    const trxDir = join(dir, 'trx-logs');
    const auditDir = join(dir, 'audit-logs');
    mkdirSync(trxDir, { recursive: true });
    mkdirSync(auditDir, { recursive: true });
    copyFileSync(trx, join(trxDir, 'a.log'));
    copyFileSync(audit, join(auditDir, 'a.log'));
    const swapped = await runCli(['reconcile', '--trx', auditDir, '--audit', trxDir, '--no-verify-signatures']);
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toContain(`${join(auditDir, 'a.log')} is not a transaction log`);
    const right = await runCli(['reconcile', '--trx', trxDir, '--audit', auditDir, '--json', '--no-verify-signatures']);
    expect(right.code, right.stderr).toBe(0);
    // However the directories are spelled.
    const dotted = (p: string): string => `./${relative(process.cwd(), p)}/`;
    const spelled = await runCli(['reconcile', '--trx', dotted(auditDir), '--audit', dotted(trxDir), '--no-verify-signatures']);
    expect(spelled.code).toBe(1);
    expect(spelled.stderr).toContain('is not a transaction log');
    // A file that cannot be read: the rest is reconciled and reported, and the run fails naming it.
    const missing = join(dir, 'no-such-trx.log');
    const partly = await runCli(['reconcile', '--trx', trx, missing, '--audit', audit, '--json', '--no-verify-signatures']);
    expect(partly.code).toBe(1);
    expect(partly.stderr).toContain(`${missing}: cannot read (ENOENT: no such file or directory) (any other inputs were read); the report was printed`);
    expect((JSON.parse(partly.stdout) as Report).reconcile!.matched).toBe(6);
    // With a whole side unreadable, that file is what the message names.
    const oneSided = await runCli(['reconcile', '--trx', trx, '--audit', join(dir, 'no-such-audit.log'), '--no-verify-signatures']);
    expect(oneSided.code).toBe(1);
    expect(oneSided.stderr).toContain(`reconcile: needs both transaction and audit logs; ${join(dir, 'no-such-audit.log')}: cannot read (ENOENT: no such file or directory)`);
    expect(oneSided.stdout).toBe('');
  });
});

describe('response signatures', () => {
  const pairs: [string, string][] = [
    ['req-sha1-nonce', 'resp-sha1-nonce'],
    ['req-multi', 'resp-multi'],
    ['req-sha256', 'resp-sha256-keyid'],
    ['req-sha384-sha512', 'resp-sha384-sha512'],
    ['req-signed', 'resp-ec'],
    ['req-multi', 'resp-no-certs'],
    ['req-sha1-nonce', 'resp-ca-signed'],
    ['req-sha1-nonce', 'resp-no-ocsp-eku'],
  ];
  const log = join(dir, 'audit-signatures.log');
  const signatures = async (...args: string[]): Promise<Record<string, number>> => {
    writeFileSync(log, pairs.map(([req, resp], i) => freshRecord(i, hexOf(req), hexOf(resp), 0)).join(''));
    const out = await runCli(['analyze', log, '--json', '--workers', '0', ...args]);
    expect(out.stderr).toBe('');
    return (JSON.parse(out.stdout) as Report).audit!.signatures;
  };

  it('checks each against the signer the response carries', async () => {
    // resp-no-certs and resp-ca-signed carry no certificate: nothing to check them against.
    expect(await signatures()).toEqual({ valid: 6, unverifiable: 2 });
  });

  it('with --ca, also checks the signer was issued by the CA (and may sign OCSP responses)', async () => {
    // The CA's own response becomes checkable; a signer without the OCSP-signing EKU is refused.
    expect(await signatures('--ca', join(ocsp, 'ca.pem'))).toEqual({ valid: 6, invalid: 1, unverifiable: 1 });
  });

  it('can be turned off', async () => {
    expect(await signatures('--no-verify-signatures')).toEqual({ 'not checked': 8 });
  });
});
