import { FieldKind, PatternKind, type PatternSpec } from '../../formats/pattern-spec.js';
import { PrefixMatcher } from '../../formats/log4j/prefix-match.js';
import { NO_ID, type PatternOutput, type ScanBlock } from '../types.js';
import type { MapInterner } from './interner.js';
import { LineCursor } from './lines.js';

/** Reference implementation of the pattern scanner (see native/pattern_scan.cc, step for step). */
export function scanPatternFallback(spec: PatternSpec, req: ScanBlock, interner: MapInterner, out: PatternOutput): number {
  const { buf } = req;
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const lines = new LineCursor(text, req.from, req.to, req.limit, req.atEof);
  const prefixes = new PrefixMatcher(spec.prefix, spec.categories);
  let n = 0;
  while (n < out.capacity && lines.next()) {
    out.offsets[n] = lines.start;
    const line = text.toString('latin1', lines.start, lines.end);
    const prefix = prefixes.bare ? 0 : prefixes.match(text, lines.start, lines.end);
    if (prefix === -1) {
      out.kinds[n++] = PatternKind.OtherLogger;
      continue;
    }
    let message = line.slice(prefix);
    if (spec.suffix && message.length >= spec.suffix.length && message.endsWith(spec.suffix)) {
      message = message.slice(0, message.length - spec.suffix.length);
    }
    let kind = matchOrder(spec, message, interner, out.ids, n * spec.slots, out.nums, n * spec.nums);
    // In a prefixed layout, an unprefixed line that is nothing like a row continues another
    // logger's multi-line event (a stack trace, say): not a record.
    if (kind === PatternKind.Garbage && prefix === 0 && spec.prefix.length > 0) kind = PatternKind.OtherLogger;
    out.kinds[n++] = kind;
  }
  out.state[0] = lines.pos;
  return n;
}

/** The value with the mask positions read as '0' (as native/pattern_scan.cc does). */
function masked(value: string, mask: readonly number[]): string {
  const last = mask[mask.length - 1];
  if (last === undefined || last >= value.length || value.length > 64) return value;
  // Only digits are masked, so a value that is no time stays as unreadable as it was.
  if (!mask.every((m) => value.charCodeAt(m) >= 48 && value.charCodeAt(m) <= 57)) return value;
  const chars = value.split('');
  for (const m of mask) chars[m] = '0';
  return chars.join('');
}

function isHex(value: string): boolean {
  return value === '0' || (value.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(value));
}

function parseInteger(value: string): number {
  return /^[-+]?\d{1,15}$/.test(value) ? Number(value) : NaN;
}

function matchOrder(
  spec: PatternSpec, message: string, interner: MapInterner, ids: Uint32Array, idBase: number, nums: Float64Array, numBase: number,
): PatternKind {
  for (let s = 0; s < spec.slots; s++) ids[idBase + s] = NO_ID;
  for (let s = 0; s < spec.nums; s++) nums[numBase + s] = NaN;
  const end = message.length;
  if (!message.startsWith(spec.literals[0]!)) return PatternKind.Garbage;
  let at = spec.literals[0]!.length;
  const n = spec.fields.length;
  for (let f = 0; f < n; f++) {
    const next = spec.literals[f + 1]!;
    let valueEnd: number;
    if (f + 1 === n) {
      // The last separator closes the message: the last field runs up to it.
      if (end - at < next.length || !message.endsWith(next)) return f === 0 ? PatternKind.Garbage : PatternKind.Truncated;
      valueEnd = end - next.length;
    } else {
      valueEnd = message.indexOf(next, at);
      if (valueEnd < 0) return f === 0 ? PatternKind.Garbage : PatternKind.Truncated;
    }
    const value = message.slice(at, valueEnd);
    const field = spec.fields[f]!;
    if (field.kind === FieldKind.Hex) {
      if (!isHex(value)) return PatternKind.BadHex;
      if (field.slot >= 0) ids[idBase + field.slot] = interner.intern(field.slot, value);
    } else if (field.kind === FieldKind.Intern) {
      ids[idBase + field.slot] = interner.intern(field.slot, value);
    } else if (field.kind === FieldKind.InternMasked) {
      ids[idBase + field.slot] = interner.intern(field.slot, masked(value, spec.mask));
    } else if (field.kind === FieldKind.Number) {
      const v = parseInteger(value);
      if (Number.isNaN(v)) return PatternKind.BadNumber;
      nums[numBase + field.slot] = v;
    }
    at = valueEnd + next.length;
  }
  if (n === 0 && at !== end) return PatternKind.Garbage;
  return PatternKind.Row;
}
