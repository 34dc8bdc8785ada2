import { createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
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
    const out = createWriteStream(path);
    await generateEjbcaTrx({ bytes: 60_000, seed: 11, era: '6.x', layout: 'docs' }, out);
    await new Promise<void>((resolve) => out.end(resolve));
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
    const out = createWriteStream(path);
    await generateEjbcaTrx({ bytes: 20_000, seed: 5, era: '6.x', layout: 'bare' }, out);
    await new Promise<void>((resolve) => out.end(resolve));
    const [input] = await describeInputs([path]);
    const text = readFileSync(path);
    const run = async (file: string): Promise<Snapshot> => {
      const size = statSync(file).size;
      return decodeSnapshot((await runTask({ path: file, format: 'ejbca-trx', gzip: false, start: 0, end: -1, fileBytes: size, mtimeMs: 0, trx: input!.trx! })).snapshot);
    };
    const expected = JSON.parse(reportJson(await run(path))).ocsp;
    // The older file sorts after the newer by name, as log4j names them.
    const older = join(dir, 'ocsp.log.1');
    const newer = join(dir, 'ocsp.log');
    let cuts = 0;
    for (let at = text.indexOf(0x0a) + 1; at > 0 && at < text.length; at = text.indexOf(0x0a, at) + 1) {
      writeFileSync(older, text.subarray(0, at));
      writeFileSync(newer, text.subarray(at));
      const [a, b] = [await run(older), await run(newer)];
      for (const [name, parts] of [['older first', [a, b]], ['newer first', [b, a]]] as const) {
        const merged = parts.reduce((acc, s) => acc.merge(decodeSnapshot(encodeSnapshot(s))), new Snapshot());
        const got = JSON.parse(reportJson(merged)).ocsp;
        if (JSON.stringify(got) !== JSON.stringify(expected)) expect({ at, name, ocsp: got }).toEqual({ at, name, ocsp: expected });
      }
      cuts++;
    }
    expect(cuts).toBeGreaterThan(50);
  });
});
