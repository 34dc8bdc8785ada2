import { compareKeys, type Counter } from '../aggregate/counter.js';
import type { OcspStats } from '../aggregate/ocsp.js';
import type { LatencyStats } from '../aggregate/latency.js';
import { groupByDisplay, rankedByDisplay, rankRows } from './ranking.js';

/** OCSPResponseStatus (RFC 6960) names, as the contract reports them. */
export const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'successful'],
  [1, 'malformedRequest'],
  [2, 'internalError'],
  [3, 'tryLater'],
  [5, 'sigRequired'],
  [6, 'unauthorized'],
]);
export const CERT_STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'good'],
  [1, 'revoked'],
  [2, 'unknown'],
]);
/** CRLReason (RFC 5280 §5.3.1). */
export const REVOCATION_REASON_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'unspecified'],
  [1, 'keyCompromise'],
  [2, 'cACompromise'],
  [3, 'affiliationChanged'],
  [4, 'superseded'],
  [5, 'cessationOfOperation'],
  [6, 'certificateHold'],
  [8, 'removeFromCRL'],
  [9, 'privilegeWithdrawn'],
  [10, 'aACompromise'],
]);

export type LatencySummary = ReturnType<LatencyStats['summary']>;

export interface OcspReport {
  lines: number;
  requests: number;
  certIds: number;
  otherLoggerLines: number;
  byStatus: Record<string, number>;
  byCertStatus: Record<string, number>;
  byRevocationReason?: Record<string, number>;
  byClient: { client: string; requests: number; certIds: number }[];
  byIssuer: { issuer: string; requests: number }[];
  requestors: Record<string, number>;
  replyTimeMs: LatencySummary;
  processTimeMs?: LatencySummary;
  timeline: { start: string; requests: number }[];
  /** Per client and month (UTC, of LOG_TIME): what a commercial OCSP service charges for. */
  charging: { client: string; month: string; requests: number; certIds: number }[];
}

function named(counter: Counter<number>, names: ReadonlyMap<number, string>): Record<string, number> {
  const out = new Map<string, number>();
  for (const [code, n] of counter.ranked()) {
    const name = names.get(code) ?? String(code);
    out.set(name, (out.get(name) ?? 0) + n);
  }
  return Object.fromEntries(out);
}

type ClientCounts = { requests: number; certIds: number };
const addClientCounts = (a: ClientCounts, b: ClientCounts): ClientCounts => ({ requests: a.requests + b.requests, certIds: a.certIds + b.certIds });

/** Requests per client and month, by client then month; clients whose names read alike are one. */
function chargingRows(o: ReturnType<OcspStats['settled']>): OcspReport['charging'] {
  const months = new Map<string, [string, ClientCounts][]>();
  for (const [key, requests] of o.chargingRequests.map.entries()) {
    const cut = key.lastIndexOf('\u0000'); // a client may hold NUL; the month never does
    const month = key.slice(cut + 1);
    const rows = months.get(month) ?? [];
    rows.push([key.slice(0, cut), { requests, certIds: o.chargingCertIds.get(key) }]);
    months.set(month, rows);
  }
  const out: OcspReport['charging'] = [];
  // Each client by the least of its raw names over all months, so its rows stay together.
  const rank = new Map<string, string>();
  for (const [month, rows] of months) {
    for (const [client, { raw, value }] of groupByDisplay(rows, addClientCounts)) {
      out.push({ client, month, ...value });
      const known = rank.get(client);
      if (known === undefined || compareKeys(raw, known) < 0) rank.set(client, raw);
    }
  }
  return out.sort((a, b) => compareKeys(rank.get(a.client)!, rank.get(b.client)!) || compareKeys(a.month, b.month));
}

export function ocspReport(stats: OcspStats, top: number): OcspReport {
  const o = stats.settled();
  const report: OcspReport = {
    lines: o.lines,
    requests: o.requests,
    certIds: o.certIds,
    otherLoggerLines: o.otherLoggerLines,
    byStatus: named(o.byStatus, STATUS_NAMES),
    byCertStatus: named(o.byCertStatus, CERT_STATUS_NAMES),
    byClient: rankRows(o.clientRequests.ranked().map(([client, requests]) => [client, { requests, certIds: o.clientCertIds.get(client) }] as const), addClientCounts, (c) => c.requests)
      .slice(0, top)
      .map(([client, c]) => ({ client, ...c })),
    byIssuer: rankedByDisplay(o.issuerRequests.ranked()).slice(0, top).map(([issuer, requests]) => ({ issuer, requests })),
    requestors: Object.fromEntries(rankedByDisplay(o.requestors.ranked()).slice(0, top)),
    replyTimeMs: o.replyTime.summary(),
    timeline: [...o.hourRequests.map.keys()]
      .sort((a, b) => a - b)
      .map((h) => ({ start: new Date(h * 3_600_000).toISOString().replace('.000Z', 'Z'), requests: o.hourRequests.get(h) })),
    charging: chargingRows(o),
  };
  if (o.hasRevReason) report.byRevocationReason = named(o.byRevocationReason, REVOCATION_REASON_NAMES);
  if (o.hasProcessTime) report.processTimeMs = o.processTime.summary();
  return report;
}
