/**
 * The compiled form of an order string plus its log4j layout, as both pattern kernels run it
 * (native/pattern_scan.cc and src/native/fallback/pattern-scan.ts).
 */
export const PatternKind = {
  Row: 0,
  OtherLogger: 1,
  Garbage: 2,
  Truncated: 3,
  BadHex: 4,
  BadNumber: 5,
} as const;
export type PatternKind = (typeof PatternKind)[keyof typeof PatternKind];

export const PrefixOp = { Literal: 1, Skip: 2, SkipUntil: 3, CategoryUntil: 4 } as const;
export type PrefixOp = (typeof PrefixOp)[keyof typeof PrefixOp];

export const FieldKind = { Ignore: 0, Intern: 1, Hex: 2, Number: 3, InternMasked: 4 } as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

export interface PrefixStep {
  op: PrefixOp;
  /** Bytes to skip (Skip). */
  count: number;
  /** Literal text (latin1) for Literal, SkipUntil and CategoryUntil. */
  text: string;
}

export interface PatternSpec {
  /** fields.length + 1 separators (latin1); literals[0] precedes the first field. */
  literals: string[];
  /** Per field: how to read it; slot = intern slot (Intern, Hex; -1 = validate only) or number index (Number). */
  fields: { kind: FieldKind; slot: number }[];
  /** The layout prefix; empty for a bare layout. */
  prefix: PrefixStep[];
  /** Logger categories whose lines are records (as the layout prints them). */
  categories: string[];
  /** Text the layout writes between the message and the line end (e.g. " " for "%m %n"). */
  suffix: string;
  slots: number;
  nums: number;
  /** Ascending character positions (< 64) that InternMasked values read as '0'. */
  mask: number[];
}

/** Serialises a spec for the native Pattern constructor (layout documented in native/pattern_scan.cc). */
export function encodePatternSpec(spec: PatternSpec): Uint8Array {
  const parts: Buffer[] = [Buffer.from('CCP1', 'latin1')];
  const u32 = (n: number): void => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    parts.push(b);
  };
  const bytes = (s: string): void => {
    u32(Buffer.byteLength(s, 'latin1'));
    parts.push(Buffer.from(s, 'latin1'));
  };
  u32(spec.fields.length);
  u32(spec.slots);
  u32(spec.nums);
  u32(spec.prefix.length);
  u32(spec.categories.length);
  spec.literals.forEach(bytes);
  for (const f of spec.fields) {
    const b = Buffer.alloc(5);
    b.writeUInt8(f.kind, 0);
    b.writeInt32LE(f.slot, 1);
    parts.push(b);
  }
  for (const step of spec.prefix) {
    parts.push(Buffer.from([step.op]));
    u32(step.count);
    bytes(step.text);
  }
  spec.categories.forEach(bytes);
  bytes(spec.suffix);
  u32(spec.mask.length);
  spec.mask.forEach(u32);
  return new Uint8Array(Buffer.concat(parts));
}
