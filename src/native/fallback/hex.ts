import { HexStatus } from '../types.js';

const VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  VALUE[97 + i] = 10 + i;
  VALUE[65 + i] = 10 + i;
}

/** Reference implementation of native/hex_decode.cc: same checks, same order, same results. */
export function decodeHexSpansFallback(
  src: Uint8Array, starts: Uint32Array, ends: Uint32Array, count: number, dst: Uint8Array, results: Int32Array,
): number {
  if (count < 0 || count > starts.length || count > ends.length || count * 4 > results.length) {
    throw new RangeError('Span count does not fit the arrays');
  }
  let used = 0;
  for (let i = 0; i < count; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    if (start > end || end > src.length) throw new RangeError('Span outside the source buffer');
    const len = end - start;
    const r = i * 4;
    results[r] = HexStatus.Ok;
    results[r + 1] = 0;
    results[r + 2] = used;
    results[r + 3] = 0;
    let bad = len;
    for (let j = 0; j < len; j++) {
      if (VALUE[src[start + j]!]! < 0) {
        bad = j;
        break;
      }
    }
    if (bad < len) {
      results[r] = HexStatus.NonHex;
      results[r + 1] = bad;
      continue;
    }
    if (len % 2 !== 0) {
      results[r] = HexStatus.OddLength;
      results[r + 1] = len;
      continue;
    }
    if (dst.length - used < len / 2) {
      results[r] = HexStatus.NoRoom;
      continue;
    }
    for (let j = 0; j < len; j += 2) dst[used++] = (VALUE[src[start + j]!]! << 4) | VALUE[src[start + j + 1]!]!;
    results[r + 3] = len / 2;
  }
  return used;
}
