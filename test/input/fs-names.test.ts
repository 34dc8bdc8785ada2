import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fsPath, nameFromBytes, shownPath } from '../../src/input/fs-names.js';
import { fixtures } from '../fixtures/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const bytes = (...parts: (string | number[] | Buffer)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('file names that are not UTF-8', () => {
  it('are carried so that they open as the same bytes, and shown as Latin-1', () => {
    const latin1 = bytes('caf', [0xe9], '.log'); // "café" written by a Latin-1 system
    const name = nameFromBytes(latin1);
    expect(name).not.toContain('\ufffd');
    expect(fsPath(`/logs/${name}`)).toEqual(bytes('/logs/', latin1));
    expect(shownPath(`/logs/${name}`)).toBe('/logs/caf\xe9.log');
    // Invalid as a whole: its valid UTF-8 sequences are escaped byte by byte too, and still round-trip.
    const mixed = bytes([0xc3, 0xa9, 0xff], 'x');
    expect(fsPath(nameFromBytes(mixed))).toEqual(mixed);
  });

  it('leave UTF-8 and ASCII names as they are', () => {
    for (const name of ['access.log', 'café.log', 'журнал.log', '日志.log']) {
      expect(nameFromBytes(Buffer.from(name))).toBe(name);
      expect(fsPath(name)).toBe(name);
      expect(shownPath(name)).toBe(name);
    }
  });

  it('in a directory tree are all read, each under its Latin-1 name, whatever the threads and ranges', async () => {
    const dir = tempDir();
    const log = readFileSync(fixtures.ssl);
    const sub = bytes(dir, '/d', [0xe9]);
    mkdirSync(sub);
    writeFileSync(bytes(sub, '/a.log'), log);
    writeFileSync(bytes(dir, '/f', [0xe9], '.log.gz'), gzipSync(log));
    writeFileSync(join(dir, 'ok.log'), log);
    for (const args of [['--workers', '0'], ['--workers', '2'], ['--workers', '2', '--chunk-size', '9000']]) {
      const r = await runCli(['analyze', dir, '--json', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { inputs: { path: string }[]; proxysg: { requests: number } };
      expect(report.inputs.map((i) => i.path)).toEqual([join(dir, 'd\xe9', 'a.log'), join(dir, 'f\xe9.log.gz'), join(dir, 'ok.log')]);
      expect(report.proxysg.requests).toBe(3 * 95);
    }
  });

  it('that read like another file\'s UTF-8 name are shown by their bytes instead, so two files stay two inputs', async () => {
    const dir = tempDir();
    const log = readFileSync(fixtures.ssl);
    writeFileSync(bytes(dir, '/caf', [0xe9], '.log'), log); // Latin-1 "café"
    writeFileSync(join(dir, 'café.log'), log); // UTF-8 "café"
    const r = await runCli(['analyze', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { inputs: { path: string; bytes: number }[]; proxysg: { requests: number } };
    expect(report.inputs.map((i) => i.path).sort()).toEqual([join(dir, 'caf%E9.log'), join(dir, 'café.log')].sort());
    expect(report.proxysg.requests).toBe(2 * 95);
  });

  it('are still inputs that -o may not replace', async () => {
    const dir = tempDir();
    const inputs = join(dir, 'in');
    mkdirSync(inputs);
    const name = bytes(inputs, '/caf', [0xe9], '.log');
    writeFileSync(name, readFileSync(fixtures.ssl));
    symlinkSync(name, bytes(dir, '/link.pb'));
    const r = await runCli(['analyze', inputs, '-o', join(dir, 'link.pb')]);
    expect(r.code, r.stderr).toBe(2);
    expect(readFileSync(name)).toEqual(readFileSync(fixtures.ssl));
  });
});
