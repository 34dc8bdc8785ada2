// npm run bench [-- --ci] [-- --many-hosts]: kernel micro-benchmarks and end-to-end throughput,
// printed as a table and written to bench/out/results.json. --ci uses small inputs so it finishes
// in a minute or two; --many-hosts adds a run on a log of a million distinct hosts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runKernelBench } from './kernel.bench.mjs';
import { runMoreKernelBenches } from './kernels-more.bench.mjs';
import { runE2eBench } from './e2e.bench.mjs';
import { runEjbcaBench } from './ejbca.bench.mjs';
import { runHostsBench } from './hosts.bench.mjs';
import { selectKernel } from '../dist/native/load.js';

const ci = process.argv.includes('--ci');
const manyHosts = process.argv.includes('--many-hosts');
const outDir = join(import.meta.dirname, 'out');
mkdirSync(outDir, { recursive: true });

const header = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  kernel: selectKernel().kernel.name,
};
console.log(`certcrunch bench — Node ${header.node}, ${header.cpu}, ${header.cores} cores, ${header.memoryGiB} GiB, kernel ${header.kernel}`);

const kernel = await runKernelBench({ blockBytes: ci ? 2 << 20 : 8 << 20 });
const more = await runMoreKernelBenches({ bytes: ci ? 1 << 20 : 4 << 20 });
const e2e = await runE2eBench({ file: join(outDir, ci ? 'proxysg-64m.log' : 'proxysg-1g.log'), bytes: ci ? 64 << 20 : 1 << 30, repeats: ci ? 1 : 3 });

const fmt = (n) => n.toFixed(0).padStart(8);
console.log('\nkernel (one thread)                 MB/s      ±%');
for (const r of kernel) console.log(`${r.name.padEnd(34)}${fmt(r.mbPerSec)}  ${r.rme.toFixed(1).padStart(6)}`);
for (const r of more.filter((x) => x.mbPerSec !== undefined)) console.log(`${r.name.padEnd(34)}${fmt(r.mbPerSec)}  ${r.rme.toFixed(1).padStart(6)}`);
const ops = more.filter((x) => x.opsPerSec !== undefined);
const opsWidth = Math.max(34, ...ops.map((r) => r.name.length + 2));
console.log(`\n${''.padEnd(opsWidth)}   ops/s      ±%`);
for (const r of ops) console.log(`${r.name.padEnd(opsWidth)}${fmt(r.opsPerSec)}  ${r.rme.toFixed(1).padStart(6)}`);
const col = (v, digits, width) => (v === null ? '-' : v.toFixed(digits)).padStart(width);
console.log(`\nend to end, ${(e2e.size / 1e6).toFixed(0)} MB, ${e2e.records} records, best of ${e2e.results[0].runs.length}`);
console.log(`${''.padEnd(34)}    MB/s   records/s  peak RSS MB  vs certcrunch 2w   vs cat`);
for (const r of e2e.results) {
  console.log(`${r.name.padEnd(34)}${fmt(r.mbPerSec)}${col(r.recordsPerSec, 0, 12)}${col(r.peakRssMiB, 0, 13)}${col(r.vsCertcrunch, 3, 18)}${col(r.vsCat, 3, 9)}`);
}
for (const r of e2e.results.filter((x) => x.rows !== undefined && x.rows !== e2e.records)) console.log(`note: ${r.name} counted ${r.rows} records${r.note ? `: ${r.note}` : ''}`);
for (const u of e2e.unavailable) console.log(`${u.name.split(',')[0]}: unavailable (${u.reason})`);
const ejbca = await runEjbcaBench({ dir: outDir, trxBytes: ci ? 32 << 20 : 1 << 30, auditBytes: ci ? 8 << 20 : 1 << 30, repeats: ci ? 1 : 3 });
console.log(`\nEJBCA logs, best of ${ci ? 1 : 3}                              MB/s        per second  peak RSS MB`);
for (const r of ejbca) console.log(`${r.name.padEnd(48)}${fmt(r.mbPerSec)}${col(r.perSec, 0, 12)} ${r.unit.padEnd(8)}${col(r.peakRssMiB, 0, 9)}`);
let hosts;
if (manyHosts) {
  hosts = await runHostsBench({ file: join(outDir, ci ? 'proxysg-256m-1mhosts.log' : 'proxysg-10g-1mhosts.log'), bytes: ci ? 256 << 20 : 10 << 30 });
  console.log(`\nmany hosts (1,000,000 hosts, 100,000 clients), ${(hosts.size / 1e6).toFixed(0)} MB, ${hosts.records} records, 2 workers`);
  console.log(`${hosts.seconds.toFixed(1)} s, ${hosts.mbPerSec.toFixed(0)} MB/s, peak RSS ${hosts.peakRssMiB === null ? '-' : hosts.peakRssMiB.toFixed(0)} MB`);
}
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ header, kernel: [...kernel, ...more], e2e, ejbca, ...(hosts ? { hosts } : {}) }, null, 2));
