// Many distinct hosts: a log drawn from 1,000,000 hosts and 100,000 clients, analysed by the CLI
// with 2 workers, for time and peak RSS (`npm run bench -- --many-hosts`; 10 GiB by default,
// generated once into bench/out and kept).
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { generateProxySg } from '../dist/index.js';
import { timed } from './e2e.bench.mjs';

const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

export async function runHostsBench({ file, bytes, repeats = 1 }) {
  if (!existsSync(file) || statSync(file).size < bytes) {
    const out = createWriteStream(file);
    await generateProxySg({ bytes, seed: 7, hosts: 1_000_000, clients: 100_000 }, out);
    out.end();
    await once(out, 'finish');
  }
  const size = statSync(file).size;
  timed('cat', [file]);
  const runs = Array.from({ length: repeats }, () => timed(process.execPath, [cli, 'analyze', file, '--json', '--no-progress', '--workers', '2'], { capture: true }));
  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const report = JSON.parse(best.stdout);
  const rss = runs.map((r) => r.peakRssMiB).filter((m) => m !== null);
  return { size, records: report.proxysg.requests, seconds: best.seconds, mbPerSec: size / 1e6 / best.seconds, peakRssMiB: rss.length ? Math.max(...rss) : null };
}
