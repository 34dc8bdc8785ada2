import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** Sequential bytes for the block loop: a file from an offset, or a (decompressed) stream. */
export interface ByteSource {
  /** Reads up to `length` bytes into `into` at `offset`; 0 means the end. May throw (corrupt gzip). */
  read(into: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A plain file from `position`. Reads are synchronous: a scan worker has nothing else to do
 * while it waits, and a blocking read skips the hand-off to the libuv thread pool.
 */
export async function fileSource(path: string, position: number): Promise<ByteSource> {
  const fd = openSync(path, 'r');
  let pos = position;
  return {
    async read(into, offset, length) {
      const bytesRead = readSync(fd, into, offset, length, pos);
      pos += bytesRead;
      return bytesRead;
    },
    async close() {
      closeSync(fd);
    },
  };
}

/** Adapts a Readable to ByteSource, copying its chunks into the caller's block buffer. */
export function streamSource(stream: Readable): ByteSource {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | undefined;
  let done = false;
  return {
    async read(into, offset, length) {
      let written = 0;
      while (written < length && !done) {
        if (!pending || pending.length === 0) {
          if (written > 0) break; // hand over what we have rather than wait
          const next = await chunks.next();
          if (next.done) {
            done = true;
            break;
          }
          pending = next.value;
        }
        const n = Math.min(length - written, pending.length);
        pending.copy(into, offset + written, 0, n);
        pending = pending.subarray(n);
        written += n;
      }
      return written;
    },
    async close() {
      stream.destroy();
    },
  };
}

/** A gzip file, decompressed as a stream (multi-member files included). */
export function gzipFileSource(path: string): ByteSource {
  // zlib's default 16 KiB output chunks: on a corrupt stream the chunk being inflated is lost,
  // so a small chunk keeps everything decoded before the damage.
  return streamSource(createReadStream(path, { highWaterMark: 1 << 20 }).pipe(createGunzip()));
}
