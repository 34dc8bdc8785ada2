// End-to-end throughput on EJBCA logs: a generated transaction log (7.8+, WildFly layout) and a
// generated audit log of real signed responses with its matching transaction log (reconciled).
// Each case runs in its own process, page cache warm, best of `repeats`, round by round (every
// case once a round, as in e2e.bench.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { timed } from './e2e.bench.mjs';

const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

function generate(args, file) {
  if (!existsSync(file)) execFileSync(process.execPath, [cli, 'generate', ...args, '-o', file], { stdio: 'ignore' });
  return statSync(file).size;
}

export async function runEjbcaBench({ dir, trxBytes, auditBytes, repeats = 3 }) {
  const trx = join(dir, `ejbca-trx-${trxBytes}.log`);
  const audit = join(dir, `ejbca-audit-${auditBytes}.log`);
  const auditTrx = join(dir, `ejbca-audit-${auditBytes}-trx.log`);
  const trxSize = generate(['ejbca-trx', '--bytes', String(trxBytes), '--seed', '4', '--era', '7.8+', '--layout', 'wildfly'], trx);
  const auditSize = generate(['ejbca-audit', '--bytes', String(auditBytes), '--seed', '4', '--form', 'properties', '--layout', 'docs', '--trx-out', auditTrx], audit);
  const cases = [
    { name: 'transaction log, 2 workers', files: [trx], workers: 2, size: trxSize, unit: 'rows', count: (r) => r.ocsp.lines },
    { name: 'transaction log, 1 worker', files: [trx], workers: 1, size: trxSize, unit: 'rows', count: (r) => r.ocsp.lines },
    { name: 'audit log, signatures checked, 2 workers', files: [audit], workers: 2, size: auditSize, unit: 'records', count: (r) => r.audit.records },
    { name: 'audit log, no signature checks, 2 workers', files: [audit], workers: 2, size: auditSize, unit: 'records', count: (r) => r.audit.records, extra: ['--no-verify-signatures'] },
    { name: 'audit log, no signature checks, 1 worker', files: [audit], workers: 1, size: auditSize, unit: 'records', count: (r) => r.audit.records, extra: ['--no-verify-signatures'] },
    { name: 'audit + trx, reconciled, 2 workers', files: [audit, auditTrx], workers: 2, size: auditSize + statSync(auditTrx).size, unit: 'requests', count: (r) => r.reconcile.matched + r.reconcile.mismatched + r.reconcile.trxOnly + r.reconcile.auditOnly, extra: ['--no-verify-signatures'] },
  ];
  for (const f of [trx, audit, auditTrx]) timed('cat', [f]); // warm the page cache
  const argsOf = (c) => [cli, 'analyze', ...c.files, '--json', '--no-progress', '--workers', String(c.workers), ...(c.extra ?? [])];
  const runsOf = new Map(cases.map((c) => [c, []]));
  for (let round = 0; round < repeats; round++) for (const c of cases) runsOf.get(c).push(timed(process.execPath, argsOf(c), { capture: true }));
  const results = [];
  for (const c of cases) {
    const runs = runsOf.get(c);
    const best = Math.min(...runs.map((r) => r.seconds));
    const count = c.count(JSON.parse(runs[0].stdout));
    const rss = runs.map((r) => r.peakRssMiB).filter((m) => m !== null);
    results.push({ name: c.name, seconds: best, mbPerSec: c.size / 1e6 / best, perSec: count / best, unit: c.unit, count, peakRssMiB: rss.length ? Math.max(...rss) : null });
  }
  return results;
}
