import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseString } from 'fast-csv';
import { ProxySgStats } from '../../src/aggregate/proxysg.js';
import { Snapshot } from '../../src/snapshot/snapshot.js';
import { buildReport, type Report } from '../../src/report/model.js';
import { renderText } from '../../src/report/text.js';
import { renderHtml } from '../../src/report/html.js';
import { writeCsvTables } from '../../src/report/csv.js';
import { table } from '../../src/report/table.js';

const ESC_HOST = '\x1b[31mevil';
const SCRIPT_HOST = '<script>alert(1)</script>';
const FORMULA_HOST = '=HYPERLINK("http://x")';
const BASE_HOUR = Date.UTC(2024, 0, 1) / 3_600_000;

/** Adds one host's error records: request counts, error tokens, clients, categories, risk. */
function addHost(
  p: ProxySgStats,
  host: string,
  o: { requests: number; errors: Record<string, number>; clients: string[]; categories: string[]; risk: number },
): void {
  const errorRequests = Object.values(o.errors).reduce((a, b) => a + b, 0);
  p.hostRequests.add(host, o.requests);
  p.hostErrorRequests.add(host, errorRequests);
  const h = p.errorHost(host);
  // Object.entries keeps "__proto__" as a plain key (an own property), as a log token would be.
  for (const [e, n] of Object.entries(o.errors)) {
    h.errors.add(e, n);
    p.certErrors.add(e, n);
  }
  for (const c of o.clients) {
    h.clients.add(c);
    p.clientRequests.add(c, 1);
    p.clientErrorRequests.add(c, 1);
  }
  for (const c of o.categories) h.categories.add(c, errorRequests);
  h.filterResults.add('DENIED', 1);
  h.maxThreatRisk = o.risk;
  h.seen(BASE_HOUR * 3600);
  p.requests += o.requests;
  p.requestsWithCertErrors += errorRequests;
}

/** A small snapshot with hostile values everywhere a log value can land; `hours` of timeline. */
function hostileReport(hours: number): Report {
  const s = new Snapshot();
  s.meta.addInput({ path: 'logs/a.log', format: 'proxysg', bytes: 123_456, mtimeMs: 0, gzip: false, ranges: [[0, 123_456]] });
  s.meta.addFileError({ path: 'logs/bad\x1b[2J.gz', offset: 10, message: 'corrupt gzip' });
  s.records.wellFormed = 2_000;
  s.records.addMalformed({ path: 'logs/a.log', offset: 42, reason: 'field-count', excerpt: 'short line' });
  const p = (s.proxysg = new ProxySgStats());
  addHost(p, 'good.example.com', {
    requests: 1_500,
    errors: { expired: 1_200 },
    clients: ['10.0.0.1', '10.0.0.2'],
    categories: ['Technology/Internet'],
    risk: 1,
  });
  addHost(p, ESC_HOST, { requests: 10, errors: { untrusted_issuer: 7 }, clients: ['10.0.0.3'], categories: ['Phishing'], risk: 9 });
  addHost(p, SCRIPT_HOST, { requests: 5, errors: { ['__proto__']: 4 }, clients: ['10.0.0.4'], categories: [SCRIPT_HOST], risk: -1 });
  addHost(p, FORMULA_HOST, { requests: 3, errors: { '=cmd|calc': 2 }, clients: [FORMULA_HOST], categories: ['none'], risk: 2 });
  p.categoryRequests.add('Technology/Internet', 1_500);
  p.categoryErrorRequests.add('Technology/Internet', 1_200);
  p.categoryRequests.add(SCRIPT_HOST, 5);
  p.cipherStrength.add('HIGH', 1_400);
  p.cipherStrength.add('MEDIUM', 118);
  p.filterResult.add('OBSERVED', 1_500);
  p.action.add('TCP_TUNNELED', 1_518);
  p.threatRisk.add('1', 1_500);
  // byException and ocspErrors stay empty: "(none)".
  for (let i = 0; i < hours; i++) {
    p.hourRequests.add(BASE_HOUR + i, 10);
    p.hourErrorRequests.add(BASE_HOUR + i, 2);
  }
  return buildReport(s, { top: 20 });
}

/** The lines of the table under a section title: up to the next blank line. */
function tableLines(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === title);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('table()', () => {
  it('aligns columns, right-aligns numbers, separates thousands', () => {
    const out = table(['name', 'count'], [['a', 1], ['longer name', 1_234_567]]).split('\n');
    expect(new Set(out.map((l) => l.length)).size).toBe(1);
    expect(out[2]).toBe('a                    1');
    expect(out[3]).toBe('longer name  1,234,567');
  });

  it('truncates long cells with an ellipsis and prints (none) when empty', () => {
    const out = table(['v'], [['x'.repeat(100)]]);
    expect(out.split('\n')[2]).toBe('x'.repeat(59) + '…');
    expect(table(['v'], [])).toBe('(none)');
  });

  it('escapes control characters before measuring', () => {
    const out = table(['host', 'n'], [[ESC_HOST, 1], ['plain', 22]]);
    expect(out).not.toContain('\x1b');
    expect(out).toContain('\\x1b[31mevil');
    expect(new Set(out.split('\n').map((l) => l.length)).size).toBe(1);
  });
});

describe('renderText', () => {
  const report = hostileReport(6);
  const text = renderText(report);

  it('never prints a raw ESC byte from the data', () => {
    expect(text).not.toContain('\x1b');
    expect(text).toContain('\\x1b[31mevil');
    expect(text).toContain('logs/bad\\x1b[2J.gz:10 corrupt gzip');
  });

  it('has the header, summary and sections', () => {
    expect(text).toContain('Inputs:  1 file, 123,456 bytes');
    expect(text).toContain('Records: 2,001 total, 1 malformed (field-count 1)');
    expect(text).toContain('ProxySG: 1,518 requests, 1,213 with certificate errors (79.9%)');
    for (const title of ['Exempt (likely trusted)', 'Block (unknown or risky)', 'Top clients (by cert-error requests)']) {
      expect(text).toContain(title);
    }
    expect(text).toContain('__proto__');
    expect(text.trimEnd().split('\n').at(-1)).toBe('  logs/a.log:42 field-count short line');
  });

  it('aligns every line of a table to the same width', () => {
    const titles = ['Certificate errors', 'Top hosts presenting invalid certificates', 'Exempt (likely trusted)'];
    for (const title of [...titles, 'Cipher strength', 'By category', 'Timeline (per hour, UTC)']) {
      const lines = tableLines(text, title);
      expect(lines.length).toBeGreaterThan(2);
      expect(new Set(lines.map((l) => l.length)).size, title).toBe(1);
    }
    const [, , first] = tableLines(text, 'Certificate errors');
    expect(first).toMatch(/^ {2}expired\s+1,200$/);
  });

  it('prints (none) for empty tables', () => {
    expect(tableLines(text, 'Exception')).toEqual(['  (none)']);
    expect(tableLines(text, 'OCSP errors')).toEqual(['  (none)']);
  });

  it('splits policy candidates and marks nothing estimated for exact counts', () => {
    const exempt = tableLines(text, 'Exempt (likely trusted)').join('\n');
    const block = tableLines(text, 'Block (unknown or risky)').join('\n');
    expect(exempt).toContain('good.example.com');
    expect(block).toContain('risky category Phishing');
    expect(text).not.toMatch(/~\d/);
  });

  it('shows hours up to 48 hours and days beyond', () => {
    expect(tableLines(renderText(hostileReport(48)), 'Timeline (per hour, UTC)')).toHaveLength(50);
    const days = renderText(hostileReport(49));
    expect(days).toContain('Timeline (per day, UTC: more than 48 hours)');
    const rows = tableLines(days, 'Timeline (per day, UTC: more than 48 hours)');
    expect(rows).toHaveLength(2 + 3);
    expect(rows[2]).toMatch(/^ {2}2024-01-01\s+240\s+48\s+#+\s*$/);
    expect(rows[4]).toMatch(/^ {2}2024-01-03\s+10\s+2\s+#\s*$/);
  });

  it('renders a report without ProxySG data', () => {
    const bare = renderText(buildReport(new Snapshot()));
    expect(bare).toContain('Inputs:  0 files, 0 bytes');
    expect(bare).not.toContain('ProxySG');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(hostileReport(6));

  it('escapes data so no markup from the logs survives', () => {
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;)');
    expect(html).not.toContain('\x1b');
    expect(html).toContain('\\x1b[31mevil');
  });

  it('is self-contained with a locking CSP', () => {
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    // The only URL in the file is the escaped log value.
    expect(html.match(/https?:\/\//g)).toHaveLength(html.match(/HYPERLINK/g)!.length);
  });

  it('draws the charts and tables', () => {
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('Exempt (likely trusted)');
    expect(html).toContain('Block (unknown or risky)');
    expect(html).toContain('<p class="none">(none)</p>');
    expect(html).toContain('<td class="num">1,200</td>');
    expect(html).toContain('Per hour (UTC)');
  });

  it('says "(none)" once for a section with nothing to show, chart and table alike empty', () => {
    const s = new Snapshot();
    const p = (s.proxysg = new ProxySgStats());
    p.hourRequests.add(BASE_HOUR, 10);
    p.requests = 10;
    const page = renderHtml(buildReport(s));
    for (const title of ['Certificate errors', 'Top hosts presenting invalid certificates']) {
      const section = page.slice(page.indexOf(`<h3>${title}</h3>`), page.indexOf('<h3>', page.indexOf(`<h3>${title}</h3>`) + 4));
      expect(section.match(/\(none\)/g), title).toHaveLength(1);
    }
  });

  it('places bars at their time, so hours without requests show as gaps', () => {
    const s = new Snapshot();
    const p = (s.proxysg = new ProxySgStats());
    for (const hour of [0, 1, 3]) p.hourRequests.add(BASE_HOUR + hour, 10);
    p.requests = 30;
    const x = [...renderHtml(buildReport(s)).matchAll(/<rect class="req" x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(x).toHaveLength(3);
    // Four hour-slots from the first to the last: the bars at 0, 1 and 3 leave the slot of hour 2 empty.
    expect(x[2]! - x[1]!).toBeCloseTo(2 * (x[1]! - x[0]!), 0);
  });

  it('charts days past 72 hours', () => {
    expect(renderHtml(hostileReport(72))).toContain('Per hour (UTC)');
    const days = renderHtml(hostileReport(73));
    expect(days).toContain('Per day (UTC), as the logs span more than 72 hours');
    expect(days).toContain('<td>2024-01-04</td>');
  });
});

describe('writeCsvTables', () => {
  const parse = (text: string): Promise<string[][]> =>
    new Promise((resolve, reject) => {
      const rows: string[][] = [];
      parseString<string[], string[]>(text)
        .on('data', (r: string[]) => rows.push(r))
        .on('error', reject)
        .on('end', () => resolve(rows));
    });

  it('writes one CSV per table with formula-safe strings and plain numbers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certcrunch-csv-'));
    try {
      const out = join(dir, 'nested', 'csv');
      const paths = await writeCsvTables(hostileReport(3), out);
      const names = (await readdir(out)).sort();
      expect(paths.map((p) => p.slice(out.length + 1)).sort()).toEqual(names);
      for (const f of ['records.csv', 'cert-errors.csv', 'top-hosts.csv', 'policy-candidates.csv', 'timeline.csv', 'inputs.csv']) {
        expect(names).toContain(f);
      }

      const hostsText = await readFile(join(out, 'top-hosts.csv'), 'utf8');
      const hosts = await parse(hostsText);
      expect(hosts[0]).toEqual(['host', 'requests', 'certErrorRequests', 'clients', 'clientsEstimated', 'errors', 'firstSeen', 'lastSeen']);
      expect(hosts[1]).toEqual(['good.example.com', '1500', '1200', '2', 'false', 'expired=1200', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z']);
      const formula = hosts.find((r) => r[0]!.includes('HYPERLINK'));
      expect(formula?.[0]).toBe(`'${FORMULA_HOST}`);
      expect(formula?.[5]).toBe(`'=cmd|calc=2`);
      expect(hosts.some((r) => r[5] === '__proto__=4')).toBe(true);
      expect(hostsText).toContain('\ngood.example.com,1500,1200,2,false,');
      // No cell anywhere starts with a formula character.
      for (const path of paths) {
        for (const row of await parse(await readFile(path, 'utf8'))) {
          for (const c of row) expect(c, path).not.toMatch(/^[=+@\t\r]/);
        }
      }

      const policy = await parse(await readFile(join(out, 'policy-candidates.csv'), 'utf8'));
      expect(policy[0]).toEqual([
        'action', 'host', 'reason', 'requests', 'certErrorRequests', 'clients', 'errors', 'categories', 'threatRisk', 'deniedRequests',
      ]);
      expect(policy).toContainEqual(['exempt', 'good.example.com', 'known category, threat risk 1', '1500', '1200', '2', 'expired', 'Technology/Internet', '1', '1']);
      expect(await parse(await readFile(join(out, 'ocsp-errors.csv'), 'utf8'))).toEqual([['error', 'count']]);
      expect(await parse(await readFile(join(out, 'records.csv'), 'utf8'))).toEqual([['reason', 'count'], ['field-count', '1']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes only the common tables without ProxySG data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certcrunch-csv-'));
    try {
      const paths = await writeCsvTables(buildReport(new Snapshot()), dir);
      expect(paths.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
        'file-errors.csv', 'inputs.csv', 'malformed-samples.csv', 'records.csv',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ranked tables', () => {
  // Values that read as array indices ("256", "128") come first, in numeric order, when an
  // object is iterated; every renderer must keep the ranking instead.
  function numberLikeReport(): Report {
    const s = new Snapshot();
    const p = (s.proxysg = new ProxySgStats());
    p.cipherStrength.add('high', 1);
    p.cipherStrength.add('128', 3);
    p.cipherStrength.add('256', 5);
    p.categoryRequests.add('9', 1);
    p.categoryRequests.add('News', 4);
    p.requests = 9;
    return buildReport(s);
  }

  it('keeps count order for keys that look like numbers in text, HTML and CSV', async () => {
    const report = numberLikeReport();
    const text = renderText(report);
    expect(text.indexOf('256')).toBeLessThan(text.indexOf('128'));
    expect(text.indexOf('128')).toBeLessThan(text.indexOf('high'));
    expect(text.indexOf('News')).toBeLessThan(text.search(/\n *9 /));
    const html = renderHtml(report);
    expect(html.indexOf('>256<')).toBeLessThan(html.indexOf('>128<'));
    const dir = await mkdtemp(join(tmpdir(), 'certcrunch-csv-'));
    try {
      await writeCsvTables(report, dir);
      expect(await readFile(join(dir, 'by-cipher-strength.csv'), 'utf8')).toBe('cipherStrength,count\n256,5\n128,3\nhigh,1\n');
      expect((await readFile(join(dir, 'by-category.csv'), 'utf8')).split('\n').slice(1, 3).map((l) => l.split(',')[0])).toEqual(['News', '9']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
