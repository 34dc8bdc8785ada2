import { compareKeys, type Counter } from '../aggregate/counter.js';
import type { OcspStats } from '../aggregate/ocsp.js';
import type { LatencyStats } from '../aggregate/latency.js';
import { displayText } from './text-safety.js';

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

export function ocspReport(stats: OcspStats, top: number): OcspReport {
  const o = stats.settled();
  const report: OcspReport = {
    lines: o.lines,
    requests: o.requests,
    certIds: o.certIds,
    otherLoggerLines: o.otherLoggerLines,
    byStatus: named(o.byStatus, STATUS_NAMES),
    byCertStatus: named(o.byCertStatus, CERT_STATUS_NAMES),
    byClient: o.clientRequests
      .ranked()
      .slice(0, top)
      .map(([client, requests]) => ({ client: displayText(client), requests, certIds: o.clientCertIds.get(client) })),
    byIssuer: o.issuerRequests.ranked().slice(0, top).map(([issuer, requests]) => ({ issuer: displayText(issuer), requests })),
    requestors: Object.fromEntries(o.requestors.ranked().slice(0, top).map(([name, n]) => [displayText(name), n])),
    replyTimeMs: o.replyTime.summary(),
    timeline: [...o.hourRequests.map.keys()]
      .sort((a, b) => a - b)
      .map((h) => ({ start: new Date(h * 3_600_000).toISOString().replace('.000Z', 'Z'), requests: o.hourRequests.get(h) })),
    charging: [...o.chargingRequests.map.entries()]
      .map(([key, requests]) => {
        const cut = key.lastIndexOf('\u0000'); // a client may hold NUL; the month never does
        return { client: key.slice(0, cut), month: key.slice(cut + 1), requests, certIds: o.chargingCertIds.get(key) };
      })
      .sort((a, b) => compareKeys(a.client, b.client) || compareKeys(a.month, b.month))
      .map((r) => ({ ...r, client: displayText(r.client) })),
  };
  if (o.hasRevReason) report.byRevocationReason = named(o.byRevocationReason, REVOCATION_REASON_NAMES);
  if (o.hasProcessTime) report.processTimeMs = o.processTime.summary();
  return report;
}
