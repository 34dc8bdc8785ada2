import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEjbcaTrx } from '../../src/generate/ejbca-trx.js';
import { describeInputs } from '../../src/input/discover.js';
import { runTask } from '../../src/scan/run-task.js';
import type { ScanTask } from '../../src/scan/task.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/snapshot/codec.js';
import { Snapshot } from '../../src/snapshot/snapshot.js';
import { reportJson } from '../helpers/analyze.js';
import { tempDir } from '../helpers/tmp.js';
import { writeGenerated } from '../helpers/streams.js';

const dir = tempDir();

/**
 * A 6.x transaction log writes one row per CertID, each with the ISSUER_NAME_DN of its
 * certificate, so one request's rows can name different issuers. A request counts under the
 * issuer of its first row; when its rows straddle ranges, that must hold whatever order the
 * ranges' parts are merged in.
 */
describe('transaction-log parts merge in any order to what one range gives', () => {
  it('requests whose rows straddle ranges and name different issuers', async () => {
    const path = join(dir, 'trx-6x.log');
    await writeGenerated(path, (out) => generateEjbcaTrx({ bytes: 60_000, seed: 11, era: '6.x', layout: 'docs' }, out));
    const [input] = await describeInputs([path]);
    const size = statSync(path).size;
    const task = (start: number, end: number): ScanTask => ({ path, format: 'ejbca-trx', gzip: false, start, end, fileBytes: size, mtimeMs: 0, trx: input!.trx! });
    const whole = decodeSnapshot((await runTask(task(0, -1))).snapshot);
    const issuers = Object.keys(JSON.parse(reportJson(whole)).ocsp.byIssuer ?? {});
    expect(issuers.length).toBeGreaterThan(1);

    const parts: Snapshot[] = [];
    for (let start = 0; start < size; start += 613) {
      parts.push(decodeSnapshot((await runTask(task(start, start + 613 >= size ? -1 : start + 613))).snapshot));
    }
    const merge = (list: Snapshot[]): Snapshot => list.reduce((acc, s) => acc.merge(decodeSnapshot(encodeSnapshot(s))), new Snapshot());
    const expected = JSON.parse(reportJson(whole)).ocsp;
    for (const [name, order] of [
      ['file order', parts],
      ['reversed', [...parts].reverse()],
      ['shuffled', parts.map((s, i) => ({ s, k: (i * 7919) % 17 })).sort((a, b) => a.k - b.k).map((x) => x.s)],
    ] as const) {
      const got = JSON.parse(reportJson(merge([...order]))).ocsp;
      expect({ name, byIssuer: got.byIssuer, requests: got.requests }).toEqual({ name, byIssuer: expected.byIssuer, requests: expected.requests });
      expect({ name, ocsp: got }).toEqual({ name, ocsp: expected });
    }
  });

  it('a request that continues from one rotated file into the next, merged either way round', async () => {
    const path = join(dir, 'trx-6x-rotated.log');
    await writeGenerated(path, (out) => generateEjbcaTrx({ bytes: 20_000, seed: 5, era: '6.x', layout: 'bare' }, out));
    const [input] = await describeInputs([path]);
    const run = async (file: string): Promise<Snapshot> => {
      const size = statSync(file).size;
      return decodeSnapshot((await runTask({ path: file, format: 'ejbca-trx', gzip: false, start: 0, end: -1, fileBytes: size, mtimeMs: 0, trx: input!.trx! })).snapshot);
    };
    const lineStarts = (text: Buffer): number[] => {
      const starts = [0];
      for (let at = text.indexOf(0x0a) + 1; at > 0 && at < text.length; at = text.indexOf(0x0a, at) + 1) starts.push(at);
      return starts;
    };
    // The older file sorts after the newer by name, as log4j names them.
    const older = join(dir, 'ocsp.log.1');
    const newer = join(dir, 'ocsp.log');
    const whole = readFileSync(path);
    let cuts = 0;
    // The log as generated, cut at every line; then starting at each of its next lines (some
    // begin with a request of several rows), cut within its first ones, so that the older file
    // can hold nothing but the start of one request.
    for (const [from, cutsPerLog] of [[0, Infinity], ...lineStarts(whole).slice(1, 7).map((at) => [at, 8])] as const) {
      const log = join(dir, 'trx-6x-from.log');
      const text = whole.subarray(from);
      writeFileSync(log, text);
      const expected = JSON.parse(reportJson(await run(log))).ocsp;
      for (const at of lineStarts(text).slice(1, 1 + cutsPerLog)) {
        writeFileSync(older, text.subarray(0, at));
        writeFileSync(newer, text.subarray(at));
        const [a, b] = [await run(older), await run(newer)];
        for (const [name, parts] of [['older first', [a, b]], ['newer first', [b, a]]] as const) {
          const merged = parts.reduce((acc, s) => acc.merge(decodeSnapshot(encodeSnapshot(s))), new Snapshot());
          const got = JSON.parse(reportJson(merged)).ocsp;
          if (JSON.stringify(got) !== JSON.stringify(expected)) expect({ from, at, name, ocsp: got }).toEqual({ from, at, name, ocsp: expected });
        }
        cuts++;
      }
    }
    expect(cuts).toBeGreaterThan(90);
  });

  it('a request key that comes back later in a range keeps the facts of its first sighting', async () => {
    const row = (logId: number, issuer: string) =>
      `5f1a3c9b0a000a151b7e44c29d03f1a7;${logId};0;0"192.0.2.10";"0";"0";0;"2017-02-21:12:28:55:GMT";9;1;0;0;0;0;0;0;0;"${issuer}";a9d7641581b76da92fcd48afa8fcb1e81af04f25;6faee9603858141d52e86c3c24dd3f609604265d;1.3.14.3.2.26;${logId}a;0;1;\n`;
    const path = join(dir, 'trx-repeat.log');
    writeFileSync(path, row(7, 'CN=X') + row(8, 'CN=X') + row(7, 'CN=Y'));
    const [input] = await describeInputs([path]);
    expect(input!.format).toBe('ejbca-trx');
    const size = statSync(path).size;
    const snapshot = decodeSnapshot((await runTask({ path, format: 'ejbca-trx', gzip: false, start: 0, end: -1, fileBytes: size, mtimeMs: 0, trx: input!.trx! })).snapshot);
    const ocsp = JSON.parse(reportJson(snapshot)).ocsp;
    expect(ocsp.requests).toBe(2);
    expect(ocsp.byIssuer).toEqual([{ issuer: 'CN=X', requests: 2 }]);
  });
});
