import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_DIGITS, HISTOGRAM_HIGHEST_MS, HISTOGRAM_LOWEST_MS, LatencyStats } from '../../src/aggregate/latency.js';

/*
 * Snapshots promise histograms in the standard HdrHistogram V2 compressed encoding, for Java, Go,
 * Python or Rust readers. This reads one with a decoder written from the format as the reference
 * Java implementation defines it (AbstractHistogram.encodeIntoCompressedByteBuffer), not with the
 * library that wrote it.
 */
const V2_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
const cookieBase = (cookie: number): number => (cookie & ~0xf0) >>> 0;

interface Decoded {
  digits: number;
  lowest: number;
  highest: number;
  /** Recorded values at the bottom of their bucket, with their counts. */
  values: Map<number, number>;
}

function decodeV2Compressed(bytes: Uint8Array): Decoded {
  const outer = Buffer.from(bytes);
  expect(cookieBase(outer.readUInt32BE(0))).toBe(V2_COMPRESSED_COOKIE_BASE);
  const compressedLength = outer.readInt32BE(4);
  expect(8 + compressedLength).toBe(outer.length);
  const b = inflateSync(outer.subarray(8));
  expect(cookieBase(b.readUInt32BE(0))).toBe(V2_COOKIE_BASE);
  const payloadLength = b.readInt32BE(4);
  // Bytes 8..11 (normalizing index offset) and 32..39 (integer-to-double ratio) are not read:
  // hdr-histogram-js writes 1 and an int64 1 there where Java writes 0 and a double 1.0, and
  // readers of integer histograms (the Java reference sets the offset on fill and read alike)
  // place the counts the same either way.
  const digits = b.readInt32BE(12);
  const lowest = Number(b.readBigInt64BE(16));
  const highest = Number(b.readBigInt64BE(24));
  expect(40 + payloadLength).toBe(b.length);

  // Bucket layout, as the reference derives it from the settings.
  const largestSingleUnit = 2 * 10 ** digits;
  const subBucketCountMagnitude = Math.ceil(Math.log2(largestSingleUnit));
  const subBucketHalfCountMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
  const subBucketHalfCount = 2 ** subBucketHalfCountMagnitude;
  const unitMagnitude = Math.floor(Math.log2(lowest));
  const valueAt = (index: number): number => {
    let bucket = (index >> subBucketHalfCountMagnitude) - 1;
    let sub = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
    if (bucket < 0) {
      sub -= subBucketHalfCount;
      bucket = 0;
    }
    return sub * 2 ** (bucket + unitMagnitude);
  };

  // Counts: ZigZag LEB128 (at most 9 bytes); a negative number is a run of that many empty counts.
  const values = new Map<number, number>();
  let at = 40;
  let index = 0;
  while (at < b.length) {
    let raw = 0n;
    let shift = 0n;
    for (let i = 0; i < 9; i++) {
      const byte = b[at++]!;
      raw |= BigInt(i === 8 ? byte : byte & 0x7f) << shift;
      if (i === 8 || (byte & 0x80) === 0) break;
      shift += 7n;
    }
    const count = Number((raw >> 1n) ^ -(raw & 1n));
    if (count < 0) {
      index += -count;
    } else {
      if (count > 0) values.set(valueAt(index), count);
      index++;
    }
  }
  return { digits, lowest, highest, values };
}

describe('latency histograms on the wire', () => {
  it('are HdrHistogram V2 compressed encodings that a reader of the format decodes to the recorded values', () => {
    const recorded = [0, 1, 1, 2, 3, 999, 1000, 2047, 2048, 2049, 3000, 4095, 4096, 65_432, 123_456, 3_599_999, 3_600_000, 9_999_999];
    const stats = new LatencyStats();
    for (const ms of recorded) stats.record(ms);
    const d = decodeV2Compressed(stats.encodeHistogram());
    expect([d.digits, d.lowest, d.highest]).toEqual([HISTOGRAM_DIGITS, HISTOGRAM_LOWEST_MS, HISTOGRAM_HIGHEST_MS]);

    // Each value lands in the bucket whose bottom is the largest at or below it, within 0.1%
    // (3 significant digits); values past the top are counted at the top.
    const expected = new Map<number, number>();
    const bottoms = [...d.values.keys()].sort((a, b) => a - b);
    for (const ms of recorded) {
      const value = Math.min(ms, HISTOGRAM_HIGHEST_MS);
      const bottom = bottoms.filter((v) => v <= value).pop()!;
      expect(value - bottom).toBeLessThanOrEqual(Math.max(0, value * 10 ** -HISTOGRAM_DIGITS));
      expected.set(bottom, (expected.get(bottom) ?? 0) + 1);
    }
    expect(d.values).toEqual(expected);
    // Small values are exact.
    for (const v of [0, 1, 2, 3, 999, 1000, 2047]) expect(d.values.has(v)).toBe(true);
  });
});

describe('latency histograms read from snapshots', () => {
  const header = (payload: number): Buffer => {
    const h = Buffer.alloc(40);
    h.writeUInt32BE(V2_COOKIE_BASE | 0x10, 0);
    h.writeInt32BE(payload, 4);
    h.writeInt32BE(HISTOGRAM_DIGITS, 12);
    h.writeBigInt64BE(BigInt(HISTOGRAM_LOWEST_MS), 16);
    h.writeBigInt64BE(BigInt(HISTOGRAM_HIGHEST_MS), 24);
    h.writeDoubleBE(1, 32);
    return h;
  };
  const compressed = (raw: Buffer): Uint8Array => {
    const body = deflateSync(raw);
    const out = Buffer.alloc(8);
    out.writeUInt32BE(V2_COMPRESSED_COOKIE_BASE | 0x10, 0);
    out.writeInt32BE(body.length, 4);
    return Buffer.concat([out, body]);
  };
  const decode = (histogram: Uint8Array, count = 1) => LatencyStats.decode({ histogram, count, sum: 1, min: 1, max: 1 });

  it('refuse a run of empty counts past the histogram (the library would walk it slot by slot, for ever)', () => {
    // ZigZag of -2^50 (a run of 2^50 empty counts), then a count of 1.
    const run = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03, 0x02]);
    expect(() => decode(compressed(Buffer.concat([header(run.length), run])))).toThrow('counts run past the histogram');
  });

  it('refuse a histogram that inflates past what its counts can need (a zip bomb)', () => {
    const zeros = Buffer.alloc(8 << 20);
    expect(() => decode(compressed(Buffer.concat([header(zeros.length), zeros])))).toThrow(/latency histogram: .*(larger|exceed|buffer)/i);
  });

  it('refuse other settings, a payload length that is not the size, and a count the histogram does not hold', () => {
    const good = new LatencyStats();
    for (const v of [1, 5, 9]) good.record(v);
    const bytes = good.encodeHistogram();
    expect(decode(bytes, 3).count).toBe(3);
    expect(() => decode(bytes, 4)).toThrow('holds 3 values, not the 4 counted');
    expect(() => LatencyStats.decode({ histogram: bytes, count: 3, sum: Number.NaN, min: 1, max: 9 })).toThrow('finite');
    const raw = inflateSync(Buffer.from(bytes).subarray(8));
    const otherDigits = Buffer.from(raw);
    otherDigits.writeInt32BE(5, 12);
    expect(() => decode(compressed(otherDigits), 3)).toThrow('at 3 digits');
    const badLength = Buffer.from(raw);
    badLength.writeInt32BE(0x7fffffff, 4);
    expect(() => decode(compressed(badLength), 3)).toThrow('payload length');
  });
});
