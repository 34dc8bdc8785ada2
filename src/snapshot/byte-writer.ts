/** Protobuf wire types used by the hand-written codecs. */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;

/** A growing byte buffer with the few protobuf writes a snapshot needs. */
export class ByteWriter {
  // Not zeroed: only bytes before `pos`, all written, are ever read.
  buf: Buffer = Buffer.allocUnsafeSlow(1 << 16);
  pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** A whole number from 0 to 2^53. */
  varint(value: number): void {
    this.room(10);
    this.pos = writeVarint(this.buf, this.pos, value);
  }

  /** A signed whole number, zigzag-encoded as sint32 and sint64 are. */
  sint(value: number): void {
    if (!Number.isInteger(value)) throw new RangeError(`value ${value} is not a whole number`);
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** A length-delimited field whose body `write` appends; the length is put in front after. */
  delimited(field: number, write: () => void): void {
    this.tag(field, LEN);
    this.room(1);
    const start = ++this.pos; // room for a one-byte length, the usual case
    write();
    const length = this.pos - start;
    const size = varintSize(length);
    if (size > 1) {
      this.room(size - 1);
      this.buf.copyWithin(start + size - 1, start, this.pos);
      this.pos += size - 1;
    }
    const end = this.pos;
    this.pos = start - 1;
    this.varint(length);
    this.pos = end;
  }

  /** A whole-number field (uint32, uint64, or a bool as 0 or 1). */
  uint(field: number, value: number | boolean): void {
    this.tag(field, VARINT);
    this.varint(Number(value));
  }

  /** A signed whole-number field (sint32, sint64), zigzag-encoded. */
  signed(field: number, value: number): void {
    this.tag(field, VARINT);
    this.sint(value);
  }

  double(field: number, value: number): void {
    this.tag(field, I64);
    this.room(8);
    this.pos = this.buf.writeDoubleLE(value, this.pos);
  }

  /** A `string` field, UTF-8 (a lone surrogate, which no path or excerpt holds, as U+FFFD). */
  string(field: number, text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    this.tag(field, LEN);
    this.varint(length);
    this.room(length);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  bytes(field: number, bytes: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(bytes.length);
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Latin1 strings back to back as one bytes field. */
  strings(field: number, values: readonly string[]): void {
    // Joined and written in one call: a loop per character is slow in code that runs once.
    const text = values.length === 1 ? values[0]! : values.join('');
    this.tag(field, LEN);
    this.varint(text.length);
    this.room(text.length);
    this.pos += this.buf.write(text, this.pos, 'latin1');
  }

  /** Packed varints; left out when empty, as protobufjs does. */
  packed(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    this.delimited(field, () => {
      this.room(8 * values.length); // a varint of at most 2^53 takes at most 8 bytes
      for (let i = 0; i < values.length; i++) this.pos = writeVarint(this.buf, this.pos, values[i]!);
    });
  }
}

/** Writes a whole number from 0 to 2^53 as a varint at `at` (10 bytes of room); returns the end. */
export function writeVarint(out: Uint8Array, at: number, value: number): number {
  if (!(value >= 0 && value <= 2 ** 53 && Number.isInteger(value))) throw new RangeError(`value ${value} is not a whole number from 0 to 2^53`);
  let v = value;
  while (v >= 0x80000000) {
    out[at++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  while (v > 0x7f) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}

export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}
