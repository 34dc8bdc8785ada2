import { Readable } from 'node:stream';
import { constants, crc32, createGunzip, createInflateRaw, inflateRawSync, type InflateRaw } from 'node:zlib';

/**
 * Gzip decompression member by member, for archives that may be damaged.
 *
 * zlib's own Gunzip reads any byte after a member, other than zero padding, as the header of a
 * next member; when it is not one, the error drops the output chunk being filled, and with it
 * the last records of a member that was whole. Here each member's deflate data goes through a
 * raw inflater, its trailer (CRC-32 and length) is checked, and what follows is looked at:
 * another member is read on, zero padding is let be (as gzip(1) does), and anything else ends
 * the stream with an error once every byte of the members before it is out.
 *
 * Errors use zlib's words where zlib has them ('unexpected end of file', 'incorrect data check').
 */
export function gunzip(compressed: Bytes, chunkBytes = inflateChunkBytes(undefined)): Readable {
  return Readable.from(membersThenClose(new ByteQueue(compressed), chunkBytes), { objectMode: false });
}

/** The members, and the compressed stream let go however they end (an error, or a reader that stops early). */
async function* membersThenClose(input: ByteQueue, chunkBytes: number): AsyncGenerator<Buffer> {
  try {
    yield* members(input, chunkBytes);
  } finally {
    await input.close();
  }
}

/**
 * What the start of a gzip stream decompresses to, up to `max` bytes: all that its bytes hold
 * when they are only a part of it (a first chunk of standard input), with why it stopped short.
 */
export async function gunzipHead(compressed: Bytes, max: number): Promise<{ head: Buffer; error?: string }> {
  const parts: Buffer[] = [];
  let size = 0;
  const stream = gunzip(compressed);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= max) break;
    }
    return { head: Buffer.concat(parts).subarray(0, max) };
  } catch (err) {
    return { head: Buffer.concat(parts).subarray(0, max), error: (err as Error).message };
  } finally {
    stream.destroy();
  }
}

/** Compressed bytes: a stream, or chunks at hand. */
type Bytes = AsyncIterable<Buffer> | Iterable<Buffer>;

/**
 * Inflated bytes per zlib call. Each call is a round trip through the thread pool, and at zlib's
 * default of 16 KiB those round trips, not inflating, take most of the time: 64 KiB reads gzip
 * 1.7x as fast. But a data error drops the bytes of the call it happens in, up to this much just
 * before the damage (the rest of the member is unreadable anyway). So large inputs, where speed
 * counts and such a loss is a small part, take the larger size; small ones and streams of
 * unknown length keep zlib's.
 */
export function inflateChunkBytes(compressedBytes: number | undefined): number {
  return compressedBytes !== undefined && compressedBytes >= LARGE_INPUT ? 1 << 16 : 1 << 14;
}
const LARGE_INPUT = 8 << 20;

const FLAG_HCRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
const FLAG_RESERVED = 0xe0;

async function* members(input: ByteQueue, chunkBytes: number): AsyncGenerator<Buffer> {
  // Small members' bytes, handed on together: one piece per member would reach the scanner a
  // few bytes at a time.
  let held: Buffer[] = [];
  let heldBytes = 0;
  const handOver = function* (): Generator<Buffer> {
    if (heldBytes > 0) yield held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
    held = [];
    heldBytes = 0;
  };
  try {
    for (let member = 0; ; member++) {
      const first = await input.peek(1);
      if (first.length === 0) {
        if (member === 0) throw new Error('unexpected end of file');
        break;
      }
      if (member > 0 && first[0] !== 0x1f) {
        const at = input.consumed;
        if (await input.restIsZero()) break; // padding
        throw new Error(`bytes after gzip member ${member} are not gzip data (compressed byte ${at})`);
      }
      if (member === MEMBERS_ONE_BY_ONE) {
        // Many members (a shipper that flushes one a line): zlib's own Gunzip reads the rest,
        // at a fraction of the cost per member, though junk after the last would cost it the
        // output chunk it fills then.
        yield* handOver();
        yield* gunzipRest(input);
        break;
      }
      await readHeader(input);
      const small = inflateSmall(input.queuedHead());
      if (small === undefined) {
        yield* handOver();
        yield* inflateStreamed(input, chunkBytes);
        continue;
      }
      input.drop(small.consumed);
      held.push(small.bytes);
      heldBytes += small.bytes.length;
      await checkTrailer(input, crc32(small.bytes), small.bytes.length);
      if (heldBytes >= HAND_OVER_BYTES) yield* handOver();
    }
  } catch (err) {
    yield* handOver(); // what came before the error first
    throw err;
  }
  yield* handOver();
}

const HAND_OVER_BYTES = 1 << 16;
/** Members read one by one before zlib's Gunzip takes the rest of the stream. */
const MEMBERS_ONE_BY_ONE = 64;

async function* gunzipRest(input: ByteQueue): AsyncGenerator<Buffer> {
  const rest = Readable.from(input.rest(), { objectMode: false });
  const gunzipped = rest.pipe(createGunzip());
  // A pipe does not pass on its source's errors.
  rest.on('error', (err) => gunzipped.destroy(err));
  yield* gunzipped as AsyncIterable<Buffer>;
}

/** Reads a member's header (RFC 1952 2.3), or throws as zlib would. */
async function readHeader(input: ByteQueue): Promise<void> {
  const head = await input.takeAll(10);
  if (head[0] !== 0x1f || head[1] !== 0x8b) throw new Error('incorrect header check');
  if (head[2] !== 8) throw new Error('unknown compression method');
  const flags = head[3]!;
  if (flags & FLAG_RESERVED) throw new Error('unknown header flags set');
  if (flags & FLAG_EXTRA) await input.takeAll((await input.takeAll(2)).readUInt16LE(0));
  if (flags & FLAG_NAME) await input.skipPastZero();
  if (flags & FLAG_COMMENT) await input.skipPastZero();
  if (flags & FLAG_HCRC) await input.takeAll(2);
}

/**
 * Inflated size up to which a member whose deflate data lies whole in the chunk at hand is
 * inflated in one synchronous call: a file of many small members (a shipper that flushes one a
 * line) then costs no stream per member.
 */
const SMALL_MEMBER_BYTES = 1 << 20;

/** The member in `bytes` when its deflate data ends there and inflates small; undefined otherwise (cut short, damaged, or large: the stream reads it). */
function inflateSmall(bytes: Buffer | undefined): { bytes: Buffer; consumed: number } | undefined {
  if (bytes === undefined) return undefined;
  try {
    const { buffer, engine } = inflateRawSync(bytes, { info: true, maxOutputLength: SMALL_MEMBER_BYTES }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return { bytes: buffer, consumed: engine.bytesWritten };
  } catch {
    return undefined;
  }
}

async function checkTrailer(input: ByteQueue, crc: number, length: number): Promise<void> {
  const trailer = await input.takeAll(8);
  if (trailer.readUInt32LE(0) !== crc >>> 0) throw new Error('incorrect data check');
  if (trailer.readUInt32LE(4) !== length % 2 ** 32) throw new Error('incorrect length check');
}

/** One member's deflate data, inflated as a stream, then its trailer checked; the bytes after it stay queued. */
async function* inflateStreamed(input: ByteQueue, chunkBytes: number): AsyncGenerator<Buffer> {
  // A sync flush at the end: a stream cut short gives all it holds, and is told as such below.
  const inflater = createInflateRaw({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: chunkBytes });
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    wake?.();
    wake = undefined;
  };
  inflater.on('readable', signal);
  inflater.on('end', signal);
  inflater.on('error', (err: Error) => {
    failure = err;
    signal();
  });
  let crc = 0;
  let length = 0;
  // Output is handed on as it comes, while zlib inflates the rest of the chunk in the thread
  // pool: the scan overlaps the inflating. Reading it as it is wanted keeps zlib's backpressure,
  // so a chunk that inflates a thousandfold is never held whole.
  async function* flow(pending: Promise<void>): AsyncGenerator<Buffer> {
    let settled = false;
    void pending.then(() => {
      settled = true;
      signal();
    });
    for (;;) {
      const chunk = inflater.read() as Buffer | null;
      if (chunk !== null) {
        crc = crc32(chunk, crc);
        length += chunk.length;
        yield chunk;
        continue;
      }
      if (settled || failure || inflater.readableEnded) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  let fedBytes = 0;
  let last: Buffer | undefined;
  try {
    for (;;) {
      const chunk = await input.next();
      if (chunk === undefined) {
        yield* flow(finish(inflater));
        throw failure ?? new Error('unexpected end of file');
      }
      last = chunk;
      fedBytes += chunk.length;
      yield* flow(write(inflater, chunk));
      if (failure) throw failure;
      // The deflate data ended in this chunk: the inflater took less than it was given.
      if (inflater.bytesWritten < fedBytes) break;
    }
  } finally {
    inflater.destroy();
  }
  input.unshift(last.subarray(last.length - (fedBytes - inflater.bytesWritten)));
  await checkTrailer(input, crc, length);
}

/** Resolves once the chunk is inflated and its output pushed, or the inflater failed. */
function write(inflater: InflateRaw, chunk: Buffer): Promise<void> {
  return settled(inflater, (done) => inflater.write(chunk, done));
}

function finish(inflater: InflateRaw): Promise<void> {
  return settled(inflater, (done) => inflater.end(done));
}

function settled(inflater: InflateRaw, start: (done: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      inflater.off('error', done);
      inflater.off('close', done);
      resolve();
    };
    inflater.once('error', done);
    inflater.once('close', done);
    start(done);
  });
}

const ZEROS = Buffer.alloc(1 << 16);

/** Compressed bytes as they come, with look-ahead and put-back. */
class ByteQueue {
  private readonly source: AsyncIterator<Buffer>;
  private readonly queued: Buffer[] = [];
  private done = false;
  /** Bytes taken so far. */
  consumed = 0;

  constructor(source: Bytes) {
    this.source = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (async function* () {
      yield* source;
    })();
  }

  /** The next chunk, whatever its size; undefined at the end. */
  async next(): Promise<Buffer | undefined> {
    const chunk = this.queued.shift() ?? (await this.pull());
    if (chunk) this.consumed += chunk.length;
    return chunk;
  }

  unshift(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.queued.unshift(bytes);
    this.consumed -= bytes.length;
  }

  /** Up to n bytes, fewer only at the end. */
  async take(n: number): Promise<Buffer> {
    // The usual case, a header or a trailer inside the chunk at hand: a view, no copy of the chunk.
    const first = this.queued[0];
    if (first !== undefined && first.length >= n) {
      this.drop(n);
      return first.subarray(0, n);
    }
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const chunk = await this.next();
      if (chunk === undefined) break;
      parts.push(chunk);
      have += chunk.length;
    }
    const all = Buffer.concat(parts);
    this.unshift(all.subarray(n));
    return all.subarray(0, n);
  }

  async peek(n: number): Promise<Buffer> {
    const bytes = await this.take(n);
    this.unshift(bytes);
    return bytes;
  }

  /** Exactly n bytes, or 'unexpected end of file'. */
  async takeAll(n: number): Promise<Buffer> {
    const bytes = await this.take(n);
    if (bytes.length < n) throw new Error('unexpected end of file');
    return bytes;
  }

  async skipPastZero(): Promise<void> {
    for (;;) {
      const chunk = await this.next();
      if (chunk === undefined) throw new Error('unexpected end of file');
      const zero = chunk.indexOf(0);
      if (zero >= 0) return this.unshift(chunk.subarray(zero + 1));
    }
  }

  /** Whether every byte left is zero (and reads them all). */
  async restIsZero(): Promise<boolean> {
    for await (const chunk of this.rest()) {
      for (let at = 0; at < chunk.length; at += ZEROS.length) {
        const part = chunk.subarray(at, at + ZEROS.length);
        if (!part.equals(ZEROS.subarray(0, part.length))) return false;
      }
    }
    return true;
  }

  /** The chunk at hand, if one is queued (nothing is read for it). */
  queuedHead(): Buffer | undefined {
    return this.queued[0];
  }

  /** Takes n bytes of the chunk at hand (n at most its length). */
  drop(n: number): void {
    const first = this.queued[0]!;
    if (n >= first.length) this.queued.shift();
    else this.queued[0] = first.subarray(n);
    this.consumed += n;
  }

  /** Everything not taken yet, chunk by chunk. */
  async *rest(): AsyncGenerator<Buffer> {
    for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next()) yield chunk;
  }

  /** Stops reading the source (a file stream closes its descriptor). */
  async close(): Promise<void> {
    this.queued.length = 0;
    if (!this.done) {
      this.done = true;
      await this.source.return?.();
    }
  }

  private async pull(): Promise<Buffer | undefined> {
    if (this.done) return undefined;
    const r = await this.source.next();
    if (r.done) {
      this.done = true;
      return undefined;
    }
    return r.value;
  }
}
