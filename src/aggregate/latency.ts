import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import type * as Hdr from 'hdr-histogram-js';

// Loaded on first use: only transaction logs have latencies, and the library takes longer to
// load than a small log takes to crunch.
let hdrModule: typeof Hdr | undefined;
const hdrLib = (): typeof Hdr => (hdrModule ??= createRequire(import.meta.url)('hdr-histogram-js') as typeof Hdr);

/** Latency histograms: 1 ms to 1 hour at 3 significant digits; larger values land in the top bucket. */
export const HISTOGRAM_LOWEST_MS = 1;
export const HISTOGRAM_HIGHEST_MS = 3_600_000;
export const HISTOGRAM_DIGITS = 3;

const SMALL_MS = 4096;
/** Flushed before any array entry could pass 2^32 - 1. */
const PENDING_LIMIT = 2 ** 31;

function newHistogram(): Hdr.Histogram {
  return hdrLib().build({
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
  private hdrHistogram: Hdr.Histogram | undefined;
  /**
   * Whole-millisecond values below SMALL_MS are counted here and handed to the histogram in
   * bulk (recordValueWithCount): recording one value costs far more than an array increment.
   */
  private readonly small = new Uint32Array(SMALL_MS);
  private pending = 0;
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  get histogram(): Hdr.Histogram {
    this.flush();
    return this.hdr;
  }

  /** Made on first use, so a snapshot without latencies never loads the library. */
  private get hdr(): Hdr.Histogram {
    return (this.hdrHistogram ??= newHistogram());
  }

  record(ms: number): void {
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    const value = Math.min(Math.max(ms, 0), HISTOGRAM_HIGHEST_MS);
    if (Number.isInteger(value) && value < SMALL_MS) {
      this.small[value]!++;
      if (++this.pending === PENDING_LIMIT) this.flush();
    } else {
      this.hdr.recordValue(value);
    }
  }

  private flush(): void {
    if (this.pending === 0) return;
    const small = this.small;
    for (let v = 0; v < small.length; v++) if (small[v]! > 0) this.hdr.recordValueWithCount(v, small[v]!);
    small.fill(0);
    this.pending = 0;
  }

  merge(other: LatencyStats): this {
    if (other.count === 0) return this;
    this.hdr.add(other.histogram);
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** The standard HdrHistogram V2 compressed encoding (readable by the Java/Go/Python/Rust libraries). */
  encodeHistogram(): Uint8Array {
    return Buffer.from(hdrLib().encodeIntoCompressedBase64(this.histogram), 'base64');
  }

  static decode(parts: { histogram: Uint8Array; count: number; sum: number; min: number; max: number }): LatencyStats {
    const stats = new LatencyStats();
    if (parts.count === 0) return stats;
    if (![parts.count, parts.sum, parts.min, parts.max].every(Number.isFinite)) throw new RangeError('latency: count, sum, min and max must be finite');
    checkEncodedHistogram(parts.histogram, stats.hdr);
    const decoded = hdrLib().decodeFromCompressedBase64(Buffer.from(parts.histogram).toString('base64'), 64, false);
    if (decoded.totalCount !== parts.count) throw new RangeError(`latency: the histogram holds ${decoded.totalCount} values, not the ${parts.count} counted`);
    stats.hdr.add(decoded);
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

const V2_COMPRESSED_COOKIE = 0x1c849304;
const V2_COOKIE = 0x1c849303;
const cookieBase = (cookie: number): number => (cookie & ~0xf0) >>> 0;

/**
 * Checks an encoded histogram before the library reads it. The library trusts the encoding: a
 * run of empty counts as long as a varint can say is walked slot by slot (a 56-byte snapshot
 * that never finishes), and its inflate has no output limit (a zip bomb). Here the histogram must
 * have this module's settings, inflate to no more than its counts can need, and keep every count
 * inside `like`'s counts array.
 */
function checkEncodedHistogram(bytes: Uint8Array, like: Hdr.Histogram): void {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 8 || cookieBase(b.readUInt32BE(0)) !== V2_COMPRESSED_COOKIE) throw new RangeError('latency histogram: not an HdrHistogram V2 compressed encoding');
  const compressed = b.readInt32BE(4);
  if (compressed < 0 || compressed > b.length - 8) throw new RangeError('latency histogram: runs past its bytes');
  const slots = (like as unknown as { countsArrayLength: number }).countsArrayLength;
  let raw: Buffer;
  try {
    // 40 header bytes and at most 9 bytes a count.
    raw = inflateSync(b.subarray(8, 8 + compressed), { maxOutputLength: 40 + 9 * slots });
  } catch (err) {
    throw new RangeError(`latency histogram: ${(err as Error).message}`);
  }
  if (raw.length < 40 || cookieBase(raw.readUInt32BE(0)) !== V2_COOKIE) throw new RangeError('latency histogram: not an HdrHistogram V2 encoding');
  if (raw.readInt32BE(12) !== HISTOGRAM_DIGITS || raw.readBigInt64BE(16) !== BigInt(HISTOGRAM_LOWEST_MS) || raw.readBigInt64BE(24) !== BigInt(HISTOGRAM_HIGHEST_MS)) {
    throw new RangeError(`latency histogram: not ${HISTOGRAM_LOWEST_MS} ms to ${HISTOGRAM_HIGHEST_MS} ms at ${HISTOGRAM_DIGITS} digits`);
  }
  if (raw.readInt32BE(4) !== raw.length - 40) throw new RangeError('latency histogram: its payload length is not its size');
  // ZigZag LEB128 counts; a negative one is a run of empty counts.
  let index = 0;
  for (let at = 40; at < raw.length; ) {
    let value = 0n;
    let shift = 0n;
    for (let i = 0; i < 9 && at < raw.length; i++) {
      const byte = raw[at++]!;
      value |= BigInt(i === 8 ? byte : byte & 0x7f) << shift;
      if (i === 8 || (byte & 0x80) === 0) break;
      shift += 7n;
    }
    const count = (value >> 1n) ^ -(value & 1n);
    index += count < 0n ? Number(-count) : 1;
    if (index > slots) throw new RangeError('latency histogram: counts run past the histogram');
  }
}