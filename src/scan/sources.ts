import { closeSync, constants, createReadStream, fstatSync, openSync, readSync, type PathLike } from 'node:fs';
import { gunzip, inflateChunkBytes } from '../input/gunzip.js';
import type { Readable } from 'node:stream';

/** Sequential bytes for the block loop: a file from an offset, or a (decompressed) stream. */
export interface ByteSource {
  /** Reads up to `length` bytes into `into` at `offset`; 0 means the end. May throw (corrupt gzip). */
  read(into: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

/** A file as input discovery saw it: its size and inode. */
export interface ListedFile {
  bytes: number;
  inode: number;
}

/**
 * Opens a file for reading without blocking (a FIFO put in its place would block an open) and
 * checks it is still the regular file that was listed, no shorter. Returns the descriptor and size.
 */
function openListed(path: PathLike, listed: ListedFile | undefined): { fd: number; size: number } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new Error('no longer a regular file');
    if (listed && info.ino !== listed.inode) throw new Error('replaced by another file since it was listed');
    if (listed && info.size < listed.bytes) throw new Error(`shrank from ${listed.bytes} to ${info.size} bytes since it was listed`);
    return { fd, size: info.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * A plain file from `position`. Reads are synchronous: a scan worker has nothing else to do
 * while it waits, and a blocking read skips the hand-off to the libuv thread pool.
 *
 * A listed file is read as it was listed: up to its size then (bytes appended since are left for
 * the next run), and a file that ends before that, truncated during the scan, is an error.
 */
export async function fileSource(path: PathLike, position: number, listed?: ListedFile): Promise<ByteSource> {
  const { fd } = openListed(path, listed);
  const end = listed ? listed.bytes : Number.POSITIVE_INFINITY;
  let pos = position;
  return {
    async read(into, offset, length) {
      const want = Math.min(length, end - pos);
      if (want <= 0) return 0;
      const bytesRead = readSync(fd, into, offset, want, pos);
      if (bytesRead === 0 && listed) throw new Error(`cut short during the scan (listed at ${end} bytes)`);
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

/** A gzip file, decompressed as a stream, member by member (see gunzip). */
export function gzipFileSource(path: PathLike, listed?: ListedFile): ByteSource {
  const { fd, size } = openListed(path, listed);
  return streamSource(gunzip(createReadStream(path, { fd, highWaterMark: 1 << 20 }), inflateChunkBytes(size)));
}
