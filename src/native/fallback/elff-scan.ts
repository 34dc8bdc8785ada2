import { NO_ID, RecordKind, type ElffOutput, type ElffScanRequest } from '../types.js';
import type { MapInterner } from './interner.js';
import { parseElffDate, parseElffTime } from '../../formats/elff/time.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const HASH = 0x23;

/**
 * Reference implementation of the ELFF block scanner (see Kernel.scanElff). The C++ kernel
 * in native/elff_scan.cc follows the same steps; tests compare the two byte for byte.
 */
export function scanElffFallback(req: ElffScanRequest, interner: MapInterner, out: ElffOutput): number {
  const { buf, to, limit, atEof, fieldCount } = req;
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = req.from;
  let n = 0;
  while (pos < limit && pos < to && n < out.capacity) {
    let nl = text.indexOf(LF, pos);
    if (nl < 0 || nl >= to) {
      if (!atEof) break;
      nl = to;
    }
    const lineStart = pos;
    let end = nl;
    if (end > lineStart && buf[end - 1] === CR) end--;
    pos = nl < to ? nl + 1 : to;

    if (isBlank(buf, lineStart, end)) continue;
    out.offsets[n] = lineStart;
    if (buf[lineStart] === HASH) {
      out.kinds[n++] = RecordKind.Directive;
      break;
    }
    if (fieldCount < 0) {
      out.kinds[n++] = RecordKind.NoFields;
      continue;
    }
    out.kinds[n] = tokenize(text, lineStart, end, req, interner, out.ids, n * req.slots);
    n++;
  }
  out.state[0] = pos;
  return n;
}

function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== SPACE && c !== TAB) return false;
  }
  return true;
}

function tokenize(
  text: Buffer, start: number, end: number, req: ElffScanRequest, interner: MapInterner, ids: Uint32Array, base: number,
): RecordKind {
  const { fieldCount, colSlot, slots, dateSlot, timeSlot } = req;
  for (let s = 0; s < slots; s++) ids[base + s] = NO_ID;
  let field = 0;
  let i = start;
  for (;;) {
    while (i < end && text[i] === SPACE) i++;
    if (i >= end) break;
    let valueStart: number;
    let valueEnd: number;
    if (text[i] === QUOTE) {
      // A quoted value ends at the first '"' followed by a space or the end of the line.
      valueStart = i + 1;
      let q = valueStart;
      for (;;) {
        q = text.indexOf(QUOTE, q);
        if (q < 0 || q >= end) return RecordKind.UnterminatedQuote;
        if (q + 1 === end || text[q + 1] === SPACE) break;
        q++;
      }
      valueEnd = q;
      i = q + 1;
    } else {
      valueStart = i;
      while (i < end && text[i] !== SPACE) i++;
      valueEnd = i;
    }
    if (field < fieldCount) {
      const slot = colSlot[field]!;
      if (slot >= 0 && slot < slots) {
        const value = text.toString('latin1', valueStart, valueEnd);
        ids[base + slot] =
          slot === dateSlot ? parseElffDate(value) : slot === timeSlot ? parseElffTime(value) : interner.intern(slot, value);
      }
    }
    field++;
  }
  return field === fieldCount ? RecordKind.Data : RecordKind.FieldCount;
}
