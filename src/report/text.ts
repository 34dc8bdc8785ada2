import { ejbcaSections } from './ocsp-tables.js';
import type { PolicyRow, ProxySgReport, Report } from './model.js';
import { formatNumber, indent, table } from './table.js';
import { terminalSafe } from './text-safety.js';
import { rankedByRequests, rankedEntries } from './ranking.js';

export interface TextOptions {
  /** Bold section titles (ANSI). Only our own fixed strings are ever styled. */
  color?: boolean;
}

export interface TimelineBucket {
  /** "YYYY-MM-DDTHH:00:00Z" for hours, "YYYY-MM-DD" for days. */
  start: string;
  requests: number;
  certErrorRequests: number;
}

/**
 * The timeline as hours, or as days when it spans more than `maxHours` hours (a month of hourly
 * rows is unreadable). The span counts from the first to the last hour, gaps included.
 */
export function timelineBuckets(
  timeline: ProxySgReport['timeline'],
  maxHours: number,
): { unit: 'hour' | 'day'; buckets: TimelineBucket[] } {
  const first = timeline[0];
  const last = timeline[timeline.length - 1];
  const spanHours = first && last ? (Date.parse(last.start) - Date.parse(first.start)) / 3_600_000 + 1 : 0;
  if (spanHours <= maxHours) return { unit: 'hour', buckets: timeline.map((t) => ({ ...t })) };
  const days = new Map<string, TimelineBucket>();
  for (const t of timeline) {
    const day = t.start.slice(0, 10);
    const b = days.get(day) ?? { start: day, requests: 0, certErrorRequests: 0 };
    b.requests += t.requests;
    b.certErrorRequests += t.certErrorRequests;
    days.set(day, b);
  }
  return { unit: 'day', buckets: [...days.values()] };
}

/** Share as "12.3%"; "0%" when there is nothing to divide by. */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

/** Counter entries ("name 3, other 1") for one table cell; the table escapes and truncates. */
export function counts(entries: Record<string, number>): string {
  return rankedEntries(entries)
    .map(([k, n]) => `${k} ${formatNumber(n)}`)
    .join(', ');
}

/** Width of the timeline's "#" bar at its largest bucket. */
const BAR_WIDTH = 30;
/** Past this many hours the text timeline shows days. */
const TEXT_TIMELINE_MAX_HOURS = 48;

export function renderText(report: Report, options: TextOptions = {}): string {
  const out: string[] = [];
  const title = (s: string): string => (options.color ? `\x1b[1m${s}\x1b[0m` : s);
  // depth 2 nests a sub-section (the two policy lists) under its parent title.
  const section = (name: string, body: string, depth = 1): void => {
    const pad = '  '.repeat(depth - 1);
    out.push('', pad + title(name), indent(body, pad + '  '));
  };

  // Header: what was read and how much of it could not be.
  const bytes = report.inputs.reduce((sum, i) => sum + i.bytes, 0);
  const n = report.inputs.length;
  out.push(title(`certcrunch report (version ${report.version})`));
  out.push(`Inputs:  ${formatNumber(n)} file${n === 1 ? '' : 's'}, ${formatNumber(bytes)} bytes`);
  const reasons = counts(report.records.malformedByReason);
  out.push(
    `Records: ${formatNumber(report.records.total)} total, ${formatNumber(report.records.malformed)} malformed` +
      (reasons ? ` (${terminalSafe(reasons)})` : ''),
  );
  if (report.fileErrors.length > 0) {
    out.push(`File errors: ${formatNumber(report.fileErrors.length)}`);
    for (const e of report.fileErrors) out.push(`  ${terminalSafe(e.path)}:${e.offset} ${terminalSafe(e.message)}`);
  }

  if (report.proxysg) renderProxySg(report.proxysg, section, out, title);
  for (const ejbca of ejbcaSections(report)) {
    out.push('', ejbca.summary);
    // The timeline can be long: the text report shows its last 48 hours; CSV and JSON have all.
    for (const t of ejbca.tables) {
      const rows = t.file === 'ocsp-timeline.csv' ? t.rows.slice(-TEXT_TIMELINE_MAX_HOURS) : t.rows;
      section(t.title, table(t.headers, rows));
    }
  }

  if (report.malformedSamples.length > 0) {
    out.push('', title('Malformed samples'));
    for (const s of report.malformedSamples) {
      out.push(`  ${terminalSafe(s.path)}:${s.offset} ${terminalSafe(s.reason)} ${terminalSafe(s.excerpt)}`);
    }
  }
  return out.join('\n') + '\n';
}

function renderProxySg(
  p: ProxySgReport,
  section: (name: string, body: string, depth?: number) => void,
  out: string[],
  title: (s: string) => string,
): void {
  out.push(
    '',
    `ProxySG: ${formatNumber(p.requests)} requests, ${formatNumber(p.requestsWithCertErrors)} with certificate errors ` +
      `(${percent(p.requestsWithCertErrors, p.requests)})` +
      (p.recordsWithoutTime > 0 ? `, ${formatNumber(p.recordsWithoutTime)} without a readable time` : ''),
  );

  section('Certificate errors', table(['error', 'requests'], rankedEntries(p.certErrors)));

  section(
    'Top hosts presenting invalid certificates',
    table(
      ['host', 'requests', 'cert errors', 'clients', 'errors'],
      p.topHosts.map((h) => [
        h.host,
        h.requests,
        h.certErrorRequests,
        // "~" marks a HyperLogLog estimate (more than the exact limit of distinct clients).
        (h.clientsEstimated ? '~' : '') + formatNumber(h.clients),
        counts(h.byError),
      ]),
      ['left', 'right', 'right', 'right', 'left'],
    ),
  );

  out.push('', title('Policy candidates (hosts with certificate errors)'));
  section('Exempt (likely trusted)', policyTable(p.policyCandidates.exempt), 2);
  section('Block (unknown or risky)', policyTable(p.policyCandidates.block), 2);

  section(
    'By category',
    table(
      ['category', 'requests', 'cert errors'],
      rankedByRequests(p.byCategory).map(([c, v]) => [c, v.requests, v.certErrorRequests]),
    ),
  );
  section('Cipher strength', table(['strength', 'requests'], rankedEntries(p.byCipherStrength)));
  section('Filter result', table(['result', 'requests'], rankedEntries(p.byFilterResult)));
  section('Action', table(['action', 'requests'], rankedEntries(p.byAction)));
  section('Exception', table(['exception', 'requests'], rankedEntries(p.byException)));
  section('Threat risk', table(['risk', 'requests'], rankedEntries(p.byThreatRisk)));
  section('OCSP errors', table(['error', 'requests'], rankedEntries(p.ocspErrors)));
  section(
    'Top clients (by cert-error requests)',
    table(
      ['client', 'requests', 'cert errors'],
      p.topClients.map((c) => [c.client, c.requests, c.certErrorRequests]),
    ),
  );

  const { unit, buckets } = timelineBuckets(p.timeline, TEXT_TIMELINE_MAX_HOURS);
  const max = buckets.reduce((m, b) => Math.max(m, b.requests), 1); // no spread: tables run to millions of rows
  section(
    unit === 'hour' ? 'Timeline (per hour, UTC)' : `Timeline (per day, UTC: more than ${TEXT_TIMELINE_MAX_HOURS} hours)`,
    table(
      [unit, 'requests', 'cert errors', ''],
      buckets.map((b) => [
        unit === 'hour' ? b.start.slice(0, 13).replace('T', ' ') + ':00' : b.start,
        b.requests,
        b.certErrorRequests,
        // Bar length relative to the busiest bucket; any traffic shows at least one mark.
        '#'.repeat(b.requests > 0 ? Math.max(1, Math.round((b.requests / max) * BAR_WIDTH)) : 0),
      ]),
      ['left', 'right', 'right', 'left'],
    ),
  );
}

function policyTable(rows: PolicyRow[]): string {
  return table(
    ['host', 'reason', 'requests', 'clients', 'errors', 'categories', 'threat risk', 'denied'],
    rows.map((r) => [
      r.host,
      r.reason,
      r.requests,
      r.clients,
      r.errors.join(', '),
      r.categories.join(', '),
      r.threatRisk === null ? '-' : r.threatRisk,
      r.deniedRequests,
    ]),
    ['left', 'left', 'right', 'right', 'left', 'left', 'right', 'right'],
  );
}
