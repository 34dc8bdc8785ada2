import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { analyzeJson } from '../helpers/analyze.js';
import { fixtures } from '../fixtures/index.js';

async function report(path: string): Promise<Report> {
  return JSON.parse(await analyzeJson([path])) as Report;
}

/*
 * Expected numbers were counted independently of certcrunch: by hand on the files
 * (e.g. `awk '!/^#/ {print $12}' ssl.log | sort | uniq -c` for sc-filter-result), and with a
 * separate line-by-line reference script following contract.md, which agreed on every table.
 */
describe('real ProxySG logs (jcustenborder/extended-log-format-parser fixtures)', () => {
  it('ssl.log: SGOS 6.x SSL log, 43 fields, CRLF, no final newline', async () => {
    const r = await report(fixtures.ssl);
    expect(r.records).toEqual({ total: 95, malformed: 0, malformedByReason: {} });
    const p = r.proxysg!;
    expect(p.requests).toBe(95);
    expect(p.requestsWithCertErrors).toBe(0); // every record says "none"
    expect(p.certErrors).toEqual({});
    expect(p.byCipherStrength).toEqual({ high: 95 });
    expect(p.byFilterResult).toEqual({ DENIED: 74, OBSERVED: 21 });
    expect(p.byAction).toEqual({ DENIED: 74, TUNNELED: 21 });
    expect(p.byException).toEqual({ 'tenant.content_filter_denied': 74 });
    expect(p.byThreatRisk).toEqual({ unavailable: 95 });
    expect(Object.keys(p.byCategory)).toHaveLength(12);
    expect(p.byCategory['Shopping']).toEqual({ requests: 46, certErrorRequests: 0 });
    expect(p.byCategory['Software Downloads']).toEqual({ requests: 46, certErrorRequests: 0 });
    expect(p.timeline).toEqual([{ start: '2018-02-02T18:00:00Z', requests: 95, certErrorRequests: 0 }]);
  });

  it('http.log: plain HTTP, no certificate evaluated', async () => {
    const p = (await report(fixtures.http)).proxysg!;
    expect(p.requests).toBe(31);
    expect(p.byCipherStrength).toEqual({ none: 31 });
    expect(p.byFilterResult).toEqual({ OBSERVED: 22, DENIED: 9 });
    expect(p.byException).toEqual({ tcp_error: 8, 'usareur.content_filter_denied': 1 });
    expect(p.byAction['TCP_NC_MISS']).toBe(15);
  });

  it('bluecoat.3.2.4.8-1.log: SGOS 3.2.4 with a second directive block mid-file', async () => {
    const r = await report(fixtures.bluecoat1);
    expect(r.records.total).toBe(22);
    const p = r.proxysg!;
    expect(p.byFilterResult).toEqual({ DENIED: 17, PROXIED: 5 });
    expect(p.byAction).toEqual({ TCP_ERR_MISS: 16, TCP_NC_MISS: 4, TCP_DENIED: 1, TCP_MISS: 1 });
    expect(p.byCipherStrength).toEqual({}); // no such column in SGOS 3.2
    expect(p.timeline.map((t) => t.requests).reduce((a, b) => a + b, 0)).toBe(22);
  });
});

describe('the ELFF rules of the contract (edge-cases.log, every line checked by hand)', () => {
  it('counts records, malformed reasons and normalised values exactly', async () => {
    const r = await report(fixtures.edgeCases);
    expect(r.records).toEqual({
      total: 13,
      malformed: 4,
      malformedByReason: { 'field-count': 2, 'no-fields': 1, 'unterminated-quote': 1 },
    });
    const p = r.proxysg!;
    expect(p.requests).toBe(9);
    expect(p.requestsWithCertErrors).toBe(6);
    expect(p.recordsWithoutTime).toBe(1);
    // "Expired, untrusted_issuer" → two tokens; "REVOKED,,Revoked" → one; "revoked;none;-" → one; "-" and "" → none.
    expect(p.certErrors).toEqual({ revoked: 4, expired: 2, untrusted_issuer: 1 });
    expect(p.topHosts.map((h) => [h.host, h.requests, h.certErrorRequests, h.clients])).toEqual([
      ['revoked.example.com', 4, 4, 3],
      ['expired.example.com', 2, 2, 2], // Expired.Example.COM lower-cased
    ]);
    // A quote not followed by a space is an ordinary character: "Books"Fiction;News".
    expect(p.byCategory).toEqual({
      News: { requests: 2, certErrorRequests: 1 },
      Shopping: { requests: 2, certErrorRequests: 2 },
      'Books"Fiction': { requests: 1, certErrorRequests: 0 },
      'Technology/Internet': { requests: 1, certErrorRequests: 0 },
    });
    expect(p.byFilterResult).toEqual({ OBSERVED: 3, DENIED: 1, PROXIED: 1 });
    expect(p.byException).toEqual({ policy_denied: 1 });
    expect(p.byThreatRisk).toEqual({ '2': 1, '7': 2, '-': 1, unavailable: 1 });
    expect(p.ocspErrors).toEqual({ ocsp_unreachable: 1 });
    expect(p.timeline).toEqual([
      { start: '2024-03-01T10:00:00Z', requests: 3, certErrorRequests: 2 },
      { start: '2024-03-01T11:00:00Z', requests: 2, certErrorRequests: 0 },
      { start: '2024-03-02T00:00:00Z', requests: 3, certErrorRequests: 3 },
    ]);
    expect(r.malformedSamples.map((s) => [s.reason, s.offset])).toEqual([
      ['field-count', 769],
      ['field-count', 872],
      ['no-fields', 0],
      ['unterminated-quote', 1047],
    ]);
  });
});
