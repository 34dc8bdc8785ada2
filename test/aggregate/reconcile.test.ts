import { describe, expect, it } from 'vitest';
import { reconcile, ReconcileSide } from '../../src/aggregate/reconcile.js';

/** A side holding these entries, in this order. */
function side(entries: Parameters<ReconcileSide['add']>[0][]): ReconcileSide {
  const s = new ReconcileSide();
  for (const e of entries) s.add(e);
  return s;
}

describe('reconcile', () => {
  it('names the same problem whatever order a request\'s rows were read in', () => {
    // Two trx rows of one 6.x request, each wrong in its own way against the response.
    const rows = [
      { sessionId: 'aa', logId: 1, status: 0, certId: 7, certStatus: 0, reason: -1 },
      { sessionId: 'aa', logId: 1, status: 0, certId: 5, certStatus: 0, reason: -1 },
    ];
    const answers = [
      { sessionId: 'aa', logId: 1, status: 0, responseStatus: 0, certId: 5, certStatus: 1, reason: 1 },
      { sessionId: 'aa', logId: 1, status: 0, responseStatus: 0, certId: 9, certStatus: 0, reason: -1 },
    ];
    const forward = reconcile(side(rows), side(answers));
    const backward = reconcile(side([...rows].reverse()), side([...answers].reverse()));
    expect(forward.mismatched).toBe(1);
    expect(backward).toEqual(forward);
    expect(forward.samples[0]!.problem).toBe('cert status: trx good, response revoked');
  });

  it('matches a revoked certificate whatever reasons the two logs give, as the contract compares statuses only', () => {
    const trx = side([{ sessionId: 'aa', logId: 1, status: 0, certId: 5, certStatus: 1, reason: 1 }]);
    const audit = side([{ sessionId: 'aa', logId: 1, status: 0, responseStatus: 0, certId: 5, certStatus: 1, reason: 4 }]);
    expect(reconcile(trx, audit)).toMatchObject({ matched: 1, mismatched: 0 });
  });

  it('a status past its column (a forged log) is held at the end, not wrapped: 300 is no match for 44', () => {
    const trx = side([{ sessionId: 'aa', logId: 1, status: 300, certId: 5, certStatus: 0 }, { sessionId: 'aa', logId: 2, status: 300, certId: 5, certStatus: 0 }]);
    const audit = side([
      { sessionId: 'aa', logId: 1, status: 44, responseStatus: 44, certId: 5, certStatus: 0 },
      { sessionId: 'aa', logId: 2, status: 300, responseStatus: 300, certId: 5, certStatus: 0 },
    ]);
    expect(reconcile(trx, audit)).toMatchObject({ matched: 1, mismatched: 1 });
    expect(trx.status.get(0)).toBe(127);
  });
});
