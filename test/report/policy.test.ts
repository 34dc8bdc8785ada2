import { describe, expect, it } from 'vitest';
import { ErrorHost } from '../../src/aggregate/proxysg.js';
import { classifyHost } from '../../src/report/policy.js';

function host(categories: string[], errors: string[]): ErrorHost {
  const h = new ErrorHost();
  for (const c of categories) h.categories.add(c, 1);
  for (const e of errors) h.errors.add(e, 1);
  h.maxThreatRisk = 1;
  return h;
}

describe('classifyHost', () => {
  it('names the same reason whatever order the parts were merged in', () => {
    // A merge in memory adds the second part's new keys after the first's.
    expect(classifyHost(host(['Spam', 'Phishing'], ['expired']))).toEqual(classifyHost(host(['Phishing', 'Spam'], ['expired'])));
    expect(classifyHost(host(['Phishing', 'Spam'], [])).reason).toBe('risky category Phishing');
    expect(classifyHost(host(['News'], ['revoked-by-ocsp', 'revoked']))).toEqual(classifyHost(host(['News'], ['revoked', 'revoked-by-ocsp'])));
  });

  it('exempts a known, low-risk site and blocks the rest with a reason', () => {
    expect(classifyHost(host(['News'], ['expired']))).toEqual({ action: 'exempt', reason: 'known category, threat risk 1' });
    expect(classifyHost(host(['none'], ['expired']))).toEqual({ action: 'block', reason: 'uncategorised site' });
    expect(classifyHost(host(['News'], ['revoked']))).toEqual({ action: 'block', reason: 'certificate revoked' });
  });
});
