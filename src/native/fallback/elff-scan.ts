import { NO_ID, RecordKind, type ElffOutput, type ElffScanRequest } from '../types.js';
import type { MapInterner } from './interner.js';
import { LineCursor } from './lines.js';
import { parseElffDate, parseElffTime } from '../../formats/elff/time.js';

const SPACE = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;

/**
 * Reference implementation of the ELFF block scanner (see Kernel.scanElff). The C++ kernel
 * in native/elff_scan.cc follows the same steps; tests compare the two byte for byte.
 */
export function scanElffFallback(req: ElffScanRequest, interner: MapInterner, out: ElffOutput): number {
  const { buf, fieldCount } = req;
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const lines = new LineCursor(text, req.from, req.to, req.limit, req.atEof);
  let n = 0;
  while (n < out.capacity && lines.next()) {
    out.offsets[n] = lines.start;
    if (buf[lines.start] === HASH) {
      out.kinds[n++] = RecordKind.Directive;
      break;
    }
    if (fieldCount < 0) {
      out.kinds[n++] = RecordKind.NoFields;
      continue;
    }
    out.kinds[n] = tokenize(text, lines.start, lines.end, req, interner, out.ids, n * req.slots);
    n++;
  }
  out.state[0] = lines.pos;
  return n;
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
