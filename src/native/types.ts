import type { PatternSpec } from '../formats/pattern-spec.js';

/**
 * The interface both kernels satisfy: the C++ addon (native/) and the pure TypeScript
 * fallback (./fallback/). Work is done a block at a time; results go into caller-allocated
 * typed arrays so no per-field strings cross the boundary.
 */

/** Per-record kinds written to `ElffOutput.kinds`. Mirrored in native/elff_scan.h. */
export const RecordKind = {
  Data: 0,
  Directive: 1,
  NoFields: 2,
  UnterminatedQuote: 3,
  FieldCount: 4,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** A string counter as its distinct keys in byte order, packed back to back, with their counts. */
export interface PackedCounts {
  /** The latin1 bytes of every key, one after another. */
  keys: Uint8Array;
  lengths: Uint32Array;
  counts: Float64Array;
}

/**
 * What an ElffTally tallies of the records with certificate errors, per host, when made with
 * ErrorHostSlots. All by raw interned ids: pairs in (host, kind, id) order, where kind is the
 * index of the id's slot in `pairSlots`; times (epoch seconds >= 0) in host order.
 */
export interface ErrorHostTallies {
  hosts: Uint32Array;
  kinds: Uint32Array;
  ids: Uint32Array;
  counts: Float64Array;
  timeHosts: Uint32Array;
  firstSeen: Float64Array;
  lastSeen: Float64Array;
}

/** The slot of a record's host, and the slots counted with it when the record has certificate errors. */
export interface ErrorHostSlots {
  hostSlot: number;
  pairSlots: readonly number[];
}

/** Id written for a slot whose column is absent from the current `#Fields`. */
export const NO_ID = 0xffffffff;

/**
 * Interns byte strings per slot into dense ids (0, 1, 2, … in first-seen order), so the
 * aggregator works on integers and decodes each distinct value once.
 */
export interface Interner {
  /** Number of distinct values interned so far in `slot`. */
  size(slot: number): number;
  /** Values of ids `from`..`to`-1 (default: to the end) of `slot`, as latin1 strings (one char per byte, lossless). */
  values(slot: number, from: number, to?: number): string[];
}

/**
 * An Interner that also counts the well-formed ELFF records scanned into it: per slot, how often
 * each interned value occurred, in all records and in records with certificate errors; and
 * requests per hour. Clean records are only counted here, never handed to JavaScript.
 */
export interface ElffTally extends Interner {
  /** counts(slot)[id]: records with that value, one entry per interned id. */
  counts(slot: number): Float64Array;
  /** The same, counting only records with certificate errors. */
  errorCounts(slot: number): Float64Array;
  /**
   * The counted values of a slot in byte order (of records with certificate errors only, with
   * `errorsOnly`); with `fold`, ASCII letters lower-cased first and equal results added up. A
   * million hosts cross as three arrays, not a million strings.
   */
  sortedCounts(slot: number, errorsOnly: boolean, fold: boolean): PackedCounts;
  /** [hour since the epoch, requests, requests with certificate errors] triples, in hour order. */
  timeline(): Float64Array;
  /** [requests, requests with certificate errors, records without a valid date and time]. */
  totals(): Float64Array;
  /**
   * The error hosts (none unless the tally was made with ErrorHostSlots), once: their tables, a
   * range's largest with many hosts, are freed as they are read, and a later call gets none.
   */
  errorHosts(): ErrorHostTallies;
  /** Frees the tables now (a range's can be hundreds of MB); any later call throws. */
  release(): void;
}

export interface ElffOutput {
  /** Capacity in records; every array below is sized from it. */
  readonly capacity: number;
  /** Byte offset of each record's first byte, relative to the block start. */
  readonly offsets: Uint32Array;
  /** RecordKind of each record. */
  readonly kinds: Uint8Array;
  /** ids[record * slots + slot]: interned id (or parsed date/time) of the selected field, or NO_ID. */
  readonly ids: Uint32Array;
  /** state[0] = position just past the last processed line (relative to the buffer); state[1] = data records counted. */
  readonly state: Uint32Array;
}

/** A block of whole lines to scan. */
export interface ScanBlock {
  /** The block: bytes [from, to) of `buf` are scanned. */
  buf: Uint8Array;
  from: number;
  to: number;
  /** Only lines that start before `limit` are processed (the range owner rule). */
  limit: number;
  /** True when `to` is the end of the input, so a last line without '\n' is complete. */
  atEof: boolean;
}

export interface ElffScanRequest extends ScanBlock {
  /** Field count of the `#Fields` in force, or -1 when none has been seen yet. */
  fieldCount: number;
  /** colSlot[column] = slot to intern that column into, or -1; length = fieldCount (or 0). */
  colSlot: Int32Array;
  slots: number;
  /** Slot whose values are parsed as `YYYY-MM-DD` into days + DAY_BIAS instead of interned (-1: none). */
  dateSlot: number;
  /** Slot whose values are parsed as `HH:MM:SS` into seconds of the day (-1: none). */
  timeSlot: number;
  /**
   * Slot whose values tell records with certificate errors (-1: none): a value with at least one
   * token by the contract's rule (see certErrorTokens) marks its record.
   */
  errorSlot: number;
  /** Write every data record to the output; otherwise only those with certificate errors. */
  emitAll: boolean;
  /** Leading tokens of each line before its ELFF text (a syslog header: "Aug 18 12:30:46 host"); 0 or absent: none. */
  prefixTokens?: number;
}

export interface PatternOutput {
  readonly capacity: number;
  readonly offsets: Uint32Array;
  /** PatternKind of each line. */
  readonly kinds: Uint8Array;
  /** ids[record * slots + slot]. */
  readonly ids: Uint32Array;
  /** nums[record * nums + index]: parsed integers, NaN when absent. */
  readonly nums: Float64Array;
  readonly state: Uint32Array;
}

/** A compiled pattern, owned by the kernel that compiled it. */
export type CompiledPattern = { readonly spec: PatternSpec };

export interface Kernel {
  readonly name: 'native' | 'typescript';
  createInterner(slots: number): Interner;
  /** A tally of `slots` slots; with `errorHosts`, the records with certificate errors are also tallied per host. */
  createElffTally(slots: number, errorHosts?: ErrorHostSlots): ElffTally;
  /**
   * Scans whole lines of the block, skipping blank lines. Every well-formed record is counted
   * into `tally`; one record is written per directive, malformed line and data record with
   * certificate errors (every data record with `emitAll`). Stops when the output is full,
   * after a directive (so the caller can apply a new `#Fields`), at `limit`, or at an
   * incomplete last line. Returns the number of records written; `out.state[0]` says where
   * to resume and `out.state[1]` how many data records were counted.
   */
  scanElff(req: ElffScanRequest, tally: ElffTally, out: ElffOutput): number;
  compilePattern(spec: PatternSpec): CompiledPattern;
  /**
   * Scans whole lines written from an order string: strips the layout prefix, splits the
   * message at the literal separators, interns or parses each field. One record per non-blank
   * line (rows, other loggers' lines, malformed rows); stops when full or at `limit`.
   */
  scanPattern(pattern: CompiledPattern, block: ScanBlock, interner: Interner, out: PatternOutput): number;
  /**
   * Decodes the hex spans [starts[i], ends[i]) of `src` into `dst`, one after another, in one
   * call. results[4i..4i+3] = HexStatus, offset of the first bad character, output start,
   * output length. Returns the output bytes used; `dst` past them is unspecified (the native
   * kernel may have written part of a span it then found bad).
   */
  decodeHexSpans(src: Uint8Array, starts: Uint32Array, ends: Uint32Array, count: number, dst: Uint8Array, results: Int32Array): number;
}

/** Per-span outcome of decodeHexSpans; mirrored in native/hex_decode.h. */
export const HexStatus = { Ok: 0, OddLength: 1, NonHex: 2, NoRoom: 3 } as const;

export function createPatternOutput(capacity: number, slots: number, nums: number): PatternOutput {
  return {
    capacity,
    offsets: new Uint32Array(capacity),
    kinds: new Uint8Array(capacity),
    ids: new Uint32Array(capacity * Math.max(1, slots)),
    nums: new Float64Array(capacity * Math.max(1, nums)),
    state: new Uint32Array(2),
  };
}

export function createElffOutput(capacity: number, slots: number): ElffOutput {
  return {
    capacity,
    offsets: new Uint32Array(capacity),
    kinds: new Uint8Array(capacity),
    ids: new Uint32Array(capacity * Math.max(1, slots)),
    state: new Uint32Array(2),
  };
}
