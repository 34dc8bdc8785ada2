import protobuf from 'protobufjs';
import { LEN, VARINT, writeVarint } from './byte-writer.js';

/**
 * certcrunch.v1.StringCounter on the wire, written and read by hand. protobufjs encodes a packed
 * repeated field one element at a time, an object per element: for a counter of a million hosts
 * that was most of a range's encoding time and a few hundred MB of heap. The bytes are exactly
 * what protobufjs writes (fields in order, packed varints, empty fields left out), and any valid
 * encoding is read, packed or not.
 */
export interface StringCounterWire {
  keys?: Uint8Array;
  keyLengths?: ArrayLike<number>;
  counts?: ArrayLike<number>;
}

const KEYS = (1 << 3) | LEN;
const KEY_LENGTHS = 2;
const COUNTS = 3;

/** Installs the hand-written codec on the StringCounter type of a parsed schema. */
export function installStringCounterWire(type: protobuf.Type): void {
  type.setup(); // generate the default functions first, so they never replace these later
  type.encode = ((message: StringCounterWire, writer?: protobuf.Writer) => encode(message, writer ?? protobuf.Writer.create())) as typeof type.encode;
  type.decode = ((reader: protobuf.Reader | Uint8Array, length?: number) => decode(reader, length)) as unknown as typeof type.decode;
  type.fromObject = ((object: StringCounterWire) => object) as typeof type.fromObject;
  type.toObject = ((message: StringCounterWire) => message) as typeof type.toObject;
}

function encode(m: StringCounterWire, w: protobuf.Writer): protobuf.Writer {
  if (m.keys && m.keys.length > 0) w.uint32(KEYS).bytes(m.keys);
  if (m.keyLengths && m.keyLengths.length > 0) w.uint32((KEY_LENGTHS << 3) | LEN).bytes(packVarints(m.keyLengths));
  if (m.counts && m.counts.length > 0) w.uint32((COUNTS << 3) | LEN).bytes(packVarints(m.counts));
  return w;
}

/** Whole numbers from 0 to 2^53 as varints, back to back. */
function packVarints(values: ArrayLike<number>): Uint8Array {
  // allocUnsafe: small counters (most of an error host's) share Node's buffer pool.
  const out = Buffer.allocUnsafe(values.length * 8 + 16);
  let at = 0;
  for (let i = 0; i < values.length; i++) at = writeVarint(out, at, values[i]!);
  return out.subarray(0, at);
}

function decode(source: protobuf.Reader | Uint8Array, length?: number): StringCounterWire {
  const r = source instanceof protobuf.Reader ? source : protobuf.Reader.create(source);
  const end = length === undefined ? r.len : r.pos + length;
  const keyLengths: number[] = [];
  const counts: number[] = [];
  const m: StringCounterWire = { keyLengths, counts };
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (tag === KEYS) {
      m.keys = r.bytes();
    } else if ((field === KEY_LENGTHS || field === COUNTS) && (wire === VARINT || wire === LEN)) {
      const into = field === KEY_LENGTHS ? keyLengths : counts;
      if (wire === VARINT) {
        into.push(readVarint(r));
      } else {
        const stop = r.uint32() + r.pos;
        while (r.pos < stop) into.push(readVarint(r));
      }
    } else {
      r.skipType(wire);
    }
  }
  if (r.pos !== end) throw new RangeError('StringCounter runs past its length');
  return m;
}

/** A varint as a number (exact up to 2^53; key lengths and counts stay far below). */
export function readVarint(r: protobuf.Reader): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (r.pos >= r.len) throw new RangeError('varint runs past the end');
    const b = r.buf[r.pos++]!;
    value += (b & 0x7f) * scale;
    if (value > Number.MAX_SAFE_INTEGER) throw new RangeError('varint above 2^53');
    if (b < 0x80) return value;
    scale *= 128;
  }
  throw new RangeError('varint longer than 10 bytes');
}
