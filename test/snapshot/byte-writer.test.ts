import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/snapshot/byte-writer.js';

describe('ByteWriter', () => {
  it('writes varints up to 2^53 and zigzag numbers as protobufjs does', () => {
    for (const value of [0, 1, 127, 128, 16383, 16384, 2 ** 31, 2 ** 32 + 5, 2 ** 52, 2 ** 53 - 1, 2 ** 53]) {
      const w = new ByteWriter();
      w.uint(1, value);
      const expect64 = protobuf.Writer.create().uint32(8).uint64(value);
      // Zigzag doubles a number: exact up to 2^52.
      if (value <= 2 ** 52) {
        w.sint(value);
        w.sint(-value);
        expect64.sint64(value).sint64(-value);
      }
      const expected = expect64.finish();
      expect(Buffer.from(w.buf.subarray(0, w.pos)).toString('hex'), String(value)).toBe(Buffer.from(expected).toString('hex'));
    }
  });

  it('refuses what it cannot write exactly, rather than writing something else', () => {
    const w = new ByteWriter();
    expect(() => w.uint(1, -1)).toThrow(RangeError);
    expect(() => w.uint(1, 2 ** 53 + 2)).toThrow(RangeError);
    expect(() => w.uint(1, 1.5)).toThrow(RangeError);
    expect(() => w.sint(2.5)).toThrow(RangeError);
  });

  it('puts each length in front of its body, whatever the body size', () => {
    for (const size of [0, 1, 127, 128, 16383, 16384, 100_000]) {
      const body = new Uint8Array(size).map((_, i) => i & 0xff);
      const w = new ByteWriter();
      w.delimited(3, () => w.bytes(1, body));
      const expected = protobuf.Writer.create().uint32(26).fork().uint32(10).bytes(body).ldelim().finish();
      expect(Buffer.from(w.buf.subarray(0, w.pos)).equals(Buffer.from(expected)), String(size)).toBe(true);
    }
  });
});
