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
