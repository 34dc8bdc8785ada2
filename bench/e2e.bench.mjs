// End-to-end throughput: certcrunch analyze on a seeded generated file, against cat and wc -l on
// the same file in the same run. Each command runs in its own process, page cache warm.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

function timed(cmd, args, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return seconds;
}

export async function runE2eBench({ file, bytes, repeats = 3 }) {
  if (!existsSync(file) || statSync(file).size < bytes) {
    execFileSync(process.execPath, [cli, 'generate', 'proxysg', '--bytes', String(bytes), '--seed', '42', '-o', file], { stdio: 'ignore' });
  }
  const size = statSync(file).size;
  timed('cat', [file]); // warm the page cache
  const cases = [
    ['cat', 'cat', [file]],
    ['wc -l', 'wc', ['-l', file]],
    ['certcrunch native, 2 workers', process.execPath, [cli, 'analyze', file, '--json', '--workers', '2', '--no-progress']],
    ['certcrunch native, 1 worker', process.execPath, [cli, 'analyze', file, '--json', '--workers', '1', '--no-progress']],
    ['certcrunch typescript, 2 workers', process.execPath, [cli, 'analyze', file, '--json', '--workers', '2', '--no-progress'], { CERTCRUNCH_NATIVE: '0' }],
  ];
  const results = [];
  for (const [name, cmd, args, env] of cases) {
    const runs = Array.from({ length: repeats }, () => timed(cmd, args, env));
    const best = Math.min(...runs);
    results.push({ name, mbPerSec: size / 1e6 / best, seconds: best, runs });
  }
  return { size, results };
}
