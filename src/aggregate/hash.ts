/** 64-bit hash of a latin1 string as two 32-bit lanes (murmur3 with two seeds); stable across runs and machines. */
export function hash64(value: string): [number, number] {
  return [murmur3(value, 0x9747b28c), murmur3(value, 0x5bd1e995)];
}

function murmur3(value: string, seed: number): number {
  let h = seed >>> 0;
  const len = value.length;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    let k =
      (value.charCodeAt(i) & 0xff) |
      ((value.charCodeAt(i + 1) & 0xff) << 8) |
      ((value.charCodeAt(i + 2) & 0xff) << 16) |
      ((value.charCodeAt(i + 3) & 0xff) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = len & 3;
  if (rest > 0) {
    let k = 0;
    for (let j = rest - 1; j >= 0; j--) k = (k << 8) | (value.charCodeAt(i + j) & 0xff);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
