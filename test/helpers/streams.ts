import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';

/**
 * A writable that keeps what it is given. `slow` acknowledges each chunk on a later turn with a
 * small buffer, so writers meet backpressure ('drain' is counted).
 */
export function collectingStream(options: { slow?: boolean } = {}): { stream: Writable; bytes: () => Buffer; drains: () => number } {
  const chunks: Buffer[] = [];
  let drains = 0;
  const stream = new Writable({
    ...(options.slow ? { highWaterMark: 64 * 1024 } : {}),
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      if (options.slow) setImmediate(callback);
      else callback();
    },
  });
  stream.on('drain', () => drains++);
  return { stream, bytes: () => Buffer.concat(chunks), drains: () => drains };
}

/** Writes what a generator writes to `path`, and waits until the file is complete. */
export async function writeGenerated(path: string, write: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<void> {
  const out = createWriteStream(path);
  await write(out);
  await new Promise<void>((resolve) => out.end(resolve));
}
