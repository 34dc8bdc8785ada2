import type { LatencySummary, OcspReport } from './ocsp-model.js';
import type { AuditReport, Report } from './model.js';
import { rankedEntries } from './ranking.js';

/** One report table, rendered alike by the text, CSV and HTML renderers. */
export interface ReportTable {
  title: string;
  /** File name for --csv. */
  file: string;
  headers: string[];
  rows: (string | number)[][];
}

function latencyRows(name: string, l: LatencySummary): (string | number)[] {
  return [name, l.count, l.min, l.mean, l.p50, l.p90, l.p99, l.p999, l.max];
}

/** The EJBCA transaction-log tables, in reading order. */
export function ocspTables(o: OcspReport): ReportTable[] {
  const latency = [latencyRows('REPLY_TIME', o.replyTimeMs)];
  if (o.processTimeMs) latency.push(latencyRows('PROCESS_TIME', o.processTimeMs));
  const tables: ReportTable[] = [
    { title: 'OCSP responses by status (per request)', file: 'ocsp-by-status.csv', headers: ['status', 'requests'], rows: rankedEntries(o.byStatus) },
    { title: 'Certificate status (rows of successful requests)', file: 'ocsp-by-cert-status.csv', headers: ['cert status', 'rows'], rows: rankedEntries(o.byCertStatus) },
  ];
  if (o.byRevocationReason) {
    tables.push({ title: 'Revocation reasons', file: 'ocsp-by-revocation-reason.csv', headers: ['reason', 'rows'], rows: rankedEntries(o.byRevocationReason) });
  }
  tables.push(
    { title: 'Latency (ms, one value per request)', file: 'ocsp-latency.csv', headers: ['metric', 'count', 'min', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max'], rows: latency },
    { title: 'Top clients', file: 'ocsp-by-client.csv', headers: ['client', 'requests', 'cert IDs'], rows: o.byClient.map((c) => [c.client, c.requests, c.certIds]) },
    { title: 'Charging (per client and month of LOG_TIME, UTC)', file: 'ocsp-charging.csv', headers: ['client', 'month', 'requests', 'cert IDs'], rows: o.charging.map((c) => [c.client, c.month, c.requests, c.certIds]) },
    { title: 'Issuers (ISSUER_NAME_DN)', file: 'ocsp-by-issuer.csv', headers: ['issuer', 'requests'], rows: o.byIssuer.map((i) => [i.issuer, i.requests]) },
    { title: 'Requestors of signed requests', file: 'ocsp-requestors.csv', headers: ['requestor', 'requests'], rows: rankedEntries(o.requestors) },
    { title: 'Requests per hour (LOG_TIME, UTC)', file: 'ocsp-timeline.csv', headers: ['hour', 'requests'], rows: o.timeline.map((t) => [t.start, t.requests]) },
  );
  return tables;
}

/** The one-line summary of the transaction logs. */
export function ocspSummary(o: OcspReport): string {
  return `OCSP transaction log: ${o.requests.toLocaleString('en-US')} requests in ${o.lines.toLocaleString('en-US')} rows, ` +
    `${o.certIds.toLocaleString('en-US')} cert IDs` + (o.otherLoggerLines ? `, ${o.otherLoggerLines.toLocaleString('en-US')} lines of other loggers skipped` : '');
}

/** The EJBCA audit-log tables. */
export function auditTables(a: AuditReport): ReportTable[] {
  return [
    { title: 'Audit: responses by status', file: 'audit-by-response-status.csv', headers: ['status', 'records'], rows: rankedEntries(a.byResponseStatus) },
    { title: 'Audit: certificate status (every SingleResponse)', file: 'audit-by-cert-status.csv', headers: ['cert status', 'responses'], rows: rankedEntries(a.byCertStatus) },
    { title: 'Audit: response signatures', file: 'audit-signatures.csv', headers: ['result', 'responses'], rows: rankedEntries(a.signatures) },
    { title: 'Audit: undecodable records by reason', file: 'audit-undecodable.csv', headers: ['reason', 'records'], rows: rankedEntries(a.undecodableByReason) },
  ];
}

export function auditSummary(a: AuditReport): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  return `OCSP audit log: ${n(a.records)} records, ${n(a.decoded)} decoded, ${n(a.undecodable)} undecodable, ` +
    `${n(a.signedRequests)} signed requests, ${n(a.requestsWithNonce)} with a nonce`;
}

/** The EJBCA sections of a report, each a summary line and its tables, for every renderer. */
export function ejbcaSections(report: Report): { summary: string; tables: ReportTable[] }[] {
  const sections: { summary: string; tables: ReportTable[] }[] = [];
  if (report.ocsp) sections.push({ summary: ocspSummary(report.ocsp), tables: ocspTables(report.ocsp) });
  if (report.audit) sections.push({ summary: auditSummary(report.audit), tables: auditTables(report.audit) });
  if (report.reconcile) {
    const r = report.reconcile;
    sections.push({
      summary: `Reconciliation by (SESSION_ID, LOG_ID): ${r.matched} matched, ${r.mismatched} mismatched, ${r.trxOnly} only in the transaction log, ${r.auditOnly} only in the audit log`,
      tables: [
        { title: 'Reconciliation: mismatched requests (samples)', file: 'reconcile-samples.csv', headers: ['session id', 'log id', 'problem'], rows: r.samples.map((x) => [x.sessionId, x.logId, x.problem]) },
      ],
    });
  }
  return sections;
}
