import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeToPath } from 'fast-csv';
import { ejbcaSections } from './ocsp-tables.js';
import type { ProxySgReport, Report } from './model.js';
import { csvSafe } from './text-safety.js';
import { rankedByRequests, rankedEntries } from './ranking.js';
import { cannot } from '../errors.js';

/** A CSV cell before escaping: strings are made formula-safe, numbers are written as they are. */
type CsvCell = string | number | boolean | null;

interface CsvTable {
  file: string;
  headers: string[];
  rows: CsvCell[][];
}

/**
 * Every string cell goes through csvSafe (spreadsheets would run "=…" as a formula); numbers stay
 * numbers so they sort and sum in a spreadsheet. null (no value) is an empty cell.
 */
function cell(value: CsvCell): string | number {
  if (value === null) return '';
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return csvSafe(value);
}

/** `{ name: n }` → "name=n;other=m" in the model's ranked order (tokens never contain ';'). */
function joinCounts(entries: Record<string, number>): string {
  return rankedEntries(entries)
    .map(([k, n]) => `${k}=${n}`)
    .join(';');
}

function writeTable(path: string, t: CsvTable): Promise<void> {
  // The header is the first row, so an empty table is still a valid file with its columns.
  const rows = [t.headers, ...t.rows].map((r) => r.map(cell));
  return new Promise((resolve, reject) => {
    writeToPath(path, rows, { headers: false, includeEndRowDelimiter: true })
      .on('error', reject)
      .on('finish', () => resolve());
  });
}

function baseTables(report: Report): CsvTable[] {
  return [
    { file: 'inputs.csv', headers: ['path', 'format', 'bytes'], rows: report.inputs.map((i) => [i.path, i.format, i.bytes]) },
    { file: 'records.csv', headers: ['reason', 'count'], rows: rankedEntries(report.records.malformedByReason) },
    {
      file: 'malformed-samples.csv',
      headers: ['path', 'offset', 'reason', 'excerpt'],
      rows: report.malformedSamples.map((s) => [s.path, s.offset, s.reason, s.excerpt]),
    },
    {
      file: 'file-errors.csv',
      headers: ['path', 'offset', 'message'],
      rows: report.fileErrors.map((e) => [e.path, e.offset, e.message]),
    },
  ];
}

function proxySgTables(p: ProxySgReport): CsvTable[] {
  const policy = [...p.policyCandidates.exempt, ...p.policyCandidates.block];
  return [
    { file: 'cert-errors.csv', headers: ['error', 'count'], rows: rankedEntries(p.certErrors) },
    {
      file: 'top-hosts.csv',
      headers: ['host', 'requests', 'certErrorRequests', 'clients', 'clientsEstimated', 'errors', 'firstSeen', 'lastSeen'],
      rows: p.topHosts.map((h) => [
        h.host,
        h.requests,
        h.certErrorRequests,
        h.clients,
        h.clientsEstimated,
        joinCounts(h.byError),
        h.firstSeen,
        h.lastSeen,
      ]),
    },
    {
      file: 'policy-candidates.csv',
      headers: [
        'action',
        'host',
        'reason',
        'requests',
        'certErrorRequests',
        'clients',
        'errors',
        'categories',
        'threatRisk',
        'deniedRequests',
      ],
      rows: policy.map((r) => [
        r.action,
        r.host,
        r.reason,
        r.requests,
        r.certErrorRequests,
        r.clients,
        r.errors.join(';'),
        r.categories.join(';'),
        r.threatRisk,
        r.deniedRequests,
      ]),
    },
    {
      file: 'by-category.csv',
      headers: ['category', 'requests', 'certErrorRequests'],
      rows: rankedByRequests(p.byCategory).map(([c, v]) => [c, v.requests, v.certErrorRequests]),
    },
    { file: 'by-cipher-strength.csv', headers: ['cipherStrength', 'count'], rows: rankedEntries(p.byCipherStrength) },
    { file: 'by-filter-result.csv', headers: ['filterResult', 'count'], rows: rankedEntries(p.byFilterResult) },
    { file: 'by-action.csv', headers: ['action', 'count'], rows: rankedEntries(p.byAction) },
    { file: 'by-exception.csv', headers: ['exception', 'count'], rows: rankedEntries(p.byException) },
    { file: 'by-threat-risk.csv', headers: ['threatRisk', 'count'], rows: rankedEntries(p.byThreatRisk) },
    { file: 'ocsp-errors.csv', headers: ['error', 'count'], rows: rankedEntries(p.ocspErrors) },
    {
      file: 'top-clients.csv',
      headers: ['client', 'requests', 'certErrorRequests'],
      rows: p.topClients.map((c) => [c.client, c.requests, c.certErrorRequests]),
    },
    {
      file: 'timeline.csv',
      headers: ['start', 'requests', 'certErrorRequests'],
      rows: p.timeline.map((t) => [t.start, t.requests, t.certErrorRequests]),
    },
  ];
}

/**
 * Writes every report table as a CSV file (header row first) into `dir`, creating it. ProxySG
 * tables are written only when the report has a ProxySG section. Returns the paths written.
 */
export async function writeCsvTables(report: Report, dir: string): Promise<string[]> {
  await makeDirectory(dir);
  const tables = [
    ...baseTables(report),
    ...(report.proxysg ? proxySgTables(report.proxysg) : []),
    ...ejbcaSections(report).flatMap((section) => section.tables),
  ];
  const paths: string[] = [];
  // One file at a time: a handful of small files, and an error names the first one that failed.
  for (const t of tables) {
    const path = join(dir, t.file);
    await writeTable(path, t);
    paths.push(path);
  }
  return paths;
}

/**
 * Creates `dir` and any missing parents. Not mkdir's own `recursive`, which never settles where a
 * parent exists and a child still cannot be made there (under /proc).
 */
async function makeDirectory(dir: string): Promise<void> {
  const fail = (err: unknown): never => {
    throw cannot('create directory', err, dir);
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        if ((await stat(dir)).isDirectory()) return;
        fail(new Error('not a directory'));
      }
      const parent = dirname(dir);
      // A missing parent is made once; missing still after that, or at the root, is an error.
      if (code !== 'ENOENT' || attempt > 0 || parent === dir) fail(err);
      await makeDirectory(parent);
    }
  }
}
