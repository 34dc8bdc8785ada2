import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/cli/analyze-flow.js';
import { buildReport } from '../../src/report/model.js';
import { tempDir } from '../helpers/tmp.js';

describe('ProxySG values that read alike (UTF-8 and Latin-1 "é")', () => {
  it('are one row: hosts, clients and categories merged, counts and distinct clients added up', async () => {
    const path = join(tempDir(), 'alike.log');
    const lines = [
      '#Fields: date time c-ip cs-host cs-categories x-rs-certificate-observed-errors',
      '2024-01-01 10:00:00 1.1.1.1 a.com "Caf\xe9" expired',
      '2024-01-01 10:00:00 1.1.1.2 a.com "Caf\xc3\xa9" expired',
      '2024-01-01 10:00:00 1.1.1.3 caf\xe9.com x untrusted_issuer',
      '2024-01-01 11:00:00 1.1.1.4 caf\xc3\xa9.com x expired',
      '2024-01-01 11:00:00 caf\xe9 b.com x expired',
      '2024-01-01 11:00:00 caf\xc3\xa9 b.com x expired',
    ];
    writeFileSync(path, Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
    const { snapshot } = await analyze([path], { workers: 0 });
    const p = buildReport(snapshot).proxysg!;
    expect(p.topHosts.map((h) => [h.host, h.requests, h.certErrorRequests, h.clients, h.byError])).toEqual([
      ['a.com', 2, 2, 2, { expired: 2 }],
      ['b.com', 2, 2, 2, { expired: 2 }],
      ['café.com', 2, 2, 2, { expired: 1, untrusted_issuer: 1 }],
    ]);
    expect(p.topHosts[2]!.firstSeen).toBe('2024-01-01T10:00:00Z');
    expect(p.topHosts[2]!.lastSeen).toBe('2024-01-01T11:00:00Z');
    expect(p.topClients.find((c) => c.client === 'café')).toEqual({ client: 'café', requests: 2, certErrorRequests: 2 });
    expect(p.topClients.filter((c) => c.client === 'café')).toHaveLength(1);
    expect(p.byCategory['Café']).toEqual({ requests: 2, certErrorRequests: 2 });
    const block = [...p.policyCandidates.block, ...p.policyCandidates.exempt];
    expect(block.find((b) => b.host === 'a.com')!.categories).toEqual(['Café']);
    expect(block.filter((b) => b.host === 'café.com')).toHaveLength(1);
  });
});
