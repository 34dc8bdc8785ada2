/**
 * Output plumbing for the generators: a queue that releases EJBCA log events in flush
 * order (a slow request is written after faster, later ones, as in a threaded responder)
 * and a byte sink that batches lines into ~1 MiB writes and honours backpressure.
 */
import { once } from 'node:events';

const CHUNK_BYTES = 1 << 20;

/** One log event: its text without the final newline, written when `at` (flush ms) is due. */
export interface PendingEvent<T> {
  readonly at: number;
  readonly seq: number;
  readonly text: string;
  readonly utf8: boolean;
  readonly data: T;
}

const before = <T>(a: PendingEvent<T>, b: PendingEvent<T>): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Binary min-heap on (at, seq): equal flush times keep submission order. */
export class EventQueue<T> {
  private readonly items: Array<PendingEvent<T>> = [];

  get size(): number {
    return this.items.length;
  }

  peek(): PendingEvent<T> | undefined {
    return this.items[0];
  }

  push(event: PendingEvent<T>): void {
    const items = this.items;
    let i = items.push(event) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = event;
  }

  pop(): PendingEvent<T> | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/** Encodes text straight into a reusable buffer; ASCII goes through the cheaper latin1 encoder. */
export class ByteSink {
  bytes = 0;
  private used = 0;
  private buf = Buffer.allocUnsafe(2 * CHUNK_BYTES);

  constructor(private readonly out: NodeJS.WritableStream) {}

  get full(): boolean {
    return this.used >= CHUNK_BYTES;
  }

  write(text: string, utf8: boolean): void {
    const worst = utf8 ? text.length * 3 : text.length;
    if (this.used + worst > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.used + worst));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    const written = this.buf.write(text, this.used, utf8 ? 'utf8' : 'latin1');
    this.used += written;
    this.bytes += written;
  }

  async flush(): Promise<void> {
    // A stream that failed (a full disk) says so here, rather than leave this waiting for 'drain'.
    const failed = (this.out as { errored?: Error | null }).errored;
    if (failed) throw failed;
    if (this.used === 0) return;
    const chunk = this.buf.subarray(0, this.used);
    // A fresh buffer each time: the stream may still hold the previous one.
    this.buf = Buffer.allocUnsafe(2 * CHUNK_BYTES);
    this.used = 0;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
