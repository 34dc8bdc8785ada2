// Micro-benchmark: the ELFF block scanner (tokenize, intern, count, error hosts included), native against the TypeScript
// fallback, on the same generated block. Setup (generation, allocation) is outside the timed function.
import Benchmark from 'benchmark';
import { PassThrough } from 'node:stream';
import { generateProxySg } from '../dist/generate/proxysg.js';
import { fallbackKernel } from '../dist/native/fallback/index.js';
import { loadAddon, nativeKernel } from '../dist/native/load.js';
import { createElffOutput } from '../dist/native/types.js';
import { parseFieldsDirective, Slot, SLOT_COUNT } from '../dist/formats/elff/schema.js';
import { ERROR_HOST_SLOTS } from '../dist/scan/elff-aggregator.js';

export async function runKernelBench({ blockBytes = 8 << 20 } = {}) {
  const sink = new PassThrough();
  const chunks = [];
  sink.on('data', (c) => chunks.push(c));
  await generateProxySg({ bytes: blockBytes, seed: 11 }, sink);
  const buf = Buffer.concat(chunks);
  const text = buf.toString('latin1', 0, 4096);
  const fieldsLine = text.split('\r\n').find((l) => l.startsWith('#Fields:'));
  const schema = parseFieldsDirective(fieldsLine);
  const firstData = text.indexOf('\n', text.indexOf('#Remark')) + 1;

  const kernels = [nativeKernel(loadAddon()), fallbackKernel];
  const results = [];
  const suite = new Benchmark.Suite('elff-scan');
  for (const kernel of kernels) {
    const out = createElffOutput(1 << 16, SLOT_COUNT);
    const tally = kernel.createElffTally(SLOT_COUNT, ERROR_HOST_SLOTS);
    suite.add(kernel.name, () => {
      let from = firstData;
      for (;;) {
        kernel.scanElff({ buf, from, to: buf.length, limit: buf.length, atEof: true, fieldCount: schema.fields.length, colSlot: schema.colSlot, slots: SLOT_COUNT, dateSlot: Slot.Date, timeSlot: Slot.Time, errorSlot: Slot.CertErrors, emitAll: false }, tally, out);
        const resume = out.state[0];
        if (resume === from) break;
        from = resume;
      }
    });
  }
  await new Promise((resolve, reject) => suite.on('error', (e) => reject(e.target.error)).on('cycle', (e) => {
    const t = e.target;
    const mbps = (buf.length / 1e6) * t.hz;
    results.push({ name: `scanElff ${t.name}`, mbPerSec: mbps, rme: t.stats.rme });
  }).on('complete', resolve).run({ async: false }));
  return results;
}
