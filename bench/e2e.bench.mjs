// End-to-end throughput on a seeded generated file: certcrunch analyze against cat, wc -l and two
// baselines answering the same report questions (DuckDB, a naive Node readline parser). Each
// command runs in its own process, page cache warm; the best of `repeats` runs counts. The runs
// go round by round, every case once a round, so a machine that slows down for a while slows
// all the cases alike and the ratios stay fair. Peak RSS comes from GNU time for every case alike
// (null when /usr/bin/time is missing).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const baselines = join(import.meta.dirname, 'baselines');
const GNU_TIME = '/usr/bin/time';
const hasTime = existsSync(GNU_TIME);
const UNAVAILABLE = 3; // exit code of a baseline that cannot run here (duckdb.mjs without its package)

export function timed(cmd, args, { env = {}, capture = false } = {}) {
  const [bin, argv] = hasTime ? [GNU_TIME, ['-f', 'peakRssKiB=%M', cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const r = spawnSync(bin, argv, { env: { ...process.env, ...env }, stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stdout = capture ? r.stdout.toString() : '';
  if (r.status === UNAVAILABLE) return { unavailable: JSON.parse(stdout).unavailable };
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const rss = /peakRssKiB=(\d+)\s*$/.exec(r.stderr.toString());
  return { seconds, peakRssMiB: rss ? Number(rss[1]) / 1024 : null, stdout };
}

export async function runE2eBench({ file, bytes, repeats = 3 }) {
  if (!existsSync(file) || statSync(file).size < bytes) {
    execFileSync(process.execPath, [cli, 'generate', 'proxysg', '--bytes', String(bytes), '--seed', '42', '-o', file], { stdio: 'ignore' });
  }
  const size = statSync(file).size;
  timed('cat', [file]); // warm the page cache
  const analyze = (workers) => [cli, 'analyze', file, '--json', '--workers', String(workers), '--no-progress'];
  const cases = [
    { name: 'cat', cmd: 'cat', args: [file] },
    { name: 'wc -l', cmd: 'wc', args: ['-l', file] },
    { name: 'certcrunch native, 2 workers', cmd: process.execPath, args: analyze(2), capture: 'certcrunch' },
    { name: 'certcrunch native, 1 worker', cmd: process.execPath, args: analyze(1) },
    { name: 'certcrunch typescript, 2 workers', cmd: process.execPath, args: analyze(2), env: { CERTCRUNCH_NATIVE: '0' } },
    { name: 'duckdb, load + queries, 2 threads', cmd: process.execPath, args: [join(baselines, 'duckdb.mjs'), file], capture: 'baseline' },
    { name: 'node readline, naive', cmd: process.execPath, args: [join(baselines, 'naive-readline.mjs'), file], capture: 'baseline' },
  ];
  const unavailable = [];
  const runsOf = new Map(cases.map((c) => [c, []]));
  for (let round = 0; round < repeats; round++) {
    for (const c of cases) {
      const runs = runsOf.get(c);
      if (runs[0]?.unavailable) continue;
      runs.push(timed(c.cmd, c.args, c));
    }
  }
  const results = [];
  let records = null;
  for (const c of cases) {
    const runs = runsOf.get(c);
    if (runs[0].unavailable) {
      unavailable.push({ name: c.name, reason: runs[0].unavailable });
      continue;
    }
    const best = Math.min(...runs.map((r) => r.seconds));
    const rss = runs.map((r) => r.peakRssMiB).filter((m) => m !== null);
    const result = { name: c.name, seconds: best, runs: runs.map((r) => r.seconds), mbPerSec: size / 1e6 / best, peakRssMiB: rss.length ? Math.max(...rss) : null };
    const out = c.capture ? JSON.parse(runs[0].stdout) : null;
    // Records = data lines of the file, from certcrunch's count (malformed lines included).
    if (c.capture === 'certcrunch') records = out.records.total;
    if (c.capture === 'baseline') {
      result.rows = out.rows; // records the baseline counted, to check it answered for the whole file
      if (out.rejected) result.note = `${out.rejected} records rejected by the CSV reader (a quote inside a quoted value)`;
    }
    results.push(result);
  }
  const ref = (name) => results.find((r) => r.name === name)?.mbPerSec;
  const certcrunch = ref('certcrunch native, 2 workers');
  const cat = ref('cat');
  for (const r of results) {
    r.recordsPerSec = records === null ? null : records / r.seconds;
    r.vsCertcrunch = r.mbPerSec / certcrunch; // below 1: slower than certcrunch with 2 workers
    r.vsCat = r.mbPerSec / cat;
  }
  return { size, records, peakRssFrom: hasTime ? 'GNU time %M' : null, results, unavailable };
}
