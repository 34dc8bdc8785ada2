import { describe, expect, it } from 'vitest';
import { fallbackKernel } from '../../src/native/fallback/index.js';
import { loadAddon, nativeKernel } from '../../src/native/load.js';
import { HexStatus, type Kernel } from '../../src/native/types.js';

const native = nativeKernel(loadAddon());

function decode(kernel: Kernel, src: Buffer, spans: [number, number][], room = 1 << 16) {
  const starts = Uint32Array.from(spans.map((s) => s[0]));
  const ends = Uint32Array.from(spans.map((s) => s[1]));
  const dst = new Uint8Array(room);
  const results = new Int32Array(spans.length * 4);
  const used = kernel.decodeHexSpans(src, starts, ends, spans.length, dst, results);
  return { used, results: [...results], bytes: Buffer.from(dst.subarray(0, used)).toString('hex') };
}

describe('native and TypeScript hex decoding agree', () => {
  it('decode valid spans of both cases and report odd length and the first bad character', () => {
    const src = Buffer.from('30030a0106|ABCDEF|abc|30x1|zz|' + '00ff'.repeat(1000), 'latin1');
    const spans: [number, number][] = [[0, 10], [11, 17], [18, 21], [22, 26], [27, 29], [30, src.length], [5, 5]];
    const a = decode(native, src, spans);
    expect(a).toEqual(decode(fallbackKernel, src, spans));
    const status = (i: number) => a.results.slice(i * 4, i * 4 + 2);
    expect(status(0)).toEqual([HexStatus.Ok, 0]);
    expect(status(1)).toEqual([HexStatus.Ok, 0]);
    expect(status(2)).toEqual([HexStatus.OddLength, 3]);
    expect(status(3)).toEqual([HexStatus.NonHex, 2]);
    expect(status(4)).toEqual([HexStatus.NonHex, 0]);
    expect(a.bytes.startsWith('30030a0106abcdef00ff')).toBe(true);
    expect(a.results.slice(24, 28)).toEqual([HexStatus.Ok, 0, a.used, 0]); // empty span
  });

  it('agree on random bytes and when the output is too small', () => {
    let x = 99;
    const src = Buffer.alloc(5000);
    for (let i = 0; i < src.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      src[i] = '0123456789abcdefABCDEF\n"g'.charCodeAt(x % 26);
    }
    const spans: [number, number][] = [];
    for (let s = 0; s + 40 < src.length; s += 37) spans.push([s, s + (s % 40)]);
    expect(decode(native, src, spans)).toEqual(decode(fallbackKernel, src, spans));
    expect(decode(native, src, spans, 50)).toEqual(decode(fallbackKernel, src, spans, 50));
  });

  it('agree on every byte value at every place in a 16-character lane, in spans of every length', () => {
    const valid = '0123456789abcdefABCDEF';
    const spans: [number, number][] = [];
    const parts: string[] = [];
    let at = 0;
    for (let b = 0; b < 256; b++) {
      for (let p = 0; p < 40; p += 3) {
        const chars = Array.from({ length: 40 }, (_, i) => valid[(b + i) % valid.length]!);
        chars[p] = String.fromCharCode(b);
        const text = chars.join('').slice(0, 34 + (p % 7)); // even and odd lengths
        parts.push(text);
        spans.push([at, at + text.length]);
        at += text.length;
      }
    }
    const src = Buffer.from(parts.join(''), 'latin1');
    const a = decode(native, src, spans, 1 << 20);
    expect(a).toEqual(decode(fallbackKernel, src, spans, 1 << 20));
    expect(a.results.filter((_, i) => i % 4 === 0 && a.results[i] === HexStatus.NonHex).length).toBeGreaterThan(2500);
  });

  it('decode the spans they were given when the span arrays share memory with the results', () => {
    // Decoding span 0 writes results[0..3], which here are also ends[0..1]: span 1 must still be
    // the span checked before decoding began (and never a span reaching past the source).
    const src = Buffer.alloc(4096, 'a');
    const mem = new ArrayBuffer(64);
    const results = new Int32Array(mem, 0, 8);
    const ends = new Uint32Array(mem, 0, 2);
    ends[0] = 4;
    ends[1] = 1;
    const used = native.decodeHexSpans(src, Uint32Array.from([0, 1]), ends, 2, new Uint8Array(16), results);
    expect(used).toBe(2);
    expect([...results.subarray(4, 8)]).toEqual([HexStatus.Ok, 0, 2, 0]);
  });

  it('refuse counts that are not whole numbers rather than reading them as 0', () => {
    const src = Buffer.from('00');
    for (const count of [Number.NaN, Number.POSITIVE_INFINITY, 0.5]) {
      expect(() => native.decodeHexSpans(src, new Uint32Array(1), new Uint32Array(1), count, new Uint8Array(1), new Int32Array(4))).toThrow(RangeError);
    }
  });

  it('reject spans outside the source', () => {
    const src = Buffer.from('00');
    for (const kernel of [native, fallbackKernel]) {
      expect(() => decode(kernel, src, [[0, 4]])).toThrow(RangeError);
      expect(() => decode(kernel, src, [[2, 1]])).toThrow(RangeError);
    }
  });
});
