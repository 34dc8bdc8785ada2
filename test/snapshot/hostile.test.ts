import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { HyperLogLog } from '../../src/aggregate/hyperloglog.js';
import { decodeSnapshot } from '../../src/snapshot/codec.js';

/*
 * Snapshots come from other systems and other runs: hostile ones fail with the file named and
 * a reason, and never take the report to impossible values.
 */
const fails = (hex: string | Uint8Array, reason: string) =>
  expect(() => decodeSnapshot(typeof hex === 'string' ? Buffer.from(hex, 'hex') : hex, 'x.pb')).toThrow(new RegExp(`^x\\.pb: .*${reason}`));

describe('hostile snapshots', () => {
  it('a count past 2^53, which would be read rounded', () => {
    fails('0801220b08ffffffffffffffffff01', 'varint above 2\\^53'); // proxysg.requests, read by hand
    fails('08012a0b08ffffffffffffffffff01', 'past 2\\^53'); // ocsp.lines, read by protobufjs
  });

  it('an hour or a time no date can show', () => {
    fails('0801220d92010a0a0580f882ad16120101', 'hour 3000000000 out of range');
    // An error host first seen 10^13 seconds after 1970 (past the year 270,000).
    const w = protobuf.Writer.create();
    w.uint32(8).uint32(1).uint32((4 << 3) | 2).fork().uint32((7 << 3) | 2).fork().uint32(10).bytes(Buffer.from('h')).uint32(7 << 3).sint64(1e13).ldelim().ldelim();
    fails(w.finish(), 'out of range');
  });

  it('more exact distinct clients than a writer ever keeps exact', () => {
    const w = protobuf.Writer.create();
    const lengths = protobuf.Writer.create();
    for (let i = 0; i < 10_001; i++) lengths.uint32(0);
    w.uint32(8).uint32(1).uint32((4 << 3) | 2).fork()
      .uint32((7 << 3) | 2).fork().uint32(10).bytes(Buffer.from('h'))
      .uint32((3 << 3) | 2).fork().uint32((2 << 3) | 2).bytes(lengths.finish()).ldelim()
      .ldelim().ldelim();
    fails(w.finish(), 'more than 10000 exact distinct values');
  });

  it('HyperLogLog registers no 32-bit hash can give', () => {
    const registers = new Uint8Array(1 << HyperLogLog.PRECISION);
    registers[5] = 33;
    expect(new HyperLogLog(registers).registers[5]).toBe(33);
    registers[5] = 34;
    expect(() => new HyperLogLog(registers)).toThrow('register above 33');
  });
});

describe('hostile reconciliation columns', () => {
  it('a status that does not fit its column is refused, not stored wrapped (300 as 44)', async () => {
    const { ReconcileSide } = await import('../../src/aggregate/reconcile.js');
    const columns = (status: number) => ({ session: [0], logId: [1], status: [status], responseStatus: [0], certId: [0], certStatus: [0], reason: [-1] });
    expect(ReconcileSide.fromColumns(['s'], columns(6)).status.get(0)).toBe(6);
    expect(() => ReconcileSide.fromColumns(['s'], columns(300))).toThrow('reconcile status 300 out of range');
    expect(() => ReconcileSide.fromColumns(['s'], columns(1.5))).toThrow('out of range');
  });
});
