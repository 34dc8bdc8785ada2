import { describe, expect, it } from 'vitest';
import { OcspStats } from '../../src/aggregate/ocsp.js';
import { ocspReport } from '../../src/report/ocsp-model.js';

describe('the charging table', () => {
  it('keeps a CLIENT_IP holding NUL whole, and its month apart', () => {
    const stats = new OcspStats();
    const request = { status: 0, certIds: 1, replyTime: 3, processTime: Number.NaN, hour: 0, issuer: '', requestor: '' };
    stats.countRequest({ ...request, client: '198.51.100.247\u0000spoof', month: '2020-06' });
    stats.countRequest({ ...request, client: '198.51.100.247', month: '2020-06' });
    const rows = ocspReport(stats, 20).charging.map(({ client, month, requests }) => ({ client, month, requests }));
    expect(rows).toEqual([
      { client: '198.51.100.247', month: '2020-06', requests: 1 },
      { client: '198.51.100.247\u0000spoof', month: '2020-06', requests: 1 },
    ]);
  });
});

describe('names that read alike', () => {
  it('are one row in every OCSP table, their counts added (a UTF-8 and a Latin-1 "é")', () => {
    const stats = new OcspStats();
    const request = { status: 0, certIds: 2, replyTime: 3, processTime: Number.NaN, hour: 0, month: '2020-06' };
    const utf8 = 'caf\u00c3\u00a9'; // the UTF-8 bytes of "café", one char per byte
    const latin1 = 'caf\u00e9';
    stats.countRequest({ ...request, client: utf8, issuer: utf8, requestor: utf8 });
    stats.countRequest({ ...request, client: latin1, issuer: latin1, requestor: latin1 });
    stats.countRequest({ ...request, client: 'b', issuer: 'b', requestor: 'b' });
    const report = ocspReport(stats, 20);
    expect(report.byClient).toEqual([{ client: 'café', requests: 2, certIds: 4 }, { client: 'b', requests: 1, certIds: 2 }]);
    expect(report.byIssuer).toEqual([{ issuer: 'café', requests: 2 }, { issuer: 'b', requests: 1 }]);
    expect(report.requestors).toEqual({ café: 2, b: 1 });
    expect(report.charging.map(({ client, requests }) => [client, requests])).toEqual([['b', 1], ['café', 2]]);
  });

  it('keep a client\'s charging rows together, month after month, whichever spelling each month has', () => {
    const stats = new OcspStats();
    const request = { status: 0, certIds: 1, replyTime: 3, processTime: Number.NaN, hour: 0, issuer: '', requestor: '' };
    stats.countRequest({ ...request, client: 'caf\u00e9', month: '2024-01' });
    stats.countRequest({ ...request, client: 'caf\u00c3\u00a9', month: '2024-02' });
    stats.countRequest({ ...request, client: 'caf\u00e9', month: '2024-03' });
    stats.countRequest({ ...request, client: 'caf\u00d5', month: '2024-01' });
    const rows = ocspReport(stats, 20).charging.map(({ client, month }) => `${client} ${month}`);
    expect(rows).toEqual(['café 2024-01', 'café 2024-02', 'café 2024-03', 'cafÕ 2024-01']);
  });
});
