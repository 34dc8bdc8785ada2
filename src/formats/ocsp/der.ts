/**
 * A small BER/DER reader for hostile input (hex blobs from OCSP audit logs).
 *
 * It is as lenient as OpenSSL and BouncyCastle where real responders differ from
 * strict DER (indefinite lengths, non-minimal lengths), and bounded everywhere
 * else: every length is checked against its parent, indefinite-length scanning
 * has a depth and a step limit, and every failure is a DerError.
 */

export type DerErrorReason =
  | 'truncated'
  | 'bad-length'
  | 'bad-tag'
  | 'bad-value'
  | 'unexpected-tag'
  | 'too-deep'
  | 'too-complex';

export class DerError extends Error {
  readonly reason: DerErrorReason;
  readonly offset: number;

  constructor(reason: DerErrorReason, offset: number, detail?: string) {
    super(`DER ${reason} at byte ${offset}${detail === undefined ? '' : `: ${detail}`}`);
    this.name = 'DerError';
    this.reason = reason;
    this.offset = offset;
  }
}

export type TagClass = 'universal' | 'application' | 'context' | 'private';

export interface Tlv {
  /** Tag number (high tag numbers included), within its class. */
  tag: number;
  constructed: boolean;
  class: TagClass;
  /** Offset of the identifier byte. */
  start: number;
  headerLength: number;
  /** Content length; for indefinite lengths, up to the end-of-contents marker. */
  length: number;
  contentStart: number;
  contentEnd: number;
  /** Offset just past the value (past the 00 00 marker for indefinite lengths). */
  end: number;
  indefinite: boolean;
}

/** Universal tag numbers used by the OCSP decoders. */
export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  SEQUENCE: 16,
  SET: 17,
  GENERALIZED_TIME: 24,
} as const;

const CLASSES: readonly TagClass[] = ['universal', 'application', 'context', 'private'];
const MAX_INDEFINITE_DEPTH = 32;
const MAX_SCAN_STEPS = 100_000;

/**
 * A TLV as read: the identifier byte and four offsets, the rest derived. A response walk reads
 * dozens of these per record, so each is kept small.
 */
class Node implements Tlv {
  constructor(
    private readonly identifier: number,
    readonly tag: number,
    readonly start: number,
    readonly contentStart: number,
    readonly contentEnd: number,
    readonly end: number,
  ) {}

  get constructed(): boolean {
    return (this.identifier & 0x20) !== 0;
  }

  get class(): TagClass {
    return CLASSES[this.identifier >> 6]!;
  }

  get headerLength(): number {
    return this.contentStart - this.start;
  }

  get length(): number {
    return this.contentEnd - this.contentStart;
  }

  get indefinite(): boolean {
    return this.end !== this.contentEnd;
  }
}

/** Values read within one readTlv call, indefinite-length contents included. */
let steps = 0;

/** Reads the TLV at `offset`; it must end at or before `end`. */
export function readTlv(bytes: Uint8Array, offset: number, end: number): Tlv {
  steps = 0;
  return readAt(bytes, offset, Math.min(end, bytes.length), 0);
}

function readAt(bytes: Uint8Array, offset: number, end: number, depth: number): Tlv {
  if (++steps > MAX_SCAN_STEPS) throw new DerError('too-complex', offset);
  let pos = offset;
  const first = byteAt(bytes, pos++, end);
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) [tag, pos] = readHighTag(bytes, pos, end);
  const lengthByte = byteAt(bytes, pos++, end);
  if (lengthByte === 0x80) {
    if (!constructed) throw new DerError('bad-length', offset, 'indefinite length on a primitive value');
    if (depth >= MAX_INDEFINITE_DEPTH) throw new DerError('too-deep', offset);
    const contentEnd = scanToEndOfContents(bytes, pos, end, depth + 1);
    return new Node(first, tag, offset, pos, contentEnd, contentEnd + 2);
  }
  let length = lengthByte;
  if (lengthByte > 0x80) {
    if (lengthByte === 0xff) throw new DerError('bad-length', offset, 'reserved length byte');
    let count = lengthByte & 0x7f;
    // BER allows leading zero octets; past them, four bytes cover any blob we can hold.
    while (count > 4 && byteAt(bytes, pos, end) === 0) pos++, count--;
    if (count > 4) throw new DerError('bad-length', offset, `${count}-byte length`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + byteAt(bytes, pos++, end);
  }
  if (length > end - pos) throw new DerError('truncated', offset, `length ${length} runs past the end`);
  return new Node(first, tag, offset, pos, pos + length, pos + length);
}

function byteAt(bytes: Uint8Array, pos: number, end: number): number {
  const value = pos < end ? bytes[pos] : undefined;
  if (value === undefined) throw new DerError('truncated', pos);
  return value;
}

/** Base-128 tag number; capped at 28 bits so it stays a small integer. */
function readHighTag(bytes: Uint8Array, pos: number, end: number): [number, number] {
  let tag = 0;
  for (let i = 0; i < 4; i++) {
    const b = byteAt(bytes, pos++, end);
    tag = tag * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return [tag, pos];
  }
  throw new DerError('bad-tag', pos, 'tag number too large');
}

/** Walks the children of an indefinite-length value; returns the offset of its 00 00. */
function scanToEndOfContents(bytes: Uint8Array, pos: number, end: number, depth: number): number {
  for (;;) {
    if (byteAt(bytes, pos, end) === 0) {
      if (byteAt(bytes, pos + 1, end) !== 0) throw new DerError('bad-length', pos, 'malformed end-of-contents');
      return pos;
    }
    pos = readAt(bytes, pos, end, depth).end;
  }
}

/** All children of a constructed value, in order. */
export function readChildren(bytes: Uint8Array, parent: Tlv): Tlv[] {
  if (!parent.constructed) throw new DerError('unexpected-tag', parent.start, 'expected a constructed value');
  const children: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.contentEnd; ) {
    const child = readTlv(bytes, pos, parent.contentEnd);
    children.push(child);
    pos = child.end;
  }
  return children;
}

/** The value inside an EXPLICIT context tag. */
export function readExplicit(bytes: Uint8Array, wrapper: Tlv): Tlv {
  const [inner] = readChildren(bytes, wrapper);
  if (inner === undefined) throw new DerError('truncated', wrapper.start, 'empty explicit tag');
  return inner;
}

/** Throws unless `node` has the given class, tag number and (for universal tags) form. */
export function expectTag(node: Tlv | undefined, tag: number, tagClass: TagClass = 'universal', at = 0): Tlv {
  if (node === undefined) throw new DerError('truncated', at, `missing element with tag ${tag}`);
  if (node.class !== tagClass || node.tag !== tag) {
    throw new DerError('unexpected-tag', node.start, `expected ${tagClass} ${tag}, got ${node.class} ${node.tag}`);
  }
  return node;
}

function expectPrimitive(node: Tlv, tag: number): void {
  expectTag(node, tag);
  if (node.constructed) throw new DerError('unexpected-tag', node.start, 'expected a primitive value');
}

// Integers are read from the node's content in place: a view per value costs more than the
// arithmetic on it.

function signedValue(bytes: Uint8Array, node: Tlv): bigint {
  const { contentStart: start, contentEnd: end } = node;
  if (end === start) throw new DerError('bad-value', node.start, 'empty integer');
  if (end - start <= 6) return BigInt(smallSigned(bytes, start, end));
  // Hex keeps this linear; shifting a bigint per byte is quadratic on long input.
  const value = BigInt(`0x${hexOf(bytes, start, end)}`);
  return bytes[start]! & 0x80 ? value - (1n << BigInt((end - start) * 8)) : value;
}

/** Two's-complement value of bytes[start, end), 1 to 6 bytes: exact as a number. */
function smallSigned(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 256 + bytes[i]!;
  return (bytes[start]! & 0x80) !== 0 ? value - 2 ** (8 * (end - start)) : value;
}

/** A signed value that must fit a number exactly (versions, statuses, reasons). */
function signedNumber(bytes: Uint8Array, node: Tlv): number {
  const length = node.contentEnd - node.contentStart;
  if (length >= 1 && length <= 6) return smallSigned(bytes, node.contentStart, node.contentEnd);
  const value = signedValue(bytes, node);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DerError('bad-value', node.start, 'integer too large');
  }
  return Number(value);
}

/** INTEGER as a signed bigint. */
export function readInteger(bytes: Uint8Array, node: Tlv): bigint {
  expectPrimitive(node, TAG.INTEGER);
  return signedValue(bytes, node);
}

/** A small INTEGER (versions) as a number. */
export function readSmallInteger(bytes: Uint8Array, node: Tlv): number {
  expectPrimitive(node, TAG.INTEGER);
  return signedNumber(bytes, node);
}

/** ENUMERATED (response status, CRL reason) as a number. */
export function readEnumerated(bytes: Uint8Array, node: Tlv): number {
  expectPrimitive(node, TAG.ENUMERATED);
  return signedNumber(bytes, node);
}

/**
 * INTEGER as lowercase minimal two's-complement hex, like Java's
 * BigInteger.toByteArray(): 0x8a.. gets a leading 00, 1 is "01". Redundant
 * sign bytes from a non-minimal encoding are dropped, as Java would.
 */
export function readIntegerHex(bytes: Uint8Array, node: Tlv): string {
  expectPrimitive(node, TAG.INTEGER);
  let start = node.contentStart;
  const end = node.contentEnd;
  if (start === end) throw new DerError('bad-value', node.start, 'empty integer');
  while (end - start > 1) {
    const a = bytes[start]!;
    const b = bytes[start + 1]!;
    if ((a === 0x00 && b < 0x80) || (a === 0xff && b >= 0x80)) start++;
    else break;
  }
  return hexOf(bytes, start, end);
}

// Longer arcs than this (a 2.25 UUID needs 19 bytes) are treated as hostile.
const MAX_ARC_BYTES = 32;

/**
 * Few distinct OIDs and times recur across millions of records (hash and signature algorithms,
 * producedAt/thisUpdate shared by a response's entries): the texts decoded last are kept with
 * their bytes, and found again by comparing bytes, without building a key string.
 */
class RecentTexts {
  private readonly bytes: Uint8Array[] = [];
  private readonly texts: string[] = [];
  private next = 0;
  private last = 0;

  constructor(private readonly size: number) {}

  /** The text of bytes[start, end), made by `decode` (from a copy) only when not among the recent ones. */
  get(bytes: Uint8Array, start: number, end: number, decode: (content: Uint8Array, node: Tlv | undefined) => string, node?: Tlv): string {
    // From the last hit on: a record's values come round in the same order as the record before's.
    const n = this.bytes.length;
    for (let k = 0, i = this.last; k < n; k++, i = i + 1 === n ? 0 : i + 1) {
      if (sameBytes(this.bytes[i]!, bytes, start, end)) return this.texts[(this.last = i)]!;
    }
    const content = bytes.slice(start, end);
    const text = decode(content, node);
    this.bytes[this.next] = content;
    this.texts[this.next] = text;
    this.next = (this.next + 1) % this.size;
    return text;
  }
}

/** Compared from the end: times differ in their seconds, and related OIDs in their last arcs. */
function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[start + i]) return false;
  return true;
}

const recentOids = new RecentTexts(32);
const recentTimes = new RecentTexts(16);

/** OBJECT IDENTIFIER as a dotted string. */
export function readOid(bytes: Uint8Array, node: Tlv): string {
  expectPrimitive(node, TAG.OID);
  return recentOids.get(bytes, node.contentStart, node.contentEnd, decodeOid, node);
}

function decodeOid(content: Uint8Array, node: Tlv | undefined): string {
  const at = node?.start ?? 0;
  const arcs: bigint[] = [];
  let arcStart = 0;
  for (let i = 0; i < content.length; i++) {
    if (((content[i] ?? 0) & 0x80) !== 0) continue;
    if (i + 1 - arcStart > MAX_ARC_BYTES) throw new DerError('bad-value', at, 'object identifier arc too long');
    let value = 0n;
    for (const b of content.subarray(arcStart, i + 1)) value = (value << 7n) | BigInt(b & 0x7f);
    arcs.push(value);
    arcStart = i + 1;
  }
  const first = arcs[0];
  if (first === undefined || arcStart !== content.length) {
    throw new DerError('bad-value', at, 'malformed object identifier');
  }
  const top = first < 40n ? 0n : first < 80n ? 1n : 2n;
  return [top, first - top * 40n, ...arcs.slice(1)].join('.');
}

const TIME_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d{1,9}))?(Z|[+-]\d{4})?$/;

/** GeneralizedTime as an ISO-8601 UTC string (a time without a zone is read as UTC). */
export function readGeneralizedTime(bytes: Uint8Array, node: Tlv): string {
  expectPrimitive(node, TAG.GENERALIZED_TIME);
  return recentTimes.get(bytes, node.contentStart, node.contentEnd, decodeGeneralizedTime, node);
}

function decodeGeneralizedTime(content: Uint8Array, node: Tlv | undefined): string {
  const canonical = canonicalTime(content);
  if (canonical !== undefined) return canonical;
  const at = node?.start ?? 0;
  const m = content.length <= 32 ? TIME_PATTERN.exec(Buffer.from(content).toString('latin1')) : null;
  if (!m) throw new DerError('bad-value', at, 'malformed GeneralizedTime');
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((p) => Number(p ?? 0));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000));
  // Date rolls 31 February over into March: reject instead, as OpenSSL does.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour ||
      date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    throw new DerError('bad-value', at, 'impossible GeneralizedTime');
  }
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    date.setTime(date.getTime() - sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000);
  }
  return date.toISOString();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The ISO string of a valid time in DER's own form, YYYYMMDDHHMMSSZ, which is what responders
 * write; undefined for anything else, which the general parser then reads or rejects.
 */
function canonicalTime(c: Uint8Array): string | undefined {
  if (c.length !== 15 || c[14] !== 0x5a) return undefined;
  for (let i = 0; i < 14; i++) if (c[i]! < 0x30 || c[i]! > 0x39) return undefined;
  const two = (i: number): number => (c[i]! - 0x30) * 10 + c[i + 1]! - 0x30;
  const year = two(0) * 100 + two(2);
  const month = two(4);
  const day = two(6);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days || two(8) > 23 || two(10) > 59 || two(12) > 59) return undefined;
  const t = String.fromCharCode(...c);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}.000Z`;
}

/**
 * OCTET STRING content. BER allows a constructed form (concatenated segments),
 * which OpenSSL and BouncyCastle accept, so it is accepted here too.
 */
export function readOctetString(bytes: Uint8Array, node: Tlv, depth = 0): Uint8Array {
  expectTag(node, TAG.OCTET_STRING);
  if (!node.constructed) return bytes.subarray(node.contentStart, node.contentEnd);
  if (depth >= MAX_INDEFINITE_DEPTH) throw new DerError('too-deep', node.start);
  return Buffer.concat(readChildren(bytes, node).map((child) => readOctetString(bytes, child, depth + 1)));
}

/** BIT STRING content: the bytes after the unused-bits count (primitive form only). */
export function readBitString(bytes: Uint8Array, node: Tlv): { unusedBits: number; bytes: Uint8Array } {
  expectPrimitive(node, TAG.BIT_STRING);
  const { contentStart: start, contentEnd: end } = node;
  const unusedBits = start < end ? bytes[start]! : undefined;
  if (unusedBits === undefined || unusedBits > 7 || (end - start === 1 && unusedBits !== 0)) {
    throw new DerError('bad-value', node.start, 'malformed bit string');
  }
  return { unusedBits, bytes: bytes.subarray(start + 1, end) };
}

const latin1 = (c: Buffer): string => c.toString('latin1');
// Numeric, Printable, T61 (read as Latin-1, like OpenSSL), IA5 and Visible strings are
// single-byte; BMPString is UTF-16BE and UniversalString UTF-32BE.
const STRING_DECODERS: Record<number, (content: Buffer) => string> = {
  12: (c) => c.toString('utf8'),
  18: latin1, 19: latin1, 20: latin1, 22: latin1, 26: latin1,
  28: (c) => Array.from({ length: c.length >> 2 }, (_, i) => String.fromCodePoint(Math.min(c.readUInt32BE(i * 4), 0x10ffff))).join(''),
  30: (c) => Buffer.from(c).swap16().toString('utf16le'),
};

/** A primitive universal character string as text; undefined for other types. */
export function readString(bytes: Uint8Array, node: Tlv): string | undefined {
  const decode = node.class === 'universal' && !node.constructed ? STRING_DECODERS[node.tag] : undefined;
  if (decode === undefined) return undefined;
  const content = Buffer.from(bytes.buffer, bytes.byteOffset + node.contentStart, node.length);
  if ((node.tag === 30 && content.length % 2 !== 0) || (node.tag === 28 && content.length % 4 !== 0)) {
    throw new DerError('bad-value', node.start, 'malformed wide string');
  }
  return decode(content);
}

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Where short hex is spelled out before it becomes one string. */
const hexScratch = Buffer.alloc(128);

/** Lowercase hex of a byte array. */
export function toHex(bytes: Uint8Array): string {
  return hexOf(bytes, 0, bytes.length);
}

/**
 * Lowercase hex of bytes[start, end). Short ones (hashes, serials, nonces) are spelled out in a
 * scratch buffer and read back as one flat string: no Buffer view, no string per byte.
 */
function hexOf(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length > 64) return Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString('hex');
  for (let i = 0; i < length; i++) {
    const b = bytes[start + i]!;
    hexScratch[2 * i] = HEX_DIGITS[b >> 4]!;
    hexScratch[2 * i + 1] = HEX_DIGITS[b & 15]!;
  }
  return hexScratch.toString('latin1', 0, 2 * length);
}

const recentHashes = new RecentTexts(8);

/** Hex of an OCTET STRING whose value repeats from record to record (issuer name and key hashes, a responder's key hash). */
export function readOctetHexRecent(bytes: Uint8Array, node: Tlv): string {
  expectTag(node, TAG.OCTET_STRING);
  if (!node.constructed) return recentHashes.get(bytes, node.contentStart, node.contentEnd, toHex);
  const joined = readOctetString(bytes, node);
  return recentHashes.get(joined, 0, joined.length, toHex);
}
