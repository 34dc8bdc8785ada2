/**
 * A tiny DER encoder for the synthetic OCSP blobs: definite minimal lengths, single-byte
 * tags (numbers 0-30, all OCSP needs) and each element built bottom-up as a Buffer.
 * It writes what it is given; callers are responsible for ASN.1 structure.
 */

export type Der = Uint8Array;

const CLASS_UNIVERSAL = 0x00;
const CLASS_CONTEXT = 0x80;
const CONSTRUCTED = 0x20;

export const UNIVERSAL = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x10,
  SET: 0x11,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  GENERALIZED_TIME: 0x18,
} as const;

/** Octets of the definite length form: short below 128, else 0x80|n followed by n octets. */
function lengthOctets(length: number): number {
  let octets = 1;
  if (length >= 0x80) for (let n = length; n > 0; n = Math.floor(n / 256)) octets++;
  return octets;
}

/** One element whose content is the concatenation of `items`, in a single allocation. */
function joined(identifier: number, items: readonly Der[]): Buffer {
  let length = 0;
  for (const item of items) length += item.length;
  const lengthSize = lengthOctets(length);
  const out = Buffer.allocUnsafe(1 + lengthSize + length);
  out[0] = identifier;
  if (lengthSize === 1) {
    out[1] = length;
  } else {
    out[1] = 0x80 | (lengthSize - 1);
    for (let i = lengthSize, n = length; i > 1; i--, n = Math.floor(n / 256)) out[i] = n & 0xff;
  }
  let at = 1 + lengthSize;
  for (const item of items) {
    out.set(item, at);
    at += item.length;
  }
  return out;
}

/** One element from its identifier octet and content. */
export function element(identifier: number, content: Der): Buffer {
  return joined(identifier, [content]);
}

function checkTagNumber(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new RangeError(`tag number ${n} needs the high-tag form, not supported`);
}

export function sequence(...items: Der[]): Buffer {
  return joined(CLASS_UNIVERSAL | CONSTRUCTED | UNIVERSAL.SEQUENCE, items);
}

/** A SET OF in the order given (callers sort when DER requires it; single-element sets need nothing). */
export function set(...items: Der[]): Buffer {
  return joined(CLASS_UNIVERSAL | CONSTRUCTED | UNIVERSAL.SET, items);
}

/** Minimal two's-complement content octets of a bigint. */
function twosComplement(value: bigint): Buffer {
  if (value === 0n) return Buffer.from([0]);
  const bytes: number[] = [];
  let v = value;
  // Stop once the remaining value is pure sign extension of the last octet's top bit.
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.unshift(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

export function integer(value: bigint | number): Buffer {
  return element(UNIVERSAL.INTEGER, twosComplement(BigInt(value)));
}

/**
 * A non-negative INTEGER from the hex of its magnitude (any case, leading zeros allowed):
 * redundant zero octets are dropped and a `00` sign octet is added when the top bit is set,
 * so `8a3f` and `008a3f` both encode as 02 03 00 8a 3f.
 */
export function integerFromHex(hex: string): Buffer {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new RangeError(`not hex: ${JSON.stringify(hex)}`);
  let bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes[0]! >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return element(UNIVERSAL.INTEGER, bytes);
}

export function enumerated(value: number): Buffer {
  return element(UNIVERSAL.ENUMERATED, twosComplement(BigInt(value)));
}

export function boolean(value: boolean): Buffer {
  return Buffer.from([UNIVERSAL.BOOLEAN, 1, value ? 0xff : 0x00]);
}

export function nullValue(): Buffer {
  return Buffer.from([UNIVERSAL.NULL, 0]);
}

const oidCache = new Map<string, Buffer>();

/** An OBJECT IDENTIFIER from its dotted form; cached (a shared Buffer: do not modify), since a few OIDs repeat in every blob. */
export function oid(dotted: string): Buffer {
  const cached = oidCache.get(dotted);
  if (cached !== undefined) return cached;
  const arcs = dotted.split('.').map((arc) => {
    if (!/^\d+$/.test(arc)) throw new RangeError(`bad OID ${dotted}`);
    return BigInt(arc);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n || (first < 2n && second > 39n)) {
    throw new RangeError(`bad OID ${dotted}`);
  }
  const content: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
    content.push(...groups);
  }
  const encoded = element(UNIVERSAL.OID, Buffer.from(content));
  oidCache.set(dotted, encoded);
  return encoded;
}

export function octetString(bytes: Der): Buffer {
  return element(UNIVERSAL.OCTET_STRING, bytes);
}

export function bitString(bytes: Der, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7) throw new RangeError('unusedBits must be 0-7');
  return joined(UNIVERSAL.BIT_STRING, [Buffer.from([unusedBits]), bytes]);
}

export function utf8String(text: string): Buffer {
  return element(UNIVERSAL.UTF8_STRING, Buffer.from(text, 'utf8'));
}

export function printableString(text: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError(`not a PrintableString: ${JSON.stringify(text)}`);
  return element(UNIVERSAL.PRINTABLE_STRING, Buffer.from(text, 'latin1'));
}

export function ia5String(text: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError(`not an IA5String: ${JSON.stringify(text)}`);
  return element(UNIVERSAL.IA5_STRING, Buffer.from(text, 'latin1'));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** GeneralizedTime `YYYYMMDDHHMMSSZ` (whole seconds, as RFC 5280 and BouncyCastle write it). */
export function generalizedTime(time: Date | number): Buffer {
  const d = typeof time === 'number' ? new Date(time) : time;
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) throw new RangeError('time out of GeneralizedTime range');
  const text = String(year).padStart(4, '0') + pad2(d.getUTCMonth() + 1) + pad2(d.getUTCDate()) +
    pad2(d.getUTCHours()) + pad2(d.getUTCMinutes()) + pad2(d.getUTCSeconds()) + 'Z';
  return element(UNIVERSAL.GENERALIZED_TIME, Buffer.from(text, 'latin1'));
}

/** `[n] EXPLICIT`: a constructed context tag wrapping whole elements. */
export function explicit(n: number, ...inner: Der[]): Buffer {
  checkTagNumber(n);
  return joined(CLASS_CONTEXT | CONSTRUCTED | n, inner);
}

/**
 * `[n] IMPLICIT`: the encoded element with its identifier replaced by context tag n, keeping
 * its constructed bit (so a SEQUENCE becomes A<n>, a NULL becomes 8<n>).
 */
export function implicit(n: number, encoded: Der): Buffer {
  checkTagNumber(n);
  const first = encoded[0];
  if (first === undefined || (first & 0x1f) === 0x1f) throw new RangeError('implicit() needs one encoded single-byte-tag element');
  const out = Buffer.from(encoded);
  out[0] = CLASS_CONTEXT | (first & CONSTRUCTED) | n;
  return out;
}

/** Pre-encoded DER passed through unchanged (a certificate, a Name copied from one). */
export function raw(bytes: Der): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
