// Micro-benchmarks of the other kernels, native against the TypeScript fallback where both
// exist: the pattern scanner (EJBCA transaction log), the hex decoder, the DER walker, and
// snapshot encode/decode/merge (synthetic, and of a real range). Inputs are generated from fixed
// seeds outside the timed code.
import Benchmark from 'benchmark';
import { PassThrough } from 'node:stream';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProxySg } from '../dist/generate/proxysg.js';
import { runTask } from '../dist/scan/run-task.js';
import { generateEjbcaTrx } from '../dist/generate/ejbca-trx.js';
import { fallbackKernel } from '../dist/native/fallback/index.js';
import { loadAddon, nativeKernel } from '../dist/native/load.js';
import { createPatternOutput } from '../dist/native/types.js';
import { compileOrder, TRX_ORDER_DEFAULTS, TRX_VARIABLES } from '../dist/formats/ejbca/order.js';
import { trxPatternSpec, TRX_NUMS, TRX_SLOTS } from '../dist/formats/ejbca/trx-schema.js';
import { decodeOcspResponse } from '../dist/formats/ocsp/ocsp.js';
import { encodeSnapshot, decodeSnapshot } from '../dist/snapshot/codec.js';
import { Snapshot } from '../dist/snapshot/snapshot.js';
import { ProxySgStats } from '../dist/aggregate/proxysg.js';

const kernels = [nativeKernel(loadAddon()), fallbackKernel];

async function generated(generate, bytes) {
  const sink = new PassThrough();
  const chunks = [];
  sink.on('data', (c) => chunks.push(c));
  await generate(sink, bytes);
  return Buffer.concat(chunks);
}

function run(suite) {
  const results = [];
  return new Promise((resolve, reject) =>
    suite
      .on('error', (e) => reject(e.target.error))
      .on('cycle', (e) => results.push({ name: e.target.name, hz: e.target.stats ? e.target.hz : 0, rme: e.target.stats.rme, unit: e.target.unit, perOp: e.target.perOp }))
      .on('complete', () => resolve(results))
      .run({ async: false }),
  );
}

export async function runMoreKernelBenches({ bytes = 4 << 20 } = {}) {
  const suite = new Benchmark.Suite('kernels');
  const out = [];

  // Pattern scanner on a 7.0–7.7 bare transaction log.
  const trx = await generated((s, n) => generateEjbcaTrx({ bytes: n, seed: 5, era: '7.0-7.7', layout: 'bare' }, s), bytes);
  const spec = trxPatternSpec(compileOrder(TRX_ORDER_DEFAULTS['6.3.3-7.8.0'], TRX_VARIABLES), '%m%n');
  for (const kernel of kernels) {
    const pattern = kernel.compilePattern(spec);
    const interner = kernel.createInterner(TRX_SLOTS);
    const o = createPatternOutput(1 << 15, TRX_SLOTS, TRX_NUMS);
    suite.add(`scanPattern ${kernel.name}`, () => {
      let from = 0;
      for (;;) {
        kernel.scanPattern(pattern, { buf: trx, from, to: trx.length, limit: trx.length, atEof: true }, interner, o);
        if (o.state[0] === from) break;
        from = o.state[0];
      }
    });
    out.push({ name: `scanPattern ${kernel.name}`, bytes: trx.length });
  }

  // Hex decoding of response-sized blobs, many per call.
  const blob = readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'ocsp', 'resp-multi.der')).toString('hex');
  const hex = Buffer.from(blob.repeat(Math.ceil(bytes / blob.length)), 'latin1');
  const spans = Math.floor(hex.length / blob.length);
  const starts = Uint32Array.from({ length: spans }, (_, i) => i * blob.length);
  const ends = Uint32Array.from({ length: spans }, (_, i) => (i + 1) * blob.length);
  const dst = new Uint8Array(hex.length / 2 + 16);
  const results = new Int32Array(spans * 4);
  for (const kernel of kernels) {
    suite.add(`decodeHexSpans ${kernel.name}`, () => kernel.decodeHexSpans(hex, starts, ends, spans, dst, results));
    out.push({ name: `decodeHexSpans ${kernel.name}`, bytes: hex.length });
  }

  // DER walk of one real response (per record).
  const der = readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'ocsp', 'resp-multi.der'));
  suite.add('decodeOcspResponse', () => decodeOcspResponse(der));
  out.push({ name: 'decodeOcspResponse', records: 1 });

  // Snapshot encode, decode and merge with 20,000 hosts.
  const snap = new Snapshot();
  snap.proxysg = new ProxySgStats();
  for (let i = 0; i < 20_000; i++) snap.proxysg.hostRequests.add(`host-${i}.example.com`, i + 1);
  const bytesEncoded = encodeSnapshot(snap);
  suite.add('snapshot encode (20k hosts)', () => encodeSnapshot(snap));
  suite.add('snapshot decode (20k hosts)', () => decodeSnapshot(bytesEncoded));
  suite.add('snapshot merge (20k hosts)', () => new Snapshot().merge(snap).merge(snap));
  out.push({ name: 'snapshot encode (20k hosts)', records: 1 }, { name: 'snapshot decode (20k hosts)', records: 1 }, { name: 'snapshot merge (20k hosts)', records: 1 });

  // The same on the snapshot of a real range: a generated 32 MiB log, scanned in this thread.
  // Its error hosts (each with its clients, errors and categories) are most of the work.
  const dir = mkdtempSync(join(tmpdir(), 'certcrunch-bench-'));
  let range;
  try {
    const log = join(dir, 'range.log');
    writeFileSync(log, await generated((s, n) => generateProxySg({ bytes: n, seed: 42 }, s), 32 << 20));
    const size = readFileSync(log).length;
    range = decodeSnapshot((await runTask({ path: log, format: 'proxysg', gzip: false, start: 0, end: -1, fileBytes: size, mtimeMs: 0 })).snapshot);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const label = `(32 MiB range: ${range.proxysg.hostRequests.size} hosts, ${range.proxysg.errorHosts.size} error hosts)`;
  const rangeEncoded = encodeSnapshot(range);
  const names = [`snapshot encode ${label}`, `snapshot decode ${label}`, `snapshot merge ${label}`];
  suite.add(names[0], () => encodeSnapshot(range));
  suite.add(names[1], () => decodeSnapshot(rangeEncoded));
  suite.add(names[2], () => new Snapshot().merge(decodeSnapshot(rangeEncoded)).merge(decodeSnapshot(rangeEncoded)));
  out.push(...names.map((name) => ({ name, records: 1 })));

  const measured = await run(suite);
  return out.map((o) => {
    const m = measured.find((x) => x.name === o.name);
    return { name: o.name, rme: m.rme, ...(o.bytes ? { mbPerSec: (o.bytes / 1e6) * m.hz } : { opsPerSec: m.hz }) };
  });
}
