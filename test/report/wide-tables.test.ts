import { describe, expect, it } from 'vitest';
import { OcspStats } from '../../src/aggregate/ocsp.js';
import { buildReport } from '../../src/report/model.js';
import { renderHtml } from '../../src/report/html.js';
import { renderText } from '../../src/report/text.js';
import { Snapshot } from '../../src/snapshot/snapshot.js';

describe('reports with very long tables', () => {
  it('render 200,000 charging rows as text and HTML (more rows than a call takes arguments)', () => {
    const ocsp = new OcspStats();
    const request = { status: 0, certIds: 1, replyTime: 3, processTime: Number.NaN, hour: 0, month: '2024-01', issuer: '', requestor: '' };
    for (let i = 0; i < 200_000; i++) ocsp.countRequest({ ...request, client: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    const snapshot = new Snapshot();
    snapshot.ocsp = ocsp;
    const report = buildReport(snapshot);
    expect(report.ocsp!.charging).toHaveLength(200_000);
    expect(renderText(report)).toContain('10.3.13.63');
    expect(renderHtml(report)).toContain('10.3.13.63');
  });
});
