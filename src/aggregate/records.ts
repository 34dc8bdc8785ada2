import { compareKeys, Counter } from './counter.js';

/** Samples kept per malformed reason: the first ones by (path, offset), so merging is order-independent. */
export const SAMPLES_PER_REASON = 5;
export const SAMPLE_EXCERPT_BYTES = 200;

export interface MalformedSample {
  path: string;
  /** Byte offset of the record (in the decompressed stream for gzip input). */
  offset: number;
  reason: string;
  /** First bytes of the record, control characters escaped. */
  excerpt: string;
}

/** Record counts for the whole snapshot: well-formed per kind, malformed by reason with samples. */
export class RecordStats {
  wellFormed = 0;
  readonly malformed = new Counter<string>();
  samples: MalformedSample[] = [];

  get malformedTotal(): number {
    return this.malformed.total();
  }

  get total(): number {
    return this.wellFormed + this.malformedTotal;
  }

  addMalformed(sample: MalformedSample): void {
    this.malformed.add(sample.reason);
    this.samples = keepFirstSamples([...this.samples, sample]);
  }

  merge(other: RecordStats): this {
    this.wellFormed += other.wellFormed;
    this.malformed.merge(other.malformed);
    this.samples = keepFirstSamples([...this.samples, ...other.samples]);
    return this;
  }
}

function keepFirstSamples(samples: MalformedSample[]): MalformedSample[] {
  samples.sort((a, b) => a.reason.localeCompare(b.reason) || compareKeys(a.path, b.path) || a.offset - b.offset);
  const kept: MalformedSample[] = [];
  let reason = '';
  let n = 0;
  let last: MalformedSample | undefined;
  for (const s of samples) {
    if (last && last.reason === s.reason && last.path === s.path && last.offset === s.offset) continue;
    if (s.reason !== reason) {
      reason = s.reason;
      n = 0;
    }
    if (n < SAMPLES_PER_REASON) {
      kept.push(s);
      n++;
    }
    last = s;
  }
  return kept;
}

/** Escapes control bytes and backslashes of a latin1 excerpt so it is safe to print and store. */
export function escapeExcerpt(latin1: string): string {
  return latin1.slice(0, SAMPLE_EXCERPT_BYTES).replace(/[\x00-\x1f\x7f-\x9f\\]/g, (c) =>
    c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
