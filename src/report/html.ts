import { ejbcaSections } from './ocsp-tables.js';
import type { PolicyRow, ProxySgReport, Report } from './model.js';
import { formatNumber, truncate } from './table.js';
import { counts, percent, timelineBuckets, type TimelineBucket } from './text.js';
import { escapeHtml, terminalSafe } from './text-safety.js';
import { rankedByRequests, rankedEntries } from './ranking.js';

/**
 * One self-contained HTML file: inline CSS and SVG only, no script, font or URL, and a CSP that
 * forbids loading anything, so a report mailed around or opened from disk cannot phone home or
 * run code even if escaping were ever missed somewhere.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
/** Past this many hours the timeline chart shows days (bars thinner than a pixel say nothing). */
const HTML_TIMELINE_MAX_HOURS = 72;

type HtmlCell = string | number;

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:20px}.card span{color:#666;font-size:12px}
table{border-collapse:collapse;margin:8px 0}th,td{border-bottom:1px solid #eee;padding:3px 10px;text-align:left;vertical-align:top}
th{background:#f6f6f6}td{max-width:420px;overflow-wrap:anywhere}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.none{color:#888}svg{display:block;margin:8px 0;max-width:100%;height:auto}svg text{font:11px sans-serif;fill:#333}
.req{fill:#9db7d5}.err{fill:#d9534f}.legend{font-size:12px;color:#555}.sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
.sw-req{background:#9db7d5}.sw-err{background:#d9534f}
.small{color:#666;font-size:12px}code{overflow-wrap:anywhere}`;

/**
 * Escapes a value for HTML; numbers get thousands separators. Every log value goes through here.
 * Control and bidi-override characters are first made visible as in the terminal: a browser would
 * hide them (or reorder a host name), and `cat report.html` would hand them to the terminal.
 */
function h(value: HtmlCell): string {
  return typeof value === 'number' ? formatNumber(value) : escapeHtml(terminalSafe(value));
}

/** An HTML table; numeric columns right-aligned; "(none)" when empty, as in the text report. */
function htmlTable(headers: string[], rows: HtmlCell[][], numeric: boolean[] = []): string {
  if (rows.length === 0) return '<p class="none">(none)</p>';
  const isNum = headers.map((_, i) => numeric[i] ?? rows.every((r) => typeof r[i] === 'number'));
  const cls = (i: number): string => (isNum[i] ? ' class="num"' : '');
  const head = headers.map((t, i) => `<th${cls(i)}>${h(t)}</th>`).join('');
  const body = rows.map((r) => `<tr>${headers.map((_, i) => `<td${cls(i)}>${h(r[i] ?? '')}</td>`).join('')}</tr>`);
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

const fmt = (x: number): string => x.toFixed(1);

/** Vertical bars per bucket: all requests behind, cert-error requests in front (always a subset). */
function timelineChart(p: ProxySgReport): string {
  const { unit, buckets } = timelineBuckets(p.timeline, HTML_TIMELINE_MAX_HOURS);
  if (buckets.length === 0) return '<p class="none">(none)</p>';
  const W = 960, H = 240, left = 64, right = 8, top = 10, bottom = 34;
  const plotW = W - left - right, plotH = H - top - bottom;
  const max = buckets.reduce((m, b) => Math.max(m, b.requests), 1); // no spread: tables run to millions of rows
  // Bars stand at their time, so hours or days without requests show as gaps.
  const unitMs = unit === 'hour' ? 3_600_000 : 86_400_000;
  const t0 = Date.parse(buckets[0]!.start);
  const slot = (b: TimelineBucket): number => Math.round((Date.parse(b.start) - t0) / unitMs);
  const step = plotW / (slot(buckets[buckets.length - 1]!) + 1);
  const barW = Math.max(1, step * 0.85);
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const bars = buckets.map((b) => {
    const x = left + slot(b) * step;
    const label = unit === 'hour' ? b.start.slice(0, 13).replace('T', ' ') + ':00' : b.start;
    return (
      `<g><title>${h(label)}: ${h(b.requests)} requests, ${h(b.certErrorRequests)} with cert errors</title>` +
      `<rect class="req" x="${fmt(x)}" y="${fmt(y(b.requests))}" width="${fmt(barW)}" height="${fmt(top + plotH - y(b.requests))}"/>` +
      `<rect class="err" x="${fmt(x)}" y="${fmt(y(b.certErrorRequests))}" width="${fmt(barW)}" height="${fmt(top + plotH - y(b.certErrorRequests))}"/></g>`
    );
  });
  const first = buckets[0]!.start, last = buckets[buckets.length - 1]!.start;
  const axis =
    `<line x1="${left}" y1="${top + plotH}" x2="${W - right}" y2="${top + plotH}" stroke="#999"/>` +
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end">${h(max)}</text>` +
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end">0</text>` +
    `<text x="${left}" y="${H - 12}">${h(first)}</text>` +
    `<text x="${W - right}" y="${H - 12}" text-anchor="end">${h(last)}</text>`;
  const legend =
    `<p class="legend">Per ${unit} (UTC)${unit === 'day' ? `, as the logs span more than ${HTML_TIMELINE_MAX_HOURS} hours` : ''}:` +
    `<span class="sw sw-req"></span>requests` +
    `<span class="sw sw-err"></span>requests with certificate errors</p>`;
  return `${legend}<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="timeline">${axis}${bars.join('')}</svg>`;
}

/** Horizontal bars, one per entry, longest first (the order the model gives); nothing when empty, as the table beside it says "(none)". */
function barChart(entries: [string, number][], label: string): string {
  if (entries.length === 0) return '';
  const W = 960, rowH = 22, labelW = 300, valueW = 90;
  const H = entries.length * rowH + 4;
  const max = entries.reduce((m, [, n]) => Math.max(m, n), 1);
  const plotW = W - labelW - valueW;
  const rows = entries.map(([name, n], i) => {
    const yTop = i * rowH + 2;
    const w = Math.max(n > 0 ? 1 : 0, (n / max) * plotW);
    // Labels are cut before escaping (never mid-entity); the full value is in the tooltip.
    return (
      `<g><title>${h(name)}: ${h(n)}</title>` +
      `<text x="${labelW - 8}" y="${yTop + 15}" text-anchor="end">${h(truncate(name, 44))}</text>` +
      `<rect class="err" x="${labelW}" y="${yTop + 3}" width="${fmt(w)}" height="${rowH - 6}"/>` +
      `<text x="${fmt(labelW + w + 6)}" y="${yTop + 15}">${h(n)}</text></g>`
    );
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${h(label)}">${rows.join('')}</svg>`;
}

function policyTable(rows: PolicyRow[]): string {
  return htmlTable(
    ['host', 'reason', 'requests', 'cert-error requests', 'clients', 'errors', 'categories', 'threat risk', 'denied requests'],
    rows.map((r) => [
      r.host,
      r.reason,
      r.requests,
      r.certErrorRequests,
      r.clients,
      r.errors.join(', '),
      r.categories.join(', '),
      r.threatRisk === null ? '-' : r.threatRisk,
      r.deniedRequests,
    ]),
    [false, false, true, true, true, false, false, true, true],
  );
}

/** The chart's buckets as a table: the same hours or days, with the exact numbers. */
function timelineTable(p: ProxySgReport): string {
  const { unit, buckets } = timelineBuckets(p.timeline, HTML_TIMELINE_MAX_HOURS);
  return (
    `<h3>Timeline (per ${unit}, UTC)</h3>` +
    htmlTable(
      [unit, 'requests', 'cert-error requests', 'share'],
      buckets.map((b) => [b.start, b.requests, b.certErrorRequests, percent(b.certErrorRequests, b.requests)]),
      [false, true, true, true],
    )
  );
}

function card(value: string, caption: string): string {
  return `<div class="card"><b>${value}</b><span>${caption}</span></div>`;
}

function proxySgSections(p: ProxySgReport): string[] {
  const simple = (title: string, column: string, entries: Record<string, number>): string =>
    `<h3>${title}</h3>${htmlTable([column, 'requests'], rankedEntries(entries))}`;
  return [
    '<h2>ProxySG</h2>',
    `<h3>Requests over time</h3>${timelineChart(p)}`,
    `<h3>Certificate errors</h3>${barChart(rankedEntries(p.certErrors), 'certificate errors')}`,
    htmlTable(['error', 'requests'], rankedEntries(p.certErrors)),
    `<h3>Top hosts presenting invalid certificates</h3>`,
    barChart(
      p.topHosts.map((t) => [t.host, t.certErrorRequests]),
      'top hosts by cert-error requests',
    ),
    htmlTable(
      ['host', 'requests', 'cert-error requests', 'clients', 'errors', 'first seen', 'last seen'],
      p.topHosts.map((t) => [
        t.host,
        t.requests,
        t.certErrorRequests,
        // "~" marks a HyperLogLog estimate, as in the text report.
        (t.clientsEstimated ? '~' : '') + formatNumber(t.clients),
        counts(t.byError),
        t.firstSeen ?? '-',
        t.lastSeen ?? '-',
      ]),
      [false, true, true, true, false, false, false],
    ),
    '<h2>Policy candidates</h2>',
    `<h3>Exempt (likely trusted)</h3>${policyTable(p.policyCandidates.exempt)}`,
    `<h3>Block (unknown or risky)</h3>${policyTable(p.policyCandidates.block)}`,
    '<h2>Breakdowns</h2>',
    '<h3>By category</h3>' +
      htmlTable(
        ['category', 'requests', 'cert-error requests'],
        rankedByRequests(p.byCategory).map(([c, v]) => [c, v.requests, v.certErrorRequests]),
      ),
    simple('Cipher strength', 'strength', p.byCipherStrength),
    simple('Filter result', 'result', p.byFilterResult),
    simple('Action', 'action', p.byAction),
    simple('Exception', 'exception', p.byException),
    simple('Threat risk', 'risk', p.byThreatRisk),
    simple('OCSP errors', 'error', p.ocspErrors),
    '<h3>Top clients (by cert-error requests)</h3>' +
      htmlTable(
        ['client', 'requests', 'cert-error requests'],
        p.topClients.map((c) => [c.client, c.requests, c.certErrorRequests]),
      ),
    timelineTable(p),
  ];
}

export function renderHtml(report: Report): string {
  const p = report.proxysg;
  const bytes = report.inputs.reduce((sum, i) => sum + i.bytes, 0);
  const cards = [
    card(h(report.inputs.length), 'input files'),
    card(h(bytes), 'bytes read'),
    card(h(report.records.total), 'records'),
    card(h(report.records.malformed), 'malformed records'),
  ];
  if (p) {
    cards.push(card(h(p.requests), 'ProxySG requests'));
    cards.push(card(`${h(p.requestsWithCertErrors)} <small>(${percent(p.requestsWithCertErrors, p.requests)})</small>`, 'with certificate errors'));
    cards.push(card(h(Object.keys(p.certErrors).length), 'distinct certificate errors'));
  }
  const body = [
    '<h1>certcrunch report</h1>',
    `<p class="small">Report format version ${h(report.version)}</p>`,
    `<div class="cards">${cards.join('')}</div>`,
    ...(p ? proxySgSections(p) : []),
    ...ejbcaSections(report).flatMap((section) => [
      `<h2>${h(section.summary)}</h2>`,
      ...section.tables.flatMap((t) => [`<h3>${h(t.title)}</h3>`, htmlTable(t.headers, t.rows)]),
    ]),
    '<h2>Inputs</h2>',
    htmlTable(['path', 'format', 'bytes'], report.inputs.map((i) => [i.path, i.format, i.bytes])),
    '<h3>Malformed records by reason</h3>',
    htmlTable(['reason', 'records'], rankedEntries(report.records.malformedByReason)),
    '<h3>File errors</h3>',
    htmlTable(['path', 'offset', 'message'], report.fileErrors.map((e) => [e.path, e.offset, e.message])),
    '<h3>Malformed samples</h3>',
    htmlTable(
      ['path', 'offset', 'reason', 'excerpt'],
      report.malformedSamples.map((s) => [s.path, s.offset, s.reason, s.excerpt]),
    ),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>certcrunch report</title>',
    `<style>${CSS}</style></head><body>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}
