import { describe, expect, it } from 'vitest';
import * as hdr from 'hdr-histogram-js';
import { HISTOGRAM_DIGITS, HISTOGRAM_HIGHEST_MS, HISTOGRAM_LOWEST_MS, LatencyStats } from '../../src/aggregate/latency.js';

describe('LatencyStats', () => {
  it('holds the same histogram as recording every value directly, whatever the order of reads', () => {
    const direct = hdr.build({
      lowestDiscernibleValue: HISTOGRAM_LOWEST_MS, highestTrackableValue: HISTOGRAM_HIGHEST_MS,
      numberOfSignificantValueDigits: HISTOGRAM_DIGITS, bitBucketSize: 64, useWebAssembly: false,
    });
    const stats = new LatencyStats();
    const values = [0, 1, 2, 4095, 4096, 12.5, 3_600_000, 9_999_999, -3, 17, 17, 250];
    for (let i = 0; i < 5000; i++) {
      const v = values[i % values.length]! + (i % 7 === 0 ? i % 300 : 0);
      stats.record(v);
      direct.recordValue(Math.min(Math.max(v, 0), HISTOGRAM_HIGHEST_MS));
      // Reading part way must not lose or double what is still pending.
      if (i === 2500) expect(stats.histogram.totalCount).toBe(i + 1);
    }
    const merged = new LatencyStats().merge(stats);
    for (const h of [stats.histogram, merged.histogram]) {
      expect(h.totalCount).toBe(direct.totalCount);
      for (const p of [1, 50, 90, 99, 99.9, 100]) expect(h.getValueAtPercentile(p)).toBe(direct.getValueAtPercentile(p));
    }
    expect(Buffer.from(stats.encodeHistogram()).equals(Buffer.from(hdr.encodeIntoCompressedBase64(direct), 'base64'))).toBe(true);
  });
});
