import { describe, expect, it } from 'vitest';
import { AUDIT_VARIABLES, compileOrder, TRX_ORDER_DEFAULTS, TRX_VARIABLES } from '../../src/formats/ejbca/order.js';
import { trxPatternSpec } from '../../src/formats/ejbca/trx-schema.js';
import { secondsMask } from '../../src/formats/ejbca/trx-settings.js';
import { PatternKind, type PatternSpec } from '../../src/formats/pattern-spec.js';
import { fallbackKernel } from '../../src/native/fallback/index.js';
import { loadAddon, nativeKernel } from '../../src/native/load.js';
import { createPatternOutput, type Kernel } from '../../src/native/types.js';

const native = nativeKernel(loadAddon());

function scanAll(kernel: Kernel, spec: PatternSpec, buf: Uint8Array, capacity: number, limit = buf.length) {
  const pattern = kernel.compilePattern(spec);
  const interner = kernel.createInterner(spec.slots);
  const out = createPatternOutput(capacity, spec.slots, spec.nums);
  const records: { offset: number; kind: number; ids: number[]; nums: number[] }[] = [];
  let from = 0;
  for (;;) {
    const n = kernel.scanPattern(pattern, { buf, from, to: buf.length, limit, atEof: true }, interner, out);
    for (let r = 0; r < n; r++) {
      records.push({
        offset: out.offsets[r]!,
        kind: out.kinds[r]!,
        ids: [...out.ids.subarray(r * spec.slots, (r + 1) * spec.slots)],
        nums: [...out.nums.subarray(r * spec.nums, (r + 1) * spec.nums)],
      });
    }
    if (out.state[0] === from) break;
    from = out.state[0]!;
  }
  return { records, values: Array.from({ length: spec.slots }, (_, s) => interner.values(s, 0)) };
}

function bothAgree(spec: PatternSpec, text: string | Uint8Array, capacity = 5) {
  const buf = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const a = scanAll(native, spec, buf, capacity);
  expect(a).toEqual(scanAll(fallbackKernel, spec, buf, capacity));
  return a;
}

const ROW_70 =
  '5f1a3c9b0a000a151b7e44c29d03f1a7;1234;0;0"192.0.2.10";"0";"0";0;"2017-02-21:12:28:55:GMT";7;1;0;0;0;0;0;0;0;"CN=ManagementCA,O=EJBCA Sample,C=SE";a9d7641581b76da92fcd48afa8fcb1e81af04f25;6faee9603858141d52e86c3c24dd3f609604265d;1.3.14.3.2.26;008a3f1c2d4e5f60718293;0;1;';
const PREFIX = '2017-02-21 13:28:55,134 DEBUG [org.cesecore.certificates.ocsp.logging.TransactionLogger] ';

describe('native and TypeScript pattern kernels agree', () => {
  const order = compileOrder(TRX_ORDER_DEFAULTS['6.3.3-7.8.0'], TRX_VARIABLES);

  it('read a default 7.0–7.7 row with the docs layout, other loggers, continuations and malformed rows', () => {
    const spec = trxPatternSpec(order, '%d %-5p [%c] %m%n');
    const lines = [
      PREFIX + ROW_70,
      ROW_70.replace(';1234;', ';1235;'), // a bare continuation row (6.x multi-CertID event)
      '2017-02-21 13:28:56,000 INFO  [org.ejbca.core.protocol.ocsp.OCSPServlet] Error processing OCSP request.',
      PREFIX + ROW_70.slice(0, 80), // truncated
      PREFIX + ROW_70.replace(';7;1;', ';7ms;1;'), // bad number
      PREFIX + ROW_70.replace('5f1a3c9b', '5f1a3c9'), // odd-length hex
      'total garbage without any separator', // unprefixed: another event's continuation
      '',
      '   ',
      PREFIX + ROW_70.replace(';1234;', ';-1;') + '\r',
    ];
    const run = bothAgree(spec, lines.join('\n'));
    expect(run.records.map((r) => r.kind)).toEqual([
      PatternKind.Row, PatternKind.Row, PatternKind.OtherLogger, PatternKind.Truncated, PatternKind.BadNumber,
      PatternKind.BadHex, PatternKind.OtherLogger, PatternKind.Row,
    ]);
    expect(run.records[0]!.nums.slice(0, 7)).toEqual([1234, 0, 7, NaN, 1, 0, NaN]);
    expect(run.records[7]!.nums[0]).toBe(-1);
    expect(run.values[1]).toEqual(['192.0.2.10']);
    expect(run.values[4]).toEqual(['CN=ManagementCA,O=EJBCA Sample,C=SE']);
  });

  it('agree on the WildFly layout, a "%m %n" suffix and %c{1}', () => {
    for (const layout of ['%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n', '%m %n', '%d{HH:mm:ss,SSS} %-5p [%c{1}] (%t) %s%E%n']) {
      const spec = trxPatternSpec(order, layout);
      const text = [
        `2024-04-08 18:29:14,131 DEBUG [org.cesecore.certificates.ocsp.logging.TransactionLogger] (default task-3) ${ROW_70}`,
        `${ROW_70} `,
        `18:29:14,131 DEBUG [TransactionLogger] (http-/0.0.0.0:8080-3) ${ROW_70}`,
        `18:29:14,131 INFO  [OCSPServlet] (http-/0.0.0.0:8080-3) other`,
      ].join('\n');
      bothAgree(spec, text);
    }
  });

  it('agree when LOG_TIME is interned with its seconds masked', () => {
    const spec = trxPatternSpec(order, '%m%n', false, secondsMask('yyyy-MM-dd HH:mm:ss.SSSZ'));
    const rows = ['16:29:14.123', '16:29:59.999', '16:30:00.000', '16:29:14.1'].map((t) => ROW_70.replace('2017-02-21:12:28:55:GMT', `2024-04-08 ${t}+0000`));
    const run = bothAgree(spec, rows.join('\n'));
    // The first two share a minute; the last is too short for the mask and is kept whole.
    expect(run.values[3]).toEqual(['2024-04-08 16:29:00.000+0000', '2024-04-08 16:30:00.000+0000', '2024-04-08 16:29:14.1+0000']);
  });

  it('agree on hostile bytes', () => {
    const spec = trxPatternSpec(order, '%d %-5p [%c] %m%n');
    const alphabet = ';"0a1 -\n\r[]()DEBUG'.split('').map((c) => c.charCodeAt(0)).concat([0xe9, 0x00]);
    let x = 7;
    for (let round = 0; round < 100; round++) {
      const buf = new Uint8Array(300 + round * 7);
      for (let i = 0; i < buf.length; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        buf[i] = alphabet[x % alphabet.length]!;
      }
      // Splice real rows in so some lines parse.
      Buffer.from(`\n${PREFIX}${ROW_70}\n${ROW_70}\n`, 'latin1').copy(buf, round % 100);
      bothAgree(spec, buf, 1 + (round % 4));
    }
  });

  it('agree on a layout whose prefix can match no bytes at all (a bare line either way)', () => {
    const spec = trxPatternSpec(order, '%d{}%m%n');
    bothAgree(spec, `garbage\n${ROW_70}\n;x\n`);
  });

  it('reject a spec the native side cannot run', () => {
    const spec = trxPatternSpec(compileOrder('SESSION_ID:${SESSION_ID};LOG ID:${LOG_ID}', AUDIT_VARIABLES), '%m%n');
    expect(() => native.compilePattern({ ...spec, literals: ['a', '', 'b'], fields: [...spec.fields, ...spec.fields].slice(0, 2) })).toThrow(/separator/);
  });
});
