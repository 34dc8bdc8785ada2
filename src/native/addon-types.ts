import type { ErrorHostTallies } from './types.js';

/** Hand-written declaration of the C++ addon's exports (test/native/addon-exports.test.ts checks it). */
export interface NativeInterner {
  size(slot: number): number;
  values(slot: number, from: number, to?: number): string[];
}

export interface NativeElffTally extends NativeInterner {
  counts(slot: number): Float64Array;
  errorCounts(slot: number): Float64Array;
  sortedCounts(slot: number, errorsOnly: boolean, fold: boolean): { keys: Uint8Array; lengths: Uint32Array; counts: Float64Array };
  timeline(): Float64Array;
  totals(): Float64Array;
  errorHosts(): ErrorHostTallies;
  release(): void;
}

export interface NativePattern {
  readonly __pattern: never;
}

export interface NativeAddon {
  decodeHexSpans(src: Uint8Array, starts: Uint32Array, ends: Uint32Array, count: number, dst: Uint8Array, results: Int32Array): number;
  Pattern: new (blob: Uint8Array) => NativePattern;
  scanPattern(
    pattern: NativePattern, buf: Uint8Array, from: number, to: number, limit: number, atEof: boolean,
    interner: NativeInterner, offsets: Uint32Array, kinds: Uint8Array, ids: Uint32Array, nums: Float64Array, state: Uint32Array,
  ): number;
  readonly abiVersion: number;
  Interner: new (slots: number) => NativeInterner;
  ElffTally: new (slots: number, hostSlot?: number, pairSlots?: Int32Array) => NativeElffTally;
  scanElff(
    buf: Uint8Array, from: number, to: number, limit: number, atEof: boolean, fieldCount: number,
    colSlot: Int32Array, slots: number, tally: NativeElffTally,
    offsets: Uint32Array, kinds: Uint8Array, ids: Uint32Array, state: Uint32Array,
    dateSlot: number, timeSlot: number, errorSlot: number, emitAll: boolean, prefixTokens: number,
  ): number;
}

/** Export names and function arities the TypeScript side relies on. */
export const ADDON_EXPORTS = { scanElff: 18, scanPattern: 12, decodeHexSpans: 6, Interner: 1, ElffTally: 1, Pattern: 1 } as const;
export const ADDON_ABI_VERSION = 8;
