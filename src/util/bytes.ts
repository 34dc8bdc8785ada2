/**
 * Byte searches over log blocks. Most of the separators a record is split at are a few bytes
 * away, where a call into Buffer.indexOf costs more than looking byte by byte: the first stretch
 * is scanned here, the rest by Buffer.indexOf (memchr and friends).
 */

/** Bytes looked at one by one before a search hands over to Buffer.indexOf. */
const SHORT_STRETCH = 64;

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** buf[at, end) starts with `text`. */
export function bytesAt(buf: Uint8Array, at: number, end: number, text: Uint8Array): boolean {
  if (at < 0 || end - at < text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[at + i] !== text[i]) return false;
  return true;
}

/** Where `byte` first occurs in buf[from, end), or -1. */
export function indexOfByte(buf: Uint8Array, byte: number, from: number, end: number): number {
  const stop = Math.min(end, from + SHORT_STRETCH);
  for (let i = from; i < stop; i++) if (buf[i] === byte) return i;
  if (stop >= end) return -1;
  const hit = asBuffer(buf).indexOf(byte, stop);
  return hit < 0 || hit >= end ? -1 : hit;
}

/** Where `needle` first lies wholly inside buf[from, end), or -1; an empty needle is found at `from`. */
export function indexOfBytes(buf: Uint8Array, needle: Uint8Array, from: number, end: number): number {
  const n = needle.length;
  if (n === 0) return from <= end ? from : -1;
  const last = end - n; // the last place the needle can start
  const first = needle[0];
  const stop = Math.min(last + 1, from + SHORT_STRETCH);
  for (let i = from; i < stop; i++) if (buf[i] === first && bytesAt(buf, i, end, needle)) return i;
  if (stop > last) return -1;
  const hit = asBuffer(buf).indexOf(needle, stop);
  return hit < 0 || hit > last ? -1 : hit;
}
