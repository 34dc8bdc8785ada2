import { describe, expect, it } from 'vitest';
import { bytesAt, indexOfByte, indexOfBytes } from '../../src/util/bytes.js';

/** Reference searches: the obvious loops. */
function refByte(buf: Uint8Array, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === byte) return i;
  return -1;
}
function refBytes(buf: Uint8Array, needle: Uint8Array, from: number, end: number): number {
  for (let i = from; i + needle.length <= end; i++) if (bytesAt(buf, i, end, needle)) return i;
  return needle.length === 0 && from <= end ? from : -1;
}

describe('byte searches', () => {
  // Few distinct bytes, so needles recur and half-matches are common; lengths cross the
  // stretch scanned byte by byte (64) and the native search after it.
  const random = (seed: number, n: number): Uint8Array => {
    let x = seed;
    return Uint8Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) % 3 + 0x61);
  };

  it('find what the obvious loop finds, within [from, end) only, on Buffers and plain views', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const bytes = random(seed, 1 + (seed * 7) % 300);
      const views = [Buffer.from(bytes), new Uint8Array(Buffer.concat([Buffer.from('zz'), bytes]).buffer).subarray(2, 2 + bytes.length)];
      const from = seed % Math.max(1, bytes.length);
      const end = Math.min(bytes.length, from + (seed * 13) % 200);
      const needle = random(seed + 1000, seed % 5);
      for (const buf of views) {
        expect(indexOfByte(buf, 0x63, from, end)).toBe(refByte(buf, 0x63, from, end));
        expect(indexOfBytes(buf, needle, from, end)).toBe(refBytes(buf, needle, from, end));
      }
    }
  });

  it('do not find a match that runs past `end`, nor one before `from`', () => {
    const buf = Buffer.from(`${'x'.repeat(100)}ab${'x'.repeat(100)}`);
    expect(indexOfBytes(buf, Buffer.from('ab'), 0, 101)).toBe(-1);
    expect(indexOfBytes(buf, Buffer.from('ab'), 0, 102)).toBe(100);
    expect(indexOfBytes(buf, Buffer.from('ab'), 101, buf.length)).toBe(-1);
    expect(indexOfByte(buf, 0x62, 0, 101)).toBe(-1);
    expect(indexOfByte(buf, 0x62, 0, 102)).toBe(101);
  });
});
