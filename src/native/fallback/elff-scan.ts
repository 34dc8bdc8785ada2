import { NO_ID, RecordKind, type ElffOutput, type ElffScanRequest } from '../types.js';
import type { MapInterner } from './interner.js';
import type { ElffSlots, MapElffTally } from './elff-tally.js';
import { LineCursor } from './lines.js';
import { parseElffDate, parseElffTime } from '../../formats/elff/time.js';

const SPACE = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;

/**
 * Reference implementation of the ELFF block scanner (see Kernel.scanElff). The C++ kernel
 * in native/elff_scan.cc follows the same steps; tests compare the two byte for byte.
 */
export function scanElffFallback(req: ElffScanRequest, tally: MapElffTally, out: ElffOutput): number {
  const { buf, fieldCount } = req;
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const lines = new LineCursor(text, req.from, req.to, req.limit, req.atEof);
  const slots: ElffSlots = {
    slots: req.slots,
    dateSlot: slotOrNone(req.dateSlot, req.slots),
    timeSlot: slotOrNone(req.timeSlot, req.slots),
    errorSlot: slotOrNone(req.errorSlot, req.slots),
  };
  // A parsed date or time is no interned id, so it cannot tell errors.
  if (slots.errorSlot === slots.dateSlot || slots.errorSlot === slots.timeSlot) slots.errorSlot = -1;
  let n = 0;
  let counted = 0;
  const prefixTokens = req.prefixTokens ?? 0;
  while (n < out.capacity && lines.next()) {
    out.offsets[n] = lines.start;
    const start = skipPrefix(text, lines.start, lines.end, prefixTokens);
    // A syslog message with nothing but blanks after its header is a blank line.
    if (start !== lines.start && isBlank(text, start, lines.end)) continue;
    if (start < lines.end && buf[start] === HASH) {
      out.kinds[n++] = RecordKind.Directive;
      break;
    }
    if (fieldCount < 0) {
      out.kinds[n++] = RecordKind.NoFields;
      continue;
    }
    // Record n's ids are written in place; a clean record is counted and its place reused.
    const kind = tokenize(text, start, lines.end, req, tally, out.ids, n * req.slots);
    out.kinds[n] = kind;
    if (kind !== RecordKind.Data) {
      n++;
      continue;
    }
    counted++;
    if (tally.add(slots, out.ids, n * req.slots) || req.emitAll) n++;
  }
  out.state[0] = lines.pos;
  out.state[1] = counted;
  return n;
}

/** Where a line's ELFF text starts past `tokens` leading runs of non-spaces and the spaces after each; `end` when it holds fewer. */
function skipPrefix(text: Buffer, start: number, end: number, tokens: number): number {
  // As the addon reads it: a count past 64 is none.
  if (tokens <= 0 || tokens > 64) return start;
  let i = start;
  for (let t = 0; t < tokens; t++) {
    while (i < end && text[i] === SPACE) i++;
    if (i >= end) return end;
    while (i < end && text[i] !== SPACE) i++;
  }
  while (i < end && text[i] === SPACE) i++;
  return i;
}

function isBlank(text: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text[i] !== SPACE && text[i] !== 0x09) return false;
  return true;
}

function slotOrNone(slot: number, slots: number): number {
  return slot >= 0 && slot < slots ? slot : -1;
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
