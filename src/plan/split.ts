import { compareKeys } from '../aggregate/counter.js';
import type { InputFile } from '../input/discover.js';
import type { HeadFields } from '../input/sniff.js';
import type { ScanTask } from '../scan/task.js';

/** The smallest range the default plan makes. */
export const DEFAULT_CHUNK_BYTES = 32 << 20;

/**
 * The default ranges of a file: one equal share per worker of all the bytes of the run
 * (`totalBytes`, this file alone by default), never below DEFAULT_CHUNK_BYTES. A file no larger
 * than a share stays whole: a run over many files then has one range per file, not one per
 * worker per file.
 *
 * Each range costs a fixed amount, growing with its distinct values (their tables are built,
 * encoded, sent and merged): about 100 ms for a 1 GiB ProxySG log's 20,000 hosts. Measured with
 * two workers, four ranges of a file ran 8–15% slower than two halves, and sixteen 64 MiB files
 * ran 10% faster left whole than cut in two each. (Plain files are then shared by the threads in
 * chunks, see shareChunks; these ranges remain the ProxySG files' fallback, and are what
 * `--chunk-size` and gzip files use.) Returns the range lengths in file order.
 */
export function defaultRanges(fileBytes: number, workers: number, totalBytes = fileBytes): number[] {
  const share = Math.max(DEFAULT_CHUNK_BYTES, Math.ceil(Math.max(fileBytes, totalBytes) / Math.max(1, workers)));
  return cut(Math.max(0, fileBytes), Array.from({ length: Math.max(1, Math.ceil(fileBytes / share)) }, () => share));
}

/** The given lengths, the last shortened so they add up to `total`. */
function cut(total: number, lengths: number[]): number[] {
  const out: number[] = [];
  let left = total;
  for (const n of lengths) {
    if (left <= 0 && out.length > 0) break;
    out.push(Math.min(n, left));
    left -= n;
  }
  return out;
}

export const MAX_RANGES_PER_FILE = 1_000_000;

/** The most ranges planTasks cuts a run's plain files into at a fixed size (`--chunk-size`). */
export const MAX_RANGES = 4096;

/**
 * Cuts each plain file into byte ranges of about `chunkBytes`; a range owns the records that
 * start inside it. Gzip files cannot be entered mid-stream: one task each.
 *
 * A range costs a fixed amount (its tables built, sent and merged), so a fixed size is raised
 * until the plain files make at most MAX_RANGES ranges: "--chunk-size 64", bytes meant as MiB,
 * stays a run of seconds.
 */
export function planTasks(
  inputs: readonly InputFile[],
  /** A fixed range size, or the range lengths of a file of a given size (the default: defaultRanges for one worker). */
  chunkBytes: number | ((fileBytes: number) => readonly number[]) = (bytes) => defaultRanges(bytes, 1),
  check: { verifySignatures: boolean; caPem?: string } = { verifySignatures: true },
): ScanTask[] {
  if (typeof chunkBytes === 'number' && (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1)) {
    throw new RangeError(`chunk size must be a positive integer, got ${chunkBytes}`);
  }
  if (typeof chunkBytes === 'number') {
    const plainBytes = inputs.reduce((sum, i) => sum + (i.format && !i.gzip ? Math.max(0, i.bytes) : 0), 0);
    chunkBytes = Math.max(chunkBytes, Math.ceil(plainBytes / MAX_RANGES));
  }
  const tasks: ScanTask[] = [];
  // Transaction and audit logs read together are reconciled request by request.
  const reconcile = inputs.some((i) => i.format === 'ejbca-trx') && inputs.some((i) => i.format === 'ejbca-audit');
  for (const input of inputs) {
    if (!input.format) continue;
    const base = {
      path: input.path, format: input.format, gzip: input.gzip, fileBytes: input.bytes, mtimeMs: input.mtimeMs,
      ...(input.inode !== undefined ? { inode: input.inode } : {}),
      ...(input.rawPath !== undefined ? { rawPath: input.rawPath } : {}),
      ...(input.trx ? { trx: input.trx } : {}),
      ...(input.audit ? { audit: { ...input.audit, ...check } } : {}),
      ...(input.syslogTokens ? { syslogTokens: input.syslogTokens } : {}),
      ...(reconcile ? { reconcile } : {}),
    };
    if (input.gzip) {
      tasks.push({ ...base, start: 0, end: -1 });
      continue;
    }
    let start = 0;
    for (const length of rangeLengths(input.bytes, chunkBytes)) {
      const end = Math.min(input.bytes, start + length);
      const task: ScanTask = { ...base, start, end: end === input.bytes ? -1 : end };
      // Ranges past the first start with the file's first #Fields as a guess, checked after the scan.
      if (start > 0 && input.headFields !== undefined) task.fields = input.headFields.line;
      tasks.push(task);
      start = end;
    }
  }
  return tasks;
}

/**
 * Packs the tasks that are whole ProxySG files into about `groupBytes`-sized groups, each one
 * task that scans its files one after another into one snapshot: the fixed cost of a range (its
 * tables built, encoded, sent and merged) is then paid per group, not per file. Plain and gzip
 * files are grouped apart (a gzip file's bytes are compressed ones). Groups are balanced by bytes
 * (largest file first, into the lightest group); other tasks are left alone.
 */
export function groupWholeFiles(tasks: readonly ScanTask[], groupBytes: number): ScanTask[] {
  // Files wrapped in syslog headers stay apart: a group is read with one reading of its lines.
  const whole = (t: ScanTask) => t.format === 'proxysg' && t.start === 0 && t.end === -1 && t.fileBytes > 0 && !t.syslogTokens;
  return [
    ...tasks.filter((t) => !whole(t)),
    ...packGroups(tasks.filter((t) => whole(t) && !t.gzip), groupBytes),
    ...packGroups(tasks.filter((t) => whole(t) && t.gzip), groupBytes),
  ];
}

function packGroups(files: readonly ScanTask[], groupBytes: number): ScanTask[] {
  const total = files.reduce((sum, t) => sum + t.fileBytes, 0);
  const count = Math.min(files.length, Math.max(1, Math.round(total / Math.max(1, groupBytes))));
  if (files.length < 2 || count === files.length) return [...files];
  const groups: { bytes: number; files: ScanTask[] }[] = Array.from({ length: count }, () => ({ bytes: 0, files: [] }));
  const bySize = [...files].sort((a, b) => b.fileBytes - a.fileBytes || compareKeys(a.path, b.path));
  for (const file of bySize) {
    const lightest = groups.reduce((min, g) => (g.bytes < min.bytes ? g : min));
    lightest.files.push(file);
    lightest.bytes += file.fileBytes;
  }
  return groups.map(({ files: [first, ...rest] }) => (rest.length ? { ...first!, group: rest } : first!));
}

/** Chunk size of shared files: small enough that the threads finish close together. */
export const SHARED_CHUNK_BYTES = 16 << 20;

/**
 * Plain files not in a group (files larger than a worker's share, cut into ranges, and files
 * left whole) become chunks shared by `workers` tasks: each task claims chunk after chunk until
 * none is left and returns one snapshot. Threads that run at different speeds (this machine's
 * two vCPUs often differ by a fifth) then finish within a chunk of each other, and a range's
 * fixed cost (its tables finished, encoded, sent and merged) is paid once per thread, not once
 * per range. Files read alike share one set of chunks: the ProxySG files, and the EJBCA files of
 * each format and settings.
 *
 * A ProxySG chunk carries its file's first `#Fields` (`headFields`), the guess for the chunks
 * past the first; the collector scans the ProxySG files again as first planned (kept as
 * `fallback`) if any of them turns out to hold another `#Fields`. Other tasks are left alone,
 * and so is a set of one chunk, and everything with one worker.
 */
export function shareChunks(
  tasks: readonly ScanTask[], workers: number, headFields: ReadonlyMap<string, HeadFields>, chunkBytes = SHARED_CHUNK_BYTES,
): { tasks: ScanTask[]; fallback: ScanTask[] } {
  const sets = new Map<string, ScanTask[]>();
  for (const t of tasks) {
    // Files wrapped in syslog headers keep their planned ranges: the shared ProxySG set and its
    // fallback are read one way.
    if (t.gzip || t.group || t.fileBytes <= 0 || t.syslogTokens) continue;
    const key = t.format === 'proxysg' ? 'proxysg' : JSON.stringify([t.format, t.trx, t.audit, t.reconcile === true]);
    sets.set(key, [...(sets.get(key) ?? []), t]);
  }
  const out: ScanTask[] = [];
  const sharedTasks = new Set<ScanTask>();
  let fallback: ScanTask[] = [];
  for (const [key, ranges] of sets) {
    const shared = sharedSet(ranges, workers, headFields, chunkBytes);
    if (shared.length === 0) continue;
    for (const t of ranges) sharedTasks.add(t);
    out.push(...shared);
    if (key === 'proxysg') fallback = ranges;
  }
  return { tasks: [...tasks.filter((t) => !sharedTasks.has(t)), ...out], fallback };
}

/** The tasks sharing the chunks of these files' ranges; none when there is one chunk or one worker. */
function sharedSet(ranges: readonly ScanTask[], workers: number, headFields: ReadonlyMap<string, HeadFields>, chunkBytes: number): ScanTask[] {
  const chunks: ScanTask[] = [];
  // A file's ranges follow its first, at 0; the chunks cover the whole file from there.
  for (const first of ranges.filter((t) => t.start === 0)) {
    const { fields: _guess, ...file } = first;
    const head = file.format === 'proxysg' ? headFields.get(file.path) : undefined;
    let start = 0;
    for (const length of rangeLengths(file.fileBytes, chunkBytes)) {
      const end = start + length >= file.fileBytes ? -1 : start + length;
      chunks.push({ ...file, start, end, ...(head !== undefined ? { fields: head.line, fieldsAt: head.start } : {}) });
      start += length;
    }
  }
  if (workers < 2 || chunks.length < 2) return [];
  const claims = new SharedArrayBuffer(8);
  const sharedBytes = ranges.reduce((sum, t) => sum + (t.end < 0 ? t.fileBytes : t.end) - t.start, 0);
  const { path, format, trx, audit, reconcile } = chunks[0]!;
  return Array.from({ length: Math.min(workers, chunks.length) }, () => ({
    path, format, gzip: false, start: 0, end: -1, fileBytes: sharedBytes, mtimeMs: 0,
    ...(trx ? { trx } : {}), ...(audit ? { audit } : {}), ...(reconcile ? { reconcile } : {}),
    shared: { chunks, claims },
  }));
}

/** Positive range lengths adding up to the file size; never more than MAX_RANGES_PER_FILE. */
function rangeLengths(fileBytes: number, chunkBytes: number | ((fileBytes: number) => readonly number[])): number[] {
  if (fileBytes <= 0) return [];
  if (typeof chunkBytes !== 'number') {
    const lengths = chunkBytes(fileBytes).filter((n) => n > 0);
    const sum = lengths.reduce((a, b) => a + b, 0);
    if (sum === fileBytes && lengths.length <= MAX_RANGES_PER_FILE) return lengths;
    throw new RangeError(`range lengths add up to ${sum}, not the file's ${fileBytes} bytes`);
  }
  // Tiny chunk sizes are for tests; a file is never cut into more than MAX_RANGES_PER_FILE ranges.
  const step = Math.max(chunkBytes, Math.ceil(fileBytes / MAX_RANGES_PER_FILE));
  return cut(fileBytes, Array.from({ length: Math.ceil(fileBytes / step) }, () => step));
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
