import { describe, expect, it } from 'vitest';
import { DistinctCount, EXACT_DISTINCT_LIMIT } from '../../src/aggregate/distinct.js';
import { HyperLogLog } from '../../src/aggregate/hyperloglog.js';
import { runTask } from '../../src/scan/run-task.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/snapshot/codec.js';
import { Snapshot } from '../../src/snapshot/snapshot.js';
import { ProxySgStats } from '../../src/aggregate/proxysg.js';
import { PROTO_PATH } from '../../src/snapshot/schema.js';
import protobuf from 'protobufjs';
import { fixtures } from '../fixtures/index.js';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/cli/analyze-flow.js';
import { generateEjbcaAudit } from '../../src/generate/ejbca-audit.js';
import { tempDir } from '../helpers/tmp.js';
import { writeGenerated } from '../helpers/streams.js';

/** Partial snapshots of the fixtures, cut into ranges, as the workers would make them. */
async function parts(): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  for (const path of [fixtures.ssl, fixtures.edgeCases, fixtures.http]) {
    const size = statSync(path).size;
    let fields: string | undefined;
    for (let start = 0; start < size; start += 5000) {
      const end = start + 5000 >= size ? -1 : start + 5000;
      const task = { path, format: 'proxysg' as const, gzip: false, start, end, fileBytes: size, mtimeMs: 1, ...(fields ? { fields } : {}) };
      const result = await runTask(task);
      fields = result.lastFields ?? fields;
      out.push(decodeSnapshot(result.snapshot));
    }
  }
  return out;
}

/** Snapshot bytes without the fields that legitimately differ between runs (timings, creation time). */
function canonical(s: Snapshot): string {
  const copy = decodeSnapshot(encodeSnapshot(s));
  copy.meta.elapsedMs = 0;
  copy.meta.createdAt = '';
  return Buffer.from(encodeSnapshot(copy)).toString('hex');
}

/** The Snapshot type as protobufjs generates it, without certcrunch's hand-written wire code. */
function plainSnapshotType(): protobuf.Type {
  const root = protobuf.parse(readFileSync(PROTO_PATH, 'utf8'), { keepCase: false }).root;
  root.resolveAll();
  return root.lookupType('certcrunch.v1.Snapshot');
}

const mergeAll = (list: Snapshot[]): Snapshot => list.reduce((acc, s) => acc.merge(decodeSnapshot(encodeSnapshot(s))), new Snapshot());

describe('merge is associative and commutative, and encodes canonically', () => {
  it('any order and grouping of the parts gives the same snapshot bytes', async () => {
    const list = await parts();
    expect(list.length).toBeGreaterThan(8);
    const reference = canonical(mergeAll(list));
    expect(canonical(mergeAll([...list].reverse()))).toBe(reference);
    // Grouped differently: ((a b) (c d)) … and a shuffled order.
    const pairs: Snapshot[] = [];
    for (let i = 0; i < list.length; i += 2) pairs.push(mergeAll(list.slice(i, i + 2)));
    expect(canonical(mergeAll(pairs))).toBe(reference);
    const shuffled = list.map((s, i) => ({ s, k: (i * 7919) % 13 })).sort((a, b) => a.k - b.k).map((x) => x.s);
    expect(canonical(mergeAll(shuffled))).toBe(reference);
  });

  it('survives an encode/decode round trip unchanged', async () => {
    const merged = mergeAll(await parts());
    const bytes = encodeSnapshot(merged);
    expect(Buffer.from(encodeSnapshot(decodeSnapshot(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes counters byte for byte as protobufjs would, and reads what protobufjs writes', async () => {
    const merged = mergeAll(await parts());
    merged.proxysg!.certErrors.add('huge', 2 ** 40 + 3);
    merged.records.malformed.add('x', 0x80000000);
    const bytes = encodeSnapshot(merged);
    const plain = plainSnapshotType();
    const again = plain.encode(plain.fromObject(plain.toObject(plain.decode(bytes)))).finish();
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    expect(decodeSnapshot(again).proxysg!.certErrors.get('huge')).toBe(2 ** 40 + 3);
    // Unpacked repeated fields (as written before the schema's proto3 defaults were resolved) are read too.
    const unpacked = protobuf.Writer.create();
    unpacked.uint32(10).bytes(Buffer.from('ab')).uint32(16).uint32(1).uint32(16).uint32(1).uint32(24).uint64(7).uint32(24).uint64(9);
    // Snapshot.records (3) → Records.malformed_by_reason (2).
    const wrapped = protobuf.Writer.create().uint32(8).uint32(1).uint32(26).fork().uint32(18).bytes(unpacked.finish()).ldelim().finish();
    expect([...decodeSnapshot(wrapped).records.malformed.map]).toEqual([['a', 7], ['b', 9]]);
  });

  it('writes EJBCA snapshots, reconciled ones included, byte for byte as protobufjs would', async () => {
    const dir = tempDir();
    const audit = join(dir, 'audit.log');
    const trx = join(dir, 'audit-trx.log');
    const side = createWriteStream(trx);
    await writeGenerated(audit, (out) => generateEjbcaAudit({ bytes: 30_000, seed: 31, undecodableRate: 0.05, trxOut: side }, out));
    await new Promise<void>((resolve) => side.end(resolve));
    const plain = plainSnapshotType();
    const trx6x = join(import.meta.dirname, '..', 'fixtures', 'ejbca', 'trx-6x-docs.log');
    for (const paths of [[trx6x], [audit], [audit, trx], [fixtures.ssl, trx]]) {
      const { snapshot } = await analyze(paths, { workers: 0, verifySignatures: false });
      snapshot.meta.addFileError({ path: 'x\u00e9.log', offset: 2 ** 40, message: 'a message' });
      const bytes = encodeSnapshot(snapshot);
      const again = plain.encode(plain.fromObject(plain.toObject(plain.decode(bytes)))).finish();
      expect(Buffer.from(again).equals(Buffer.from(bytes)), paths.join(' ')).toBe(true);
    }
  });

  it('adds up a counter key or an error host that a hand-made snapshot lists twice, or lists out of order', async () => {
    // Written by protobufjs's own generated code, as another system would write a snapshot.
    const type = plainSnapshotType();
    const msg = type.toObject(type.decode(encodeSnapshot(mergeAll(await parts()))), { bytes: Buffer }) as {
      proxysg: Record<string, { keys: Buffer; keyLengths: number[]; counts: number[] }>;
    };
    msg.proxysg['certErrors'] = { keys: Buffer.from('expiredexpiredrevoked', 'latin1'), keyLengths: [7, 7, 7], counts: [2, 3, 4] };
    msg.proxysg['hostRequests'] = { keys: Buffer.from('b.exa.exb.ex', 'latin1'), keyLengths: [4, 4, 4], counts: [1, 2, 3] };
    const errorHosts = (msg.proxysg as unknown as { errorHosts: { host: Buffer; errors: unknown }[] }).errorHosts;
    const twice = errorHosts[0]!;
    errorHosts.push({ ...twice });
    const decoded = decodeSnapshot(type.encode(type.fromObject(msg)).finish());
    const once = decodeSnapshot(encodeSnapshot(mergeAll(await parts()))).proxysg!.errorHosts.get(twice.host.toString('latin1'))!;
    const doubled = decoded.proxysg!.errorHosts.get(twice.host.toString('latin1'))!;
    expect([...doubled.errors.map].map(([k, n]) => [k, n / 2])).toEqual([...once.errors.map]);
    expect([...decoded.proxysg!.certErrors.map]).toEqual([['expired', 5], ['revoked', 4]]);
    expect([...decoded.proxysg!.hostRequests.entries()]).toEqual([['a.ex', 2], ['b.ex', 4]]);
  });

  it('writes and reads error hosts of every shape as protobufjs does', async () => {
    const merged = mergeAll(await parts());
    const p = merged.proxysg!;
    const sketched = p.errorHost('\xe9t\xe9.example');
    sketched.clients = DistinctCount.fromParts(Array.from({ length: EXACT_DISTINCT_LIMIT + 5 }, (_, i) => `c${i}`));
    sketched.errors.add('expired', 2 ** 40);
    const bare = p.errorHost(''); // no clients, counters or times
    expect(bare.firstSeen).toBe(-1);
    p.errorHost('late.example').seen(4_102_444_800); // 2100-01-01: past 2^31 once zigzagged
    const bytes = encodeSnapshot(merged);
    const plain = plainSnapshotType();
    const again = plain.encode(plain.fromObject(plain.toObject(plain.decode(bytes)))).finish();
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const back = decodeSnapshot(bytes).proxysg!;
    expect(back.errorHosts.get('\xe9t\xe9.example')!.clients.isExact).toBe(false);
    expect(back.errorHosts.get('\xe9t\xe9.example')!.errors.get('expired')).toBe(2 ** 40);
    expect(back.errorHosts.get('late.example')!.lastSeen).toBe(4_102_444_800);
    expect(back.errorHosts.get('')!.maxThreatRisk).toBe(-1);
    expect(back.errorHosts.size).toBe(p.errorHosts.size);
  });

  it('reads an error host whose zero fields another writer left out as zeros (proto3)', async () => {
    const s = new Snapshot();
    s.proxysg = new ProxySgStats();
    const h = s.proxysg.errorHost('zero.example');
    h.errors.add('expired', 1);
    h.maxThreatRisk = 0;
    h.seen(0);
    const plain = plainSnapshotType();
    const object = plain.toObject(plain.decode(encodeSnapshot(s)), { defaults: false }) as { proxysg: { errorHosts: Record<string, unknown>[] } };
    const host = object.proxysg.errorHosts[0]!;
    for (const field of ['maxThreatRisk', 'firstSeen', 'lastSeen']) delete host[field];
    const back = decodeSnapshot(plain.encode(plain.fromObject(object)).finish()).proxysg!.errorHosts.get('zero.example')!;
    expect([back.maxThreatRisk, back.firstSeen, back.lastSeen]).toEqual([0, 0, 0]);
  });

  it('turns corrupt ProxySG snapshots into ERR_SNAPSHOT, never another error', async () => {
    const merged = mergeAll(await parts());
    merged.proxysg!.errorHost('sketched').clients = DistinctCount.fromParts(Array.from({ length: EXACT_DISTINCT_LIMIT + 1 }, (_, i) => `c${i}`));
    const bytes = Buffer.from(encodeSnapshot(merged));
    let x = 12345;
    const next = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    let rejected = 0;
    for (let i = 0; i < 400; i++) {
      const bad = Buffer.from(bytes);
      if (i % 4 === 0) {
        bad[next(bad.length)] = next(256);
      } else if (i % 4 === 1) {
        for (let k = 0; k < 8; k++) {
          const at = next(bad.length);
          bad[at] = bad[at]! ^ (1 << next(8));
        }
      } else if (i % 4 === 2) {
        bad[next(bad.length)] = 0xff; // an overlong varint or length
      }
      const input = i % 4 === 3 ? bad.subarray(0, next(bad.length)) : bad;
      try {
        decodeSnapshot(input);
      } catch (err) {
        expect((err as { code?: string }).code, String(err)).toBe('ERR_SNAPSHOT');
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(50);
  });

  it('names the snapshot when a part inside it is corrupt (a histogram), not only its envelope', async () => {
    const trx6x = join(import.meta.dirname, '..', 'fixtures', 'ejbca', 'trx-6x-docs.log');
    const { snapshot } = await analyze([trx6x], { workers: 0 });
    const plain = plainSnapshotType();
    const object = plain.toObject(plain.decode(encodeSnapshot(snapshot)), { defaults: false }) as { ocsp: { replyTime: { hdrHistogram: Uint8Array } } };
    object.ocsp.replyTime.hdrHistogram = Buffer.from('not a compressed histogram');
    const bad = plain.encode(plain.fromObject(object)).finish();
    expect(() => decodeSnapshot(bad, 'day-7.pb')).toThrow(/^day-7\.pb: corrupt snapshot/);
  });

  it('rejects bytes that are not a snapshot, and other schema versions', () => {
    expect(() => decodeSnapshot(Buffer.from('not a snapshot at all'), 'x.pb')).toThrow(/x\.pb/);
    expect(() => decodeSnapshot(Buffer.alloc(0), 'empty.pb')).toThrow(/^empty\.pb: an empty file, not a certcrunch snapshot/);
    expect(() => decodeSnapshot(Buffer.from([0x08, 0x07]), 'v7.pb')).toThrow(/schema version 7/);
  });
});

describe('distinct counts', () => {
  it('are exact up to the limit and the same however the values are split', () => {
    const all = Array.from({ length: EXACT_DISTINCT_LIMIT }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const a = DistinctCount.fromParts(all.slice(0, 6000));
    const b = DistinctCount.fromParts(all.slice(4000));
    expect(a.merge(b).count()).toBe(EXACT_DISTINCT_LIMIT);
    expect(a.isExact).toBe(true);
  });

  it('keep exact values sorted and distinct, and merging leaves the other count as it was', () => {
    const a = DistinctCount.fromParts(['b', 'a', '\xe9', 'b', 'A']);
    expect(a.values()).toEqual(['A', 'a', 'b', '\xe9']);
    const b = DistinctCount.fromParts(['a', 'c']);
    a.merge(b);
    expect(a.values()).toEqual(['A', 'a', 'b', 'c', '\xe9']);
    expect(b.values()).toEqual(['a', 'c']);
    const empty = new DistinctCount().merge(b);
    empty.add('0');
    expect([empty.values(), b.values()]).toEqual([['0', 'a', 'c'], ['a', 'c']]);
  });

  it('turn into a sketch past the limit, with merged parts equal to the whole', () => {
    const all = Array.from({ length: 50_000 }, (_, i) => `client-${i}`);
    const whole = DistinctCount.fromParts(all);
    const left = DistinctCount.fromParts(all.slice(0, 20_000));
    const right = DistinctCount.fromParts(all.slice(15_000));
    const merged = left.merge(right);
    expect(whole.isExact).toBe(false);
    expect(Buffer.from(merged.registers()!).equals(Buffer.from(whole.registers()!))).toBe(true);
    expect(Math.abs(whole.count() - 50_000) / 50_000).toBeLessThan(0.03);
  });

  it('HyperLogLog estimates within its error over a wide range', () => {
    for (const n of [100, 5_000, 200_000]) {
      const h = new HyperLogLog();
      for (let i = 0; i < n; i++) h.add(`v${i}`);
      expect(Math.abs(h.estimate() - n) / n).toBeLessThan(0.03);
    }
  });
});
