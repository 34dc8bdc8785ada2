/**
 * Integration tests of the built CLI (dist/cli/main.js) run as a child process, against the
 * contract in shared/contract.md: commands, options, exit codes, the JSON report, outputs.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures/index.js';
import { CLI, runCli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface HostRow {
  host: string;
  requests: number;
  certErrorRequests: number;
  byError: Record<string, number>;
  clients: number;
}

interface ProxySgSection {
  requests: number;
  requestsWithCertErrors: number;
  certErrors: Record<string, number>;
  topHosts: HostRow[];
  byCategory: Record<string, { requests: number; certErrorRequests: number }>;
}

interface JsonReport {
  version: number;
  inputs: { path: string; format: string; bytes: number }[];
  records: { total: number; malformed: number; malformedByReason: Record<string, number> };
  fileErrors: { path: string; offset: number; message: string }[];
  proxysg?: ProxySgSection;
}

const FIXTURE_DIR = 'test/fixtures/proxysg';
const ALL_FIXTURES = [
  fixtures.ssl,
  fixtures.http,
  fixtures.streaming,
  fixtures.bluecoat1,
  fixtures.bluecoat4,
  fixtures.edgeCases,
];

const STACK_FRAME = '    at ';

function parseReport(result: CliResult): JsonReport {
  try {
    return JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}); stderr: ${result.stderr}\nstdout: ${result.stdout.slice(0, 500)}`);
  }
}

function proxysgOf(report: JsonReport): ProxySgSection {
  if (!report.proxysg) throw new Error('the report has no proxysg section');
  return report.proxysg;
}

/** Non-empty lines of stderr. */
function stderrLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((l) => l.trim() !== '');
}

/** Asserts a fatal error: exit 1, exactly one stderr line, naming `path`, and no stack trace. */
function expectFatal(result: CliResult, path: string): void {
  expect(result.code, result.stderr).toBe(1);
  const lines = stderrLines(result);
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(result.stderr).not.toContain(STACK_FRAME);
}

/** Asserts a usage error: exit 2 and no stack trace. */
function expectUsage(result: CliResult): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toContain(STACK_FRAME);
  expect(stderrLines(result).length).toBeGreaterThan(0);
}

/** A minimal RFC 4180 reader: rows of cells, quotes removed. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe('certcrunch --version', () => {
  it('names the version and the native kernel', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`certcrunch ${pkg.version} (kernel: native)`);
  });

  it('says kernel: typescript with CERTCRUNCH_NATIVE=0', async () => {
    const r = await runCli(['--version'], { env: { CERTCRUNCH_NATIVE: '0' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^certcrunch \S+ \(kernel: typescript[;)]/);
  });
});

describe('analyze --json on the fixtures directory', () => {
  it('reports version 1, sorted proxysg inputs, and total = malformed + requests', async () => {
    const r = await runCli(['analyze', FIXTURE_DIR, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain(STACK_FRAME);
    const report = parseReport(r);
    expect(report.version).toBe(1);
    expect(report.inputs.length).toBe(ALL_FIXTURES.length);
    const paths = report.inputs.map((i) => i.path);
    expect(paths).toEqual([...paths].sort());
    for (const input of report.inputs) {
      expect(input.path.startsWith(FIXTURE_DIR)).toBe(true);
      expect(input.format).toBe('proxysg');
      expect(input.bytes).toBeGreaterThan(0);
    }
    const p = proxysgOf(report);
    expect(report.records.total).toBe(report.records.malformed + p.requests);
    expect(report.records.malformed).toBeGreaterThan(0); // edge-cases.log holds malformed records
    expect(Object.values(report.records.malformedByReason).reduce((a, b) => a + b, 0)).toBe(report.records.malformed);
  });
});

describe('a file named more than once', () => {
  it('is read once, whether named again, reached through its directory or through a link', async () => {
    const dir = tempDir();
    const log = join(dir, 'one.log');
    copyFileSync(fixtures.ssl, log);
    symlinkSync(log, join(dir, 'link.log'));
    linkSync(log, join(dir, 'hard.log'));
    symlinkSync('.', join(dir, 'self')); // a folder that holds itself
    const once = parseReport(await runCli(['analyze', log, '--json']));
    const again = parseReport(await runCli(['analyze', log, dir, join(dir, 'link.log'), `${dir}/./one.log`, '--json', '--workers', '2']));
    expect(again.inputs.map((i) => i.path)).toEqual([log]);
    expect({ ...again, inputs: [] }).toEqual({ ...once, inputs: [] });
  });
});

describe('deterministic output across workers, chunk sizes and kernels', () => {
  const dir = tempDir();
  const gen = join(dir, 'gen.log');
  let generated = { records: 0, malformed: 0 };
  let baseline = '';

  beforeAll(async () => {
    const g = await runCli([
      'generate', 'proxysg', '--bytes', '3MiB', '--seed', '5', '--malformed-rate', '0.01', '--fields-change', '-o', gen,
    ]);
    expect(g.code, g.stderr).toBe(0);
    const m = /wrote (\d+) bytes, (\d+) records \((\d+) malformed\)/.exec(g.stderr);
    if (!m) throw new Error(`unexpected generator output: ${g.stderr}`);
    generated = { records: Number(m[2]), malformed: Number(m[3]) };
    const base = await runCli(['analyze', gen, '--json', '--workers', '1']);
    expect(base.code, base.stderr).toBe(0);
    baseline = base.stdout;
  });

  it('counts what the generator wrote', () => {
    const report = JSON.parse(baseline) as JsonReport;
    expect(generated.malformed).toBeGreaterThan(0);
    expect(report.records.malformed).toBe(generated.malformed);
    expect(proxysgOf(report).requests).toBe(generated.records - generated.malformed);
    expect(report.records.total).toBe(generated.records);
  });

  const variants: { name: string; args: string[]; env?: Record<string, string> }[] = [
    { name: '--workers 2', args: ['--workers', '2'] },
    { name: '--workers 0', args: ['--workers', '0'] },
    { name: '--chunk-size 64KiB', args: ['--chunk-size', '64KiB'] },
    { name: '--chunk-size 1000 --workers 2', args: ['--chunk-size', '1000', '--workers', '2'] },
    { name: 'CERTCRUNCH_NATIVE=0', args: [], env: { CERTCRUNCH_NATIVE: '0' } },
  ];
  for (const v of variants) {
    it(`prints the same JSON with ${v.name}`, async () => {
      const r = await runCli(['analyze', gen, '--json', ...v.args], v.env ? { env: v.env } : {});
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(baseline);
    });
  }
});

describe('snapshots: -o, report, merge', () => {
  const dir = tempDir();

  it('report of a written snapshot prints what analyze printed', async () => {
    const snap = join(dir, 'snap.pb');
    const a = await runCli(['analyze', FIXTURE_DIR, '--json', '-o', snap]);
    expect(a.code, a.stderr).toBe(0);
    expect(existsSync(snap)).toBe(true);
    const r = await runCli(['report', snap, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(a.stdout);
  });

  it('merge of two halves equals analyzing them together; report of both too', async () => {
    const firstHalf = [fixtures.ssl, fixtures.http];
    const secondHalf = [fixtures.bluecoat1, fixtures.bluecoat4, fixtures.edgeCases, fixtures.streaming];
    const a = join(dir, 'a.pb');
    const b = join(dir, 'b.pb');
    const m = join(dir, 'm.pb');
    const ra = await runCli(['analyze', ...firstHalf, '-o', a, '--json']);
    expect(ra.code, ra.stderr).toBe(0);
    const rb = await runCli(['analyze', ...secondHalf, '-o', b, '--json']);
    expect(rb.code, rb.stderr).toBe(0);
    const merged = await runCli(['merge', a, b, '-o', m]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(existsSync(m)).toBe(true);

    const together = await runCli(['analyze', ...firstHalf, ...secondHalf, '--json']);
    expect(together.code, together.stderr).toBe(0);
    const reportMerged = await runCli(['report', m, '--json']);
    expect(reportMerged.code, reportMerged.stderr).toBe(0);
    expect(reportMerged.stdout).toBe(together.stdout);
    const reportBoth = await runCli(['report', a, b, '--json']);
    expect(reportBoth.code, reportBoth.stderr).toBe(0);
    expect(reportBoth.stdout).toBe(together.stdout);
    expect(reportBoth.stderr).toBe('');
  });

  it('warns when snapshots read the same bytes of a log (a growing log analysed twice), whatever their order', async () => {
    const log = join(dir, 'growing.log');
    const text = readFileSync(fixtures.ssl, 'latin1');
    writeFileSync(log, text.slice(0, text.lastIndexOf('\n', text.length / 2) + 1), 'latin1');
    const early = join(dir, 'early.pb');
    expect((await runCli(['analyze', log, '-o', early])).code).toBe(0);
    writeFileSync(log, text, 'latin1');
    const late = join(dir, 'late.pb');
    expect((await runCli(['analyze', log, '-o', late])).code).toBe(0);
    const forward = await runCli(['report', early, late, '--json']);
    const backward = await runCli(['report', late, early, '--json']);
    expect(forward.code, forward.stderr).toBe(0);
    expect(forward.stderr).toContain(`warning: more than one snapshot read the same bytes of ${log}`);
    // The input is listed at its larger size either way.
    expect(parseReport(forward).inputs).toEqual(parseReport(backward).inputs);
    expect(parseReport(forward).inputs[0]!.bytes).toBe(Buffer.byteLength(text, 'latin1'));
  });
});

describe('gzip input', () => {
  const dir = tempDir();
  const ssl = readFileSync(fixtures.ssl);
  const sslGz = gzipSync(ssl);
  let plainSsl: JsonReport;

  beforeAll(async () => {
    const r = await runCli(['analyze', fixtures.ssl, '--json']);
    expect(r.code, r.stderr).toBe(0);
    plainSsl = parseReport(r);
  });

  it('is recognised by its magic bytes, not its name', async () => {
    const file = join(dir, 'ssl-compressed.log');
    writeFileSync(file, sslGz);
    const r = await runCli(['analyze', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r);
    expect(report.inputs).toHaveLength(1);
    expect(report.inputs[0]?.format).toBe('proxysg');
    expect(report.proxysg).toEqual(plainSsl.proxysg);
    expect(report.records).toEqual(plainSsl.records);
  });

  it('reads every member of a multi-member gzip', async () => {
    // Both bluecoat fixtures end with a newline, so their concatenation is two whole logs.
    const one = readFileSync(fixtures.bluecoat1);
    const four = readFileSync(fixtures.bluecoat4);
    const file = join(dir, 'multi.log');
    writeFileSync(file, Buffer.concat([gzipSync(one), gzipSync(four)]));
    const [multi, r1, r4] = await Promise.all([
      runCli(['analyze', file, '--json']),
      runCli(['analyze', fixtures.bluecoat1, '--json']),
      runCli(['analyze', fixtures.bluecoat4, '--json']),
    ]);
    for (const r of [multi, r1, r4]) expect(r.code, r.stderr).toBe(0);
    const m = parseReport(multi);
    const a = parseReport(r1);
    const b = parseReport(r4);
    expect(proxysgOf(a).requests).toBeGreaterThan(0);
    expect(proxysgOf(b).requests).toBeGreaterThan(0);
    expect(proxysgOf(m).requests).toBe(proxysgOf(a).requests + proxysgOf(b).requests);
    expect(m.records.total).toBe(a.records.total + b.records.total);
    expect(m.records.malformed).toBe(a.records.malformed + b.records.malformed);
  });

  it('a truncated gzip: exit 1, one line naming the file, records before the cut reported', async () => {
    const file = join(dir, 'truncated.log');
    writeFileSync(file, sslGz.subarray(0, Math.floor(sslGz.length * 0.6)));
    const text = await runCli(['analyze', file]);
    expectFatal(text, file);

    const r = await runCli(['analyze', file, '--json']);
    expectFatal(r, file);
    const report = parseReport(r);
    const p = proxysgOf(report);
    expect(p.requests).toBeGreaterThan(0);
    expect(p.requests).toBeLessThan(proxysgOf(plainSsl).requests);
    expect(report.fileErrors.some((e) => e.path === file)).toBe(true);
  });

  it('a corrupt gzip: exit 1, one line naming the file, no crash', async () => {
    const file = join(dir, 'corrupt.log');
    const bad = Buffer.from(sslGz);
    const mid = bad.length >> 1;
    for (let i = mid; i < mid + 32; i++) bad[i] = bad[i]! ^ 0xff;
    writeFileSync(file, bad);
    const text = await runCli(['analyze', file]);
    expectFatal(text, file);

    const r = await runCli(['analyze', file, '--json']);
    expectFatal(r, file);
    const report = parseReport(r);
    expect(report.fileErrors.some((e) => e.path === file)).toBe(true);
  });

  it('a corrupt gzip file still counts the records decompressed before the corruption', async () => {
    // The corruption sits in the middle of the compressed bytes: zlib inflates ~16 KiB of the
    // log (dozens of records) before failing, as `analyze -` on the same bytes shows.
    const file = join(dir, 'corrupt-middle.log');
    const bad = Buffer.from(sslGz);
    const mid = bad.length >> 1;
    for (let i = mid; i < mid + 16; i++) bad[i] = bad[i]! ^ 0xff;
    writeFileSync(file, bad);
    const r = await runCli(['analyze', file, '--json']);
    expectFatal(r, file);
    const report = parseReport(r);
    expect(report.fileErrors.some((e) => e.path === file)).toBe(true);
    expect(report.proxysg?.requests ?? 0).toBeGreaterThan(0);
    expect(report.records.total).toBeGreaterThan(0);
  });
});

describe('standard input', () => {
  it('analyze - reads a plain log from stdin', async () => {
    const [file, stdin] = await Promise.all([
      runCli(['analyze', fixtures.ssl, '--json']),
      runCli(['analyze', '-', '--json'], { input: readFileSync(fixtures.ssl) }),
    ]);
    expect(file.code, file.stderr).toBe(0);
    expect(stdin.code, stdin.stderr).toBe(0);
    const p = proxysgOf(parseReport(stdin));
    expect(p.requests).toBeGreaterThan(0);
    expect(p).toEqual(proxysgOf(parseReport(file)));
  });

  it('analyze - sniffs a pipe that hands over a few bytes first, and counts the bytes it read', async () => {
    const text = readFileSync(fixtures.ssl);
    const { analyze } = await import('../../src/cli/analyze-flow.js');
    const trickle = (bytes: Buffer): Readable =>
      Readable.from((async function* () {
        yield bytes.subarray(0, 20);
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield bytes.subarray(20);
      })());
    const whole = await analyze([fixtures.ssl], { workers: 0 });
    for (const input of [text, gzipSync(text)]) {
      const { snapshot } = await analyze(['-'], { workers: 0, stdin: trickle(input) });
      expect(snapshot.proxysg!.requests).toBe(whole.snapshot.proxysg!.requests);
      expect(snapshot.meta.inputs.get('-')!.bytes).toBe(input.length);
    }
  });

  it('analyze - reads a gzip log from stdin', async () => {
    const [file, stdin] = await Promise.all([
      runCli(['analyze', fixtures.ssl, '--json']),
      runCli(['analyze', '-', '--json'], { input: gzipSync(readFileSync(fixtures.ssl)) }),
    ]);
    expect(file.code, file.stderr).toBe(0);
    expect(stdin.code, stdin.stderr).toBe(0);
    expect(proxysgOf(parseReport(stdin))).toEqual(proxysgOf(parseReport(file)));
  });

  it('analyze - on a gzip cut short or corrupt before any data: a corrupt gzip, as for a file, not an unknown format', async () => {
    const gz = gzipSync(readFileSync(fixtures.ssl));
    const corrupt = Buffer.concat([gz.subarray(0, 10), Buffer.from('not deflate data at all')]);
    for (const input of [gz.subarray(0, 10), gz.subarray(0, 12), corrupt]) {
      expectFatal(await runCli(['analyze', '-'], { input }), '-: corrupt gzip on standard input');
    }
    // Beside a file, it costs only itself: the file is reported and written.
    const out = join(tempDir(), 'beside-stdin.pb');
    const r = await runCli(['analyze', fixtures.ssl, '-', '--json', '-o', out], { input: Buffer.from('hello world\n') });
    expectFatal(r, '-: unknown log format on standard input');
    expect((JSON.parse(r.stdout) as { proxysg: { requests: number } }).proxysg.requests).toBe(95);
    expect(existsSync(out)).toBe(true);
  });
});

describe('errors and exit codes', () => {
  const dir = tempDir();

  it('a missing file: exit 1 naming the path', async () => {
    const missing = join(dir, 'no-such-file.log');
    expectFatal(await runCli(['analyze', missing]), missing);
  });

  it('a file of unknown format: exit 1 naming the file', async () => {
    const file = join(dir, 'hello.txt');
    writeFileSync(file, 'hello world\n');
    expectFatal(await runCli(['analyze', file]), file);
  });

  it('files that cannot be read or recognised cost nothing else: every other record is reported and written, they are listed as file errors, exit 1', async () => {
    const tree = join(dir, 'mixed-tree');
    mkdirSync(tree);
    copyFileSync(fixtures.ssl, join(tree, 'good.log'));
    writeFileSync(join(tree, 'notes.txt'), 'hello world\n');
    symlinkSync(join(tree, 'gone.log'), join(tree, 'dangling.log'));
    const missing = join(dir, 'typo.log');
    const out = join(dir, 'mixed.pb');
    const r = await runCli(['analyze', tree, missing, '--json', '-o', out]);
    expectFatal(r, join(tree, 'dangling.log'));
    expect(r.stderr).toContain('cannot read (ENOENT: no such file or directory) (any other inputs were read; 2 more file errors in the report); the report was printed');
    const report = JSON.parse(r.stdout) as { proxysg: { requests: number }; fileErrors: { path: string; offset: number; message: string }[] };
    expect(report.proxysg.requests).toBe(95);
    const expected = [
      { path: join(tree, 'dangling.log'), offset: 0, message: 'cannot read (ENOENT: no such file or directory)' },
      { path: join(tree, 'notes.txt'), offset: 0, message: 'unknown log format (use --format to force one)' },
      { path: missing, offset: 0, message: 'cannot read (ENOENT: no such file or directory)' },
    ];
    expect(report.fileErrors).toEqual(expected);
    const again = await runCli(['report', out, '--json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as typeof report).fileErrors).toEqual(expected);
  });

  it('generate to a path it cannot write: exit 1 naming it, no stack', async () => {
    const out = join(dir, 'no-such-dir', 'x.log');
    const r = await runCli(['generate', 'proxysg', '--bytes', '10KiB', '-o', out]);
    expectFatal(r, out);
    expect(r.stderr).not.toContain('    at ');
  });

  it('a file name with a newline and an escape: one line, escaped, with the reason', async () => {
    const file = join(dir, 'odd\x1b[31mname\nhere.txt');
    writeFileSync(file, 'hello world\n');
    const r = await runCli(['analyze', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stderr).toContain('unknown log format');
  });

  it('a bad option value (--workers abc, --format nope, a layout without %m): exit 1, one line naming the option', async () => {
    for (const args of [['--workers', 'abc'], ['--workers', '100000'], ['--format', 'nope'], ['--log4j-pattern', '%d %p'], ['--trx-order', '${SESSION_ID}${LOG_ID}']]) {
      const r = await runCli(['analyze', ...args, FIXTURE_DIR]);
      expectFatal(r, args[0]!);
    }
  });

  it('no command, or a command without its subcommand: usage shown, exit 2; help asked for: exit 0', async () => {
    expectUsage(await runCli([]));
    expectUsage(await runCli(['generate']));
    for (const args of [['--help'], ['help'], ['help', 'analyze']]) expect((await runCli(args)).code, args.join(' ')).toBe(0);
  });

  it('standard input that cannot be read costs only itself', async () => {
    const writeOnly = openSync(join(dir, 'write-only.txt'), 'w');
    const r = spawnSync(process.execPath, [CLI, 'analyze', '-', fixtures.ssl, '--json'], { stdio: [writeOnly, 'pipe', 'pipe'], encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('-: cannot read standard input (EBADF: bad file descriptor)');
    expect((JSON.parse(r.stdout) as { proxysg: { requests: number } }).proxysg.requests).toBe(95);
  });

  it('a gzip log followed by bytes that are not gzip: every record counted, then a file error', async () => {
    const plain = await runCli(['analyze', fixtures.ssl, '--json']);
    const gz = join(dir, 'junk-after.log.gz');
    const bytes = Buffer.concat([gzipSync(readFileSync(fixtures.ssl)), Buffer.from('garbage\n')]);
    writeFileSync(gz, bytes);
    for (const r of [await runCli(['analyze', gz, '--json']), await runCli(['analyze', '-', '--json'], { input: bytes })]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/: at byte \d+: bytes after gzip member 1 are not gzip data \(compressed byte \d+\) \(the records before it/);
      expect(proxysgOf(parseReport(r))).toEqual(proxysgOf(parseReport(plain)));
    }
  });

  it('outputs that cannot work are refused before the run: -o and --html on one file, and - as an output', async () => {
    const same = join(dir, 'same.out');
    const link = join(dir, 'same-link.out');
    writeFileSync(same, 'kept');
    linkSync(same, link);
    for (const html of [same, link]) {
      const r = await runCli(['analyze', fixtures.ssl, '-o', same, '--html', html]);
      expectUsage(r);
      expect(r.stderr).toContain(`-o and --html both name ${same}`);
    }
    // Files yet to be made, met through a symlinked directory or a dangling symlink.
    mkdirSync(join(dir, 'real'), { recursive: true });
    symlinkSync('real', join(dir, 'via'));
    symlinkSync('new.pb', join(dir, 'real', 'dangling.pb'));
    for (const html of [join(dir, 'via', 'new.pb'), join(dir, 'real', 'dangling.pb')]) {
      expectUsage(await runCli(['analyze', fixtures.ssl, '-o', join(dir, 'real', 'new.pb'), '--html', html]));
    }
    expect(existsSync(join(dir, 'real', 'new.pb'))).toBe(false);
    expect(readFileSync(same, 'latin1')).toBe('kept');
    for (const args of [['analyze', fixtures.ssl, '-o', '-'], ['analyze', fixtures.ssl, '--html', '-'], ['analyze', fixtures.ssl, '--csv', '-'], ['merge', same, '-o', '-']]) {
      const r = await runCli(args);
      expectUsage(r);
      expect(r.stderr).toContain(`${args[args.length - 2]} -: outputs go to files`);
    }
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });

  it('report and merge read a snapshot from standard input as -, once', async () => {
    const snap = join(dir, 'piped.pb');
    expect((await runCli(['analyze', fixtures.ssl, '-o', snap])).code).toBe(0);
    const direct = await runCli(['report', snap, '--json']);
    const piped = await runCli(['report', '-', '--json'], { input: readFileSync(snap) });
    expect(piped.code, piped.stderr).toBe(0);
    expect(proxysgOf(parseReport(piped))).toEqual(proxysgOf(parseReport(direct)));
    expectUsage(await runCli(['report', '-', '-'], { input: readFileSync(snap) }));
    expectFatal(await runCli(['report', '-'], { input: Buffer.from('not a snapshot') }), '-: ');
    const fromDir = spawnSync(process.execPath, [CLI, 'report', '-'], { stdio: [openSync(dir, 'r'), 'pipe', 'pipe'], encoding: 'utf8' });
    expect(fromDir.status).toBe(1);
    expect(fromDir.stderr).toContain('standard input is a directory, not a snapshot');
    expectUsage(await runCli(['generate', 'proxysg', '--bytes', '10KiB', '-o', '-']));
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });

  it('a log read as another format: its records counted malformed, and a warning saying what to check', async () => {
    const forced = await runCli(['analyze', fixtures.ssl, '--format', 'ejbca-trx', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/warning: (\d+) of \1 records are malformed; check --format\n/);
    expect((await runCli(['analyze', fixtures.ssl, '--json'])).stderr).not.toContain('warning');
  });

  it('a pipe named as a path is a file error that points to -', async () => {
    const fifo = join(dir, 'named.pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await runCli(['analyze', fixtures.ssl, fifo, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${fifo}: not a regular file or directory (to read a pipe, give - and send it to standard input)`);
    expect(proxysgOf(parseReport(r)).requests).toBe(95);
  });

  it('a directory as standard input is a file error, not an empty input', () => {
    const r = spawnSync(process.execPath, [CLI, 'analyze', '-', fixtures.ssl, '--json'], { stdio: [openSync(dir, 'r'), 'pipe', 'pipe'], encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('-: standard input is a directory, not a log');
    const report = JSON.parse(r.stdout) as { proxysg: { requests: number }; inputs: { path: string }[] };
    expect(report.proxysg.requests).toBe(95);
    expect(report.inputs.map((i) => i.path)).not.toContain('-');
  });

  it('generate: --trx-out naming the -o file, however spelled, is refused before either is written', async () => {
    const audit = join(dir, 'both.log');
    const twin = join(dir, 'both-link.log');
    writeFileSync(audit, 'kept\n');
    linkSync(audit, twin);
    for (const trx of [join(dir, '.', 'both.log'), twin]) {
      const r = await runCli(['generate', 'ejbca-audit', '--bytes', '10KiB', '-o', audit, '--trx-out', trx]);
      expectUsage(r);
      expect(r.stderr).toContain(`--trx-out ${trx} is the file -o names`);
      expect(readFileSync(audit, 'latin1')).toBe('kept\n');
    }
  });

  it('-o naming the file standard input reads: refused, the file untouched', async () => {
    const log = join(dir, 'fed.log');
    copyFileSync(fixtures.ssl, log);
    const r = spawnSync(process.execPath, [CLI, 'analyze', '-', '-o', log], { stdio: [openSync(log, 'r'), 'pipe', 'pipe'], encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${log}: is one of the inputs`);
    expect(readFileSync(log)).toEqual(readFileSync(fixtures.ssl));
  });

  it('an unknown option: exit 2', async () => {
    expectUsage(await runCli(['analyze', '--no-such-option', FIXTURE_DIR]));
  });

  it('analyze with no paths: exit 2', async () => {
    expectUsage(await runCli(['analyze']));
  });

  it('-o or --html naming one of the inputs: refused (exit 2), the log untouched', async () => {
    const inputs = join(dir, 'inputs');
    mkdirSync(inputs);
    const log = join(inputs, 'same.log');
    copyFileSync(fixtures.ssl, log);
    const other = join(dir, 'beside.html');
    for (const [option, also] of [['-o', '--html'], ['--html', '-o']] as const) {
      // Found in a directory once the run has listed it: left unwritten, while the report and
      // the other output go out.
      const r = await runCli(['analyze', inputs, option, log, also, other, '--json']);
      expectUsage(r);
      expect(r.stderr).toContain(`${log}: is one of the inputs; not written, write it elsewhere; the report was printed`);
      expect(readFileSync(log)).toEqual(readFileSync(fixtures.ssl));
      expect((JSON.parse(r.stdout) as { proxysg: { requests: number } }).proxysg.requests).toBe(95);
      expect(existsSync(other)).toBe(true);
      rmSync(other);
    }
    // Named as a file, it is refused before anything is read.
    const r = await runCli(['analyze', log, '-o', log]);
    expectUsage(r);
    expect(r.stderr).toContain(`${log}: is one of the inputs`);
    expect(r.stdout).toBe('');
    // A file of the directory that turns out unreadable as a log is an input all the same.
    const notes = join(inputs, 'notes.txt');
    writeFileSync(notes, 'hello world\n');
    expectUsage(await runCli(['analyze', inputs, '-o', notes]));
    expect(readFileSync(notes, 'utf8')).toBe('hello world\n');
    // Refused, with a file error and a failed output besides: all three on the one line.
    const all = await runCli(['analyze', inputs, join(dir, 'typo.log'), '-o', notes, '--csv', '/proc/certcrunch-csv']);
    expectUsage(all);
    expect(stderrLines(all)).toHaveLength(1);
    const parts = [`${notes}: is one of the inputs`, `${notes}: unknown log format`, '1 more file error in the report', '/proc/certcrunch-csv: cannot create directory', 'the report was printed'];
    for (const part of parts) {
      expect(all.stderr).toContain(part);
    }
    // report --html onto the snapshot it reads is refused too.
    const snapshot = join(dir, 'refused.pb');
    expect((await runCli(['analyze', fixtures.ssl, '-o', snapshot])).code).toBe(0);
    const before = readFileSync(snapshot);
    expectUsage(await runCli(['report', snapshot, '--html', snapshot]));
    expect(readFileSync(snapshot)).toEqual(before);
  });

  it('an output that cannot be written (a full device): exit 1 naming it; a good snapshot is never replaced by a cut-off one', async () => {
    const out = join(dir, 'kept.pb');
    expect((await runCli(['analyze', fixtures.ssl, '-o', out])).code).toBe(0);
    const good = readFileSync(out);
    for (const args of [['analyze', fixtures.ssl, '-o', '/dev/full'], ['analyze', fixtures.ssl, '--html', '/dev/full'],
      ['merge', out, '-o', '/dev/full'], ['generate', 'proxysg', '--bytes', '100KiB', '-o', '/dev/full'],
      // Small enough to be written only as the stream ends.
      ['generate', 'proxysg', '--bytes', '10KiB', '-o', '/dev/full'], ['generate', 'ejbca-audit', '--bytes', '10KiB', '-o', '/dev/full']]) {
      expectFatal(await runCli(args), '/dev/full: cannot write (ENOSPC: no space left on device)');
    }
    // The transaction log beside an audit log failing: named as itself, no stack trace.
    const trxOut = await runCli(['generate', 'ejbca-audit', '--bytes', '10KiB', '-o', join(dir, 'audit-ok.log'), '--trx-out', '/dev/full']);
    expect(trxOut.code).toBe(1);
    expect(trxOut.stderr).toContain('certcrunch: /dev/full: cannot write (ENOSPC: no space left on device)');
    expect(trxOut.stderr).not.toContain(STACK_FRAME);
    // A directory where the snapshot should go: the write fails, and leaves nothing behind.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'kept.pb'), { recursive: true });
    expectFatal(await runCli(['analyze', fixtures.ssl, '-o', join(blocked, 'kept.pb')]), join(blocked, 'kept.pb'));
    expect(readFileSync(out)).toEqual(good);
    expect(readdirSync(blocked)).toEqual(['kept.pb']);
  });

  it('an output that fails costs neither the report nor the other outputs: each is tried, the report printed, exit 1 naming every failure', async () => {
    const whole = await runCli(['analyze', fixtures.ssl, '--json']);
    expect(whole.code).toBe(0);
    const html = join(dir, 'after-failure.html');
    const csv = join(dir, 'after-failure-csv');
    const r = await runCli(['analyze', fixtures.ssl, '--json', '-o', join(dir, 'no', 'such', 'dir', 's.pb'), '--csv', '/proc/certcrunch-csv', '--html', html]);
    expectFatal(r, join(dir, 'no', 'such', 'dir', 's.pb'));
    expect(r.stderr).toContain('/proc/certcrunch-csv: cannot create directory');
    expect(r.stderr).toContain('; the report was printed');
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(whole.stdout));
    expect(readFileSync(html, 'utf8')).toContain('<html');
    expect(existsSync(csv)).toBe(false);
    // With a file error as well, both are named on the one line.
    const cut = join(dir, 'cut.log.gz');
    const gz = gzipSync(readFileSync(fixtures.ssl));
    writeFileSync(cut, gz.subarray(0, gz.length >> 1));
    const both = await runCli(['analyze', cut, '-o', '/dev/full']);
    expectFatal(both, `${cut}: at byte`);
    expect(both.stderr).toContain('(the records before it, and any other inputs, were counted)');
    expect(both.stderr).toContain('/dev/full: cannot write (ENOSPC: no space left on device)');
    expect(both.stdout).toContain('certcrunch report');
    // Standard output failing as well: named beside the others, and no claim the report was printed.
    const full = spawnSync(process.execPath, [CLI, 'analyze', fixtures.ssl, '-o', join(dir, 'no', 'such', 'dir', 's.pb')],
      { stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'], encoding: 'utf8' });
    expect(full.status).toBe(1);
    expect(full.stderr).toContain(`${join(dir, 'no', 'such', 'dir', 's.pb')}: cannot write (ENOENT: no such file or directory); standard output: cannot write (ENOSPC: no space left on device)`);
    expect(full.stderr).toContain('; the report could not be printed');
  });

  it('--csv where no directory can be made: exit 1 naming it, without hanging', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expectFatal(await runCli(['analyze', fixtures.ssl, '--csv', file]), `${file}: cannot create directory (not a directory)`);
    expectFatal(await runCli(['analyze', fixtures.ssl, '--csv', '/proc/certcrunch-csv']), '/proc/certcrunch-csv: cannot create directory');
    expect((await runCli(['analyze', fixtures.ssl, '--csv', join(dir, 'new', 'nested', 'csv')])).code).toBe(0);
    expect(existsSync(join(dir, 'new', 'nested', 'csv', 'top-hosts.csv'))).toBe(true);
  });

  it('a reader that stops early (| head): no stack trace, the run ends as it would have', async () => {
    // A report far larger than a pipe holds, so that writing goes on after the reader has gone.
    const log = join(dir, 'many-hosts.log');
    expect((await runCli(['generate', 'proxysg', '--bytes', '2MiB', '-o', log])).code).toBe(0);
    expect((await runCli(['analyze', log, '--json', '--top', '1000000'])).stdout.length).toBeGreaterThan(1 << 17);
    const errFile = join(dir, 'head.stderr');
    const script = `"$0" "$1" analyze "$2" --json --top 1000000 2> "$3" | head -c 100 > /dev/null; exit \${PIPESTATUS[0]}`;
    const shell = spawnSync('bash', ['-c', script, process.execPath, CLI, log, errFile]);
    const r = { code: shell.status, stderr: readFileSync(errFile, 'utf8') };
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('report of a file that is not a snapshot: exit 1 naming it', async () => {
    const file = join(dir, 'not-a-snapshot.pb');
    writeFileSync(file, 'hello world\n');
    expectFatal(await runCli(['report', file]), file);
    expectFatal(await runCli(['report', fixtures.ssl, '--json']), fixtures.ssl);
  });
});

describe('decode', () => {
  const dir = tempDir();

  it('reads hex as an argument, hex in a file (a byte order mark and line breaks too) and DER in a file', async () => {
    const arg = await runCli(['decode', '30030a0106']);
    expect(arg.code, arg.stderr).toBe(0);
    expect(arg.stdout).toContain('OCSP Response Status: unauthorized (0x6)');
    const hexFile = join(dir, 'response.hex');
    writeFileSync(hexFile, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('3003\r\n0a0106\n')]));
    expect((await runCli(['decode', '--file', hexFile])).stdout).toBe(arg.stdout);
    const derFile = join(dir, 'response.der');
    writeFileSync(derFile, Buffer.from('30030a0106', 'hex'));
    const json = await runCli(['decode', '--file', derFile, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 6 });
    // A blob copied as the audit log writes it, quotes and separator included.
    expect((await runCli(['decode', '"30030a0106";'])).stdout).toBe(arg.stdout);
    const quotedFile = join(dir, 'response-quoted.hex');
    writeFileSync(quotedFile, '"30030a0106";\n');
    expect((await runCli(['decode', '--file', quotedFile])).stdout).toBe(arg.stdout);
  });

  it('bad hex or DER: exit 1, one line naming where it came from', async () => {
    const bad = join(dir, 'bad.hex');
    writeFileSync(bad, '30030a01zz');
    expectFatal(await runCli(['decode', '--file', bad]), bad);
    expectFatal(await runCli(['decode', '3003']), 'argument');
  });
});

describe('--csv and --html', () => {
  const dir = tempDir();

  it('--csv DIR writes the report tables', async () => {
    const csvDir = join(dir, 'csv');
    const r = await runCli(['analyze', FIXTURE_DIR, '--csv', csvDir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['top-hosts.csv', 'cert-errors.csv', 'inputs.csv', 'by-category.csv', 'timeline.csv']) {
      expect(existsSync(join(csvDir, f)), f).toBe(true);
    }
    const report = parseReport(r);
    const hosts = parseCsv(readFileSync(join(csvDir, 'top-hosts.csv'), 'utf8'));
    expect(hosts[0]?.slice(0, 3)).toEqual(['host', 'requests', 'certErrorRequests']);
    expect(hosts.slice(1).map((row) => row[0])).toEqual(proxysgOf(report).topHosts.map((h) => h.host));
    const errors = parseCsv(readFileSync(join(csvDir, 'cert-errors.csv'), 'utf8'));
    expect(errors[0]).toEqual(['error', 'count']);
    expect(Object.fromEntries(errors.slice(1).map(([e, n]) => [e, Number(n)]))).toEqual(proxysgOf(report).certErrors);
    const inputs = parseCsv(readFileSync(join(csvDir, 'inputs.csv'), 'utf8'));
    expect(inputs.length - 1).toBe(report.inputs.length);
  });

  it('--html FILE writes an HTML document', async () => {
    const html = join(dir, 'report.html');
    const r = await runCli(['analyze', FIXTURE_DIR, '--html', html]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(text).toContain('</html>');
  });
});

describe('untrusted text in logs', () => {
  const dir = tempDir();
  const file = join(dir, 'evil.log');
  const HEADER = '#Software: SGOS 6.7.5.14\n#Fields: date time c-ip cs-host x-rs-certificate-observed-errors cs-categories sc-filter-result\n';
  const FORMULA = "=cmd|' /C calc'!A0";

  beforeAll(() => {
    writeFileSync(
      file,
      Buffer.from(
        HEADER +
          `2024-03-01 10:00:00 10.0.0.1 evil\x1b[2J.example.com expired "${FORMULA}" OBSERVED\n` +
          `2024-03-01 10:00:01 10.0.0.2 =1+2.example.com expired "@SUM(1)" OBSERVED\n`,
        'latin1',
      ),
    );
  });

  it('the text report holds no ESC byte', async () => {
    const r = await runCli(['analyze', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('example.com');
    expect(r.stdout).not.toContain('\x1b');
  });

  it('no CSV cell starts with =', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    const r = await runCli(['analyze', file, '--csv', csvDir]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['top-hosts.csv', 'by-category.csv', 'policy-candidates.csv']) {
      const rows = parseCsv(readFileSync(join(csvDir, f), 'utf8'));
      expect(rows.length, f).toBeGreaterThan(1);
      for (const cell of rows.flat()) expect(cell, `${f}: ${cell}`).not.toMatch(/^[=@+]/);
    }
    // The values are still there, neutralised.
    const hosts = parseCsv(readFileSync(join(csvDir, 'top-hosts.csv'), 'utf8'));
    expect(hosts.some((row) => row[0]?.includes('=1+2.example.com'))).toBe(true);
    const categories = parseCsv(readFileSync(join(csvDir, 'by-category.csv'), 'utf8'));
    expect(categories.some((row) => row[0]?.includes(FORMULA))).toBe(true);
  });

  it('JSON writes C1 controls and bidi overrides as escapes, keeping the values', async () => {
    const c1 = join(dir, 'c1.log');
    writeFileSync(c1, Buffer.concat([Buffer.from(HEADER, 'latin1'), Buffer.from('2024-03-01 10:00:00 10.0.0.1 a\u009b\u202eb.example expired "News" OBSERVED\n', 'utf8')]));
    const r = await runCli(['analyze', c1, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    expect(r.stdout).toContain('a\\u009b\\u202eb.example');
    expect(proxysgOf(parseReport(r)).topHosts[0]!.host).toBe('a\u009b\u202eb.example');
  });

  it('JSON keeps the raw (lower-cased) host and category', async () => {
    const r = await runCli(['analyze', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b'); // JSON escapes it as \u001b
    const p = proxysgOf(parseReport(r));
    expect(p.topHosts.map((h) => h.host)).toContain('evil\x1b[2j.example.com');
    expect(p.byCategory[FORMULA]).toEqual({ requests: 1, certErrorRequests: 1 });
    expect(p.certErrors).toEqual({ expired: 2 });
  });
});

describe('files and bytes', () => {
  const dir = tempDir();

  it('an empty file in a directory is listed as empty, exit 0', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'empty.log'), '');
    writeFileSync(join(logs, 'ssl.log'), readFileSync(fixtures.ssl));
    const r = await runCli(['analyze', logs, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r);
    expect(report.inputs).toEqual([
      { path: join(logs, 'empty.log'), format: 'empty', bytes: 0 },
      { path: join(logs, 'ssl.log'), format: 'proxysg', bytes: readFileSync(fixtures.ssl).length },
    ]);
    expect(proxysgOf(report).requests).toBeGreaterThan(0);
  });

  it('a gzip of nothing (a rotated log without traffic) is listed as empty; the other files are read', async () => {
    const empty = join(dir, 'quiet.log.gz');
    writeFileSync(empty, gzipSync(Buffer.alloc(0)));
    const r = await runCli(['analyze', empty, fixtures.ssl, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r);
    expect(report.inputs.find((i) => i.path === empty)).toEqual({ path: empty, format: 'empty', bytes: 20 });
    expect(proxysgOf(report).requests).toBeGreaterThan(0);
    const piped = await runCli(['analyze', '-', '--json'], { input: gzipSync(Buffer.alloc(0)) });
    expect(piped.code, piped.stderr).toBe(0);
    expect(parseReport(piped).inputs).toEqual([{ path: '-', format: 'empty', bytes: 20 }]);
  });

  it('UTF-8 and Latin-1 spellings of one category read the same and add up', async () => {
    const file = join(dir, 'mixed.log');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('#Fields: date time c-ip cs-host x-rs-certificate-observed-errors cs-categories\n', 'latin1'),
        Buffer.from('2024-03-01 10:00:00 10.0.0.1 a.example.com expired "Actualités"\n', 'utf8'),
        Buffer.from('2024-03-01 10:00:01 10.0.0.2 b.example.com - "Actualit\xe9s"\n', 'latin1'),
        Buffer.from('2024-03-01 10:00:02 10.0.0.3 c.example.com - "Actualités"\n', 'utf8'),
      ]),
    );
    const r = await runCli(['analyze', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r);
    expect(report.records.malformed).toBe(0);
    expect(proxysgOf(report).byCategory).toEqual({ 'Actualités': { requests: 3, certErrorRequests: 1 } });
  });

  it('--top 1 limits topHosts to one entry', async () => {
    const [all, one] = await Promise.all([
      runCli(['analyze', FIXTURE_DIR, '--json']),
      runCli(['analyze', FIXTURE_DIR, '--json', '--top', '1']),
    ]);
    expect(all.code, all.stderr).toBe(0);
    expect(one.code, one.stderr).toBe(0);
    const full = proxysgOf(parseReport(all)).topHosts;
    expect(full.length).toBeGreaterThan(1);
    const top = proxysgOf(parseReport(one)).topHosts;
    expect(top).toEqual(full.slice(0, 1));
  });
});
