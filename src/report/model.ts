import { compareKeys, type Counter } from '../aggregate/counter.js';
import { ErrorHost, type ProxySgStats } from '../aggregate/proxysg.js';
import { SCHEMA_VERSION } from '../snapshot/snapshot.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { classifyHost, type PolicyAction } from './policy.js';
import { displayText } from './text-safety.js';
import { rankedByDisplay, rankRows } from './ranking.js';
import { ocspReport, type OcspReport } from './ocsp-model.js';
import { reconcile, type ReconcileResult } from '../aggregate/reconcile.js';

/** The JSON report of the contract (`--json`); text, CSV and HTML render this same model. */
export interface Report {
  version: number;
  inputs: { path: string; format: string; bytes: number }[];
  records: { total: number; malformed: number; malformedByReason: Record<string, number> };
  malformedSamples: { path: string; offset: number; reason: string; excerpt: string }[];
  fileErrors: { path: string; offset: number; message: string }[];
  proxysg?: ProxySgReport;
  ocsp?: OcspReport;
  audit?: AuditReport;
  reconcile?: ReconcileResult;
}

export interface AuditReport {
  records: number;
  decoded: number;
  undecodable: number;
  undecodableByReason: Record<string, number>;
  byResponseStatus: Record<string, number>;
  byCertStatus: Record<string, number>;
  signedRequests: number;
  requestsWithNonce: number;
  signatures: Record<string, number>;
  otherLoggerLines: number;
}

export interface HostRow {
  host: string;
  requests: number;
  certErrorRequests: number;
  byError: Record<string, number>;
  clients: number;
  clientsEstimated: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface PolicyRow {
  host: string;
  action: PolicyAction;
  reason: string;
  requests: number;
  certErrorRequests: number;
  clients: number;
  errors: string[];
  categories: string[];
  threatRisk: number | null;
  deniedRequests: number;
}

export interface ProxySgReport {
  requests: number;
  requestsWithCertErrors: number;
  recordsWithoutTime: number;
  certErrors: Record<string, number>;
  topHosts: HostRow[];
  topClients: { client: string; requests: number; certErrorRequests: number }[];
  byCategory: Record<string, { requests: number; certErrorRequests: number }>;
  byCipherStrength: Record<string, number>;
  byFilterResult: Record<string, number>;
  byAction: Record<string, number>;
  byException: Record<string, number>;
  byThreatRisk: Record<string, number>;
  ocspErrors: Record<string, number>;
  timeline: { start: string; requests: number; certErrorRequests: number }[];
  policyCandidates: { exempt: PolicyRow[]; block: PolicyRow[] };
}

export interface ReportOptions {
  /** Rows in ranked tables (topHosts, topClients, policy lists). */
  top?: number;
}

/** Counter → object ranked by count desc, key asc; keys decoded for display (those that read alike, added). Keys are data: own properties only. */
function ranked(counter: Counter<string>): Record<string, number> {
  return Object.fromEntries(rankedByDisplay(counter.ranked()));
}

/** A counter's keys for display, ranked, each once. */
function names(counter: Counter<string>): string[] {
  return rankedByDisplay(counter.ranked()).map(([name]) => name);
}

function byCategory(p: ProxySgStats): Record<string, { requests: number; certErrorRequests: number }> {
  return Object.fromEntries(rankRows(
    p.categoryRequests.ranked().map(([c, n]) => [c, { requests: n, certErrorRequests: p.categoryErrorRequests.get(c) }] as const),
    (a, b) => ({ requests: a.requests + b.requests, certErrorRequests: a.certErrorRequests + b.certErrorRequests }),
    (row) => row.requests,
  ));
}

/** Hosts with cert errors, by display name (hosts whose names read alike, one row), ranked by cert-error requests. */
function errorHostRows(p: ProxySgStats) {
  return rankRows(
    [...p.errorHosts].map(([host, h]) => [host, { h, requests: p.hostRequests.get(host), errorRequests: p.hostErrorRequests.get(host) }] as const),
    // Merged into a new host: the snapshot's own stay as they are.
    (a, b) => ({ h: new ErrorHost().merge(a.h).merge(b.h), requests: a.requests + b.requests, errorRequests: a.errorRequests + b.errorRequests }),
    (row) => row.errorRequests,
  ).map(([host, row]) => ({ host, ...row }));
}

const isoSeconds = (s: number): string | null => (s < 0 ? null : new Date(s * 1000).toISOString().replace('.000Z', 'Z'));
const isoHour = (hour: number): string => new Date(hour * 3_600_000).toISOString().replace('.000Z', 'Z');

export function buildReport(snapshot: Snapshot, options: ReportOptions = {}): Report {
  const top = options.top ?? 20;
  const records = snapshot.records;
  const report: Report = {
    version: SCHEMA_VERSION,
    inputs: [...snapshot.meta.inputs.values()]
      .sort((a, b) => compareKeys(a.path, b.path))
      .map((i) => ({ path: i.path, format: i.format, bytes: i.bytes })),
    records: { total: records.total, malformed: records.malformedTotal, malformedByReason: ranked(records.malformed) },
    malformedSamples: records.samples.map((s) => ({ ...s })),
    fileErrors: snapshot.meta.fileErrors.map((e) => ({ ...e })),
  };
  if (snapshot.proxysg) report.proxysg = proxySgReport(snapshot.proxysg, top);
  if (snapshot.ocsp) report.ocsp = ocspReport(snapshot.ocsp, top);
  if (snapshot.reconcile && snapshot.ocsp && snapshot.audit) {
    const r = reconcile(snapshot.reconcile.trx, snapshot.reconcile.audit);
    report.reconcile = { ...r, samples: r.samples.map((x) => ({ ...x, sessionId: displayText(x.sessionId) })) };
  }
  if (snapshot.audit) {
    const a = snapshot.audit;
    report.audit = {
      records: a.records,
      decoded: a.decoded,
      undecodable: a.records - a.decoded,
      undecodableByReason: ranked(a.undecodable),
      byResponseStatus: ranked(a.byResponseStatus),
      byCertStatus: ranked(a.byCertStatus),
      signedRequests: a.signedRequests,
      requestsWithNonce: a.requestsWithNonce,
      signatures: ranked(a.signatures),
      otherLoggerLines: a.otherLoggerLines,
    };
  }
  return report;
}

function proxySgReport(p: ProxySgStats, top: number): ProxySgReport {
  const errorHosts = errorHostRows(p);

  const policy: { exempt: PolicyRow[]; block: PolicyRow[] } = { exempt: [], block: [] };
  for (const { host, h, requests, errorRequests } of errorHosts) {
    const decision = classifyHost(h);
    const list = policy[decision.action];
    if (list.length >= top) continue;
    list.push({
      host,
      action: decision.action,
      reason: displayText(decision.reason),
      requests,
      certErrorRequests: errorRequests,
      clients: h.clients.count(),
      errors: names(h.errors),
      categories: names(h.categories),
      threatRisk: h.maxThreatRisk < 0 ? null : h.maxThreatRisk,
      deniedRequests: h.filterResults.get('DENIED'),
    });
  }

  // Clients with cert-error requests (a part of all clients), as counted in the requests table.
  const clients = rankRows(
    [...p.clientErrorRequests.entries()]
      .filter(([client, errors]) => errors > 0 && p.clientRequests.has(client))
      .map(([client, errors]) => [client, { requests: p.clientRequests.get(client), errors }] as const),
    (a, b) => ({ requests: a.requests + b.requests, errors: a.errors + b.errors }),
    (row) => row.errors,
    (row) => row.requests,
  ).slice(0, top);

  const hours = [...p.hourRequests.map.keys()].sort((a, b) => a - b);
  return {
    requests: p.requests,
    requestsWithCertErrors: p.requestsWithCertErrors,
    recordsWithoutTime: p.recordsWithoutTime,
    certErrors: ranked(p.certErrors),
    topHosts: errorHosts.slice(0, top).map(({ host, h, requests, errorRequests }) => ({
      host,
      requests,
      certErrorRequests: errorRequests,
      byError: ranked(h.errors),
      clients: h.clients.count(),
      clientsEstimated: !h.clients.isExact,
      firstSeen: isoSeconds(h.firstSeen),
      lastSeen: isoSeconds(h.lastSeen),
    })),
    topClients: clients.map(([client, c]) => ({ client, requests: c.requests, certErrorRequests: c.errors })),
    byCategory: byCategory(p),
    byCipherStrength: ranked(p.cipherStrength),
    byFilterResult: ranked(p.filterResult),
    byAction: ranked(p.action),
    byException: ranked(p.exception),
    byThreatRisk: ranked(p.threatRisk),
    ocspErrors: ranked(p.ocspErrors),
    timeline: hours.map((h) => ({ start: isoHour(h), requests: p.hourRequests.get(h), certErrorRequests: p.hourErrorRequests.get(h) })),
    policyCandidates: policy,
  };
}
