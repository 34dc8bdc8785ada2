// Reconciliation at scale: N requests on each side (one trx row and one audit answer each),
// joined by (SESSION_ID, LOG_ID). Prints time and memory per request.
import { ReconcileSide, reconcile } from '../dist/aggregate/reconcile.js';

export function runReconcileBench({ requests = 10_000_000 } = {}) {
  const before = process.memoryUsage();
  const started = performance.now();
  const trx = new ReconcileSide();
  const audit = new ReconcileSide();
  const sessions = ['5f1a3c9b0a000a151b7e44c29d03f1a7', 'c0ffee12ac1f00087a6b2d1e04c9e3b5', '0a000a151b7e44c29d03f1a75f1a3c9b'];
  for (let i = 0; i < requests; i++) {
    const sessionId = sessions[i % 3];
    const logId = Math.floor(i / 3);
    const certId = (i * 2654435761) >>> 0 || 1;
    // Audit written in a different order than trx, as separate files of a cluster would be.
    trx.add({ sessionId, logId, status: 0, certId, certStatus: i % 50 === 0 ? 1 : 0 });
    audit.add({ sessionId: sessions[(requests - 1 - i) % 3], logId: Math.floor((requests - 1 - i) / 3), status: 0, responseStatus: 0, certId: ((requests - 1 - i) * 2654435761) >>> 0 || 1, certStatus: (requests - 1 - i) % 50 === 0 ? 1 : 0 });
  }
  const built = performance.now();
  const result = reconcile(trx, audit);
  const joined = performance.now();
  const after = process.memoryUsage();
  const bytes = after.rss - before.rss;
  return {
    requests,
    buildSeconds: (built - started) / 1000,
    joinSeconds: (joined - built) / 1000,
    peakRssBytesPerRequest: bytes / requests,
    result: { matched: result.matched, mismatched: result.mismatched, trxOnly: result.trxOnly, auditOnly: result.auditOnly },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10_000_000);
  console.log(JSON.stringify(runReconcileBench({ requests: n }), null, 2));
}
