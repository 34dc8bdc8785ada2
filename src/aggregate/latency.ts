import * as hdr from 'hdr-histogram-js';

/** Latency histograms: 1 ms to 1 hour at 3 significant digits; larger values land in the top bucket. */
export const HISTOGRAM_LOWEST_MS = 1;
export const HISTOGRAM_HIGHEST_MS = 3_600_000;
export const HISTOGRAM_DIGITS = 3;

function newHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: HISTOGRAM_LOWEST_MS,
    highestTrackableValue: HISTOGRAM_HIGHEST_MS,
    numberOfSignificantValueDigits: HISTOGRAM_DIGITS,
    bitBucketSize: 64,
    useWebAssembly: false,
  });
}

/**
 * One latency metric: an HDR histogram (merged exactly by adding counts) plus the exact count,
 * sum, minimum and maximum, which the contract reports exactly.
 */
export class LatencyStats {
  readonly histogram = newHistogram();
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  record(ms: number): void {
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    this.histogram.recordValue(Math.min(Math.max(ms, 0), HISTOGRAM_HIGHEST_MS));
  }

  merge(other: LatencyStats): this {
    if (other.count === 0) return this;
    this.histogram.add(other.histogram);
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** The standard HdrHistogram V2 compressed encoding (readable by the Java/Go/Python/Rust libraries). */
  encodeHistogram(): Uint8Array {
    return Buffer.from(hdr.encodeIntoCompressedBase64(this.histogram), 'base64');
  }

  static decode(parts: { histogram: Uint8Array; count: number; sum: number; min: number; max: number }): LatencyStats {
    const stats = new LatencyStats();
    if (parts.count === 0) return stats;
    const decoded = hdr.decodeFromCompressedBase64(Buffer.from(parts.histogram).toString('base64'), 64, false);
    stats.histogram.add(decoded);
    stats.count = parts.count;
    stats.sum = parts.sum;
    stats.min = parts.min;
    stats.max = parts.max;
    return stats;
  }

  summary(): { count: number; min: number; mean: number; p50: number; p90: number; p99: number; p999: number; max: number } {
    if (this.count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const at = (p: number): number => this.histogram.getValueAtPercentile(p);
    return {
      count: this.count,
      min: this.min,
      mean: Math.round((this.sum / this.count) * 1000) / 1000,
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      max: this.max,
    };
  }
}
