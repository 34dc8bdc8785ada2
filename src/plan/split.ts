import type { InputFile } from '../input/discover.js';
import type { ScanTask } from '../scan/task.js';

/** The smallest range the default plan makes. */
export const DEFAULT_CHUNK_BYTES = 32 << 20;

/**
 * The default range size for a file: one range per worker, never below DEFAULT_CHUNK_BYTES.
 * Each range costs a fixed amount (its tables of distinct values are built, encoded, sent and
 * merged): on a 1 GiB ProxySG log with 2 workers, two ranges ran about 15% faster than four
 * (bench/e2e.bench.mjs), so equal shares beat finer balancing. Many files still balance
 * across the pool, file by file.
 */
export function defaultChunkBytes(fileBytes: number, workers: number): number {
  return Math.max(DEFAULT_CHUNK_BYTES, Math.ceil(fileBytes / Math.max(1, workers)));
}
export const MAX_RANGES_PER_FILE = 1_000_000;

/**
 * Cuts each plain file into byte ranges of about `chunkBytes`; a range owns the records that
 * start inside it. Gzip files cannot be entered mid-stream: one task each.
 */
export function planTasks(
  inputs: readonly InputFile[],
  /** A fixed range size, or a function of the file size (the default: defaultChunkBytes for one worker). */
  chunkBytes: number | ((fileBytes: number) => number) = (bytes) => defaultChunkBytes(bytes, 1),
  check: { verifySignatures: boolean; caPem?: string } = { verifySignatures: true },
): ScanTask[] {
  if (typeof chunkBytes === 'number' && (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1)) {
    throw new RangeError(`chunk size must be a positive integer, got ${chunkBytes}`);
  }
  const tasks: ScanTask[] = [];
  // Transaction and audit logs read together are reconciled request by request.
  const reconcile = inputs.some((i) => i.format === 'ejbca-trx') && inputs.some((i) => i.format === 'ejbca-audit');
  for (const input of inputs) {
    if (!input.format) continue;
    const base = {
      path: input.path, format: input.format, gzip: input.gzip, fileBytes: input.bytes, mtimeMs: input.mtimeMs,
      ...(input.trx ? { trx: input.trx } : {}),
      ...(input.audit ? { audit: { ...input.audit, ...check } } : {}),
      ...(reconcile ? { reconcile } : {}),
    };
    if (input.gzip) {
      tasks.push({ ...base, start: 0, end: -1 });
      continue;
    }
    // Tiny chunk sizes are for tests; a file is never cut into more than MAX_RANGES_PER_FILE ranges.
    const size = typeof chunkBytes === 'number' ? chunkBytes : chunkBytes(input.bytes);
    const step = Math.max(size, Math.ceil(input.bytes / MAX_RANGES_PER_FILE));
    for (let start = 0; start < input.bytes; start += step) {
      const end = Math.min(input.bytes, start + step);
      const task: ScanTask = { ...base, start, end: end === input.bytes ? -1 : end };
      // Ranges past the first start with the file's first #Fields as a guess, checked after the scan.
      if (start > 0 && input.headFields !== undefined) task.fields = input.headFields;
      tasks.push(task);
    }
  }
  return tasks;
}

/** Parses sizes such as 65536, 64KiB, 64k, 32MiB, 1G. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!m) throw new RangeError(`not a byte size: ${JSON.stringify(text)}`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const value = Math.round(Number(m[1]) * unit);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`not a positive byte size: ${JSON.stringify(text)}`);
  return value;
}
