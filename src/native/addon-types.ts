/** Hand-written declaration of the C++ addon's exports (test/native/addon-exports.test.ts checks it). */
export interface NativeInterner {
  size(slot: number): number;
  values(slot: number, from: number): string[];
}

export interface NativeAddon {
  readonly abiVersion: number;
  Interner: new (slots: number) => NativeInterner;
  scanElff(
    buf: Uint8Array, from: number, to: number, limit: number, atEof: boolean, fieldCount: number,
    colSlot: Int32Array, slots: number, interner: NativeInterner,
    offsets: Uint32Array, kinds: Uint8Array, ids: Uint32Array, state: Uint32Array,
    dateSlot: number, timeSlot: number,
  ): number;
}

/** Export names and function arities the TypeScript side relies on. */
export const ADDON_EXPORTS = { scanElff: 15, Interner: 1 } as const;
export const ADDON_ABI_VERSION = 2;
