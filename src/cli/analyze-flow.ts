import type { Readable } from 'node:stream';
import type { InputFile } from '../input/discover.js';
import type { HeadFields } from '../input/sniff.js';
import type { TrxChoice } from '../input/trx-detect.js';
import type { AuditChoice } from '../input/audit-detect.js';
import { TaskRunner, defaultWorkers } from '../scan/pool.js';
import type { LogFormat, ScanTask } from '../scan/task.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { TOOL_VERSION } from '../version.js';
import { CertcrunchError, ioReason } from '../errors.js';
import { stdinStats } from '../input/identity.js';

/**
 * The modules of the flow past the pool, loaded once the pool's threads are starting: the
 * threads' start-up, not this thread's module loading, then decides when scanning begins.
 */
async function flowModules() {
  const [discover, sniff, split, collect, codec, schema, snapshot, load] = await Promise.all([
    import('../input/discover.js'), import('../input/sniff.js'), import('../plan/split.js'), import('../scan/collect.js'),
    import('../snapshot/codec.js'), import('../snapshot/schema.js'), import('../snapshot/snapshot.js'), import('../native/load.js'),
  ]);
  return { ...discover, ...sniff, ...split, ...collect, ...codec, ...schema, ...snapshot, ...load };
}
type Flow = Awaited<ReturnType<typeof flowModules>>;

export interface AnalyzeOptions {
  /** Force a format instead of sniffing each file. */
  format?: LogFormat;
  /** What is known of how EJBCA transaction logs were written (order, layout, date format). */
  trx?: TrxChoice;
  /** What is known of how EJBCA audit logs were written. */
  audit?: AuditChoice;
  /** Check the signatures of audit-logged responses (default true). */
  verifySignatures?: boolean;
  /** PEM of CA certificates the response signers must chain to. */
  caPem?: string;
  /** Worker threads; 0 runs everything in this thread. */
  workers?: number;
  chunkBytes?: number;
  /** Chunk size of the plain files the threads share (plan/split.ts SHARED_CHUNK_BYTES); tests set it small. */
  sharedChunkBytes?: number;
  /** Standard input, when a path is '-'. */
  stdin?: Readable;
  /** Called with (bytes done, bytes total) as the scan advances. */
  onProgress?: (done: number, total: number) => void;
}

export interface AnalyzeResult {
  snapshot: Snapshot;
  /** Inputs that failed part-way (e.g. corrupt gzip): their good records are in the snapshot. */
  fileErrors: { path: string; offset: number; message: string }[];
  /** Every file listed (as carried: input/fs-names.ts), those in `fileErrors` included. */
  listed: string[];
}

/**
 * The whole flow: input (discover, sniff) → plan (byte ranges) → scan (worker pool, one
 * partial snapshot per range) → merge as results arrive (merge is associative and commutative,
 * so the snapshot does not depend on the order).
 */
export async function analyze(paths: readonly string[], options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const started = performance.now();
  const files = paths.filter((p) => p !== '-');
  const workers = options.workers ?? defaultWorkers();
  // The threads start now, so their start-up overlaps the loading of the rest and the reading
  // of the inputs' heads.
  const runner = new TaskRunner(workers);
  let flow: Flow;
  try {
    flow = await flowModules();
  } catch (err) {
    await runner.close();
    throw err;
  }
  const { describeInputs, planTasks, defaultRanges, groupWholeFiles, shareChunks, ResultCollector, decodeSnapshot, snapshotMessage, Snapshot, selectKernel } = flow;
  // The first part becomes the total and later ones merge into it: merging the first into an
  // empty snapshot would hold two copies of every table at once (a million hosts, say).
  let merged: Snapshot | undefined;
  const absorb = (part: Snapshot): void => void (merged = merged ? merged.merge(part) : part);
  const unrecognised = new Snapshot();
  let timer: ReturnType<typeof setInterval> | undefined;
  let total = 0;
  let listed: string[] = [];
  try {
    const inputs = await describeInputs(files, options.format, options.trx ?? {}, options.audit ?? {});
    listed = inputs.map((i) => i.rawPath ?? i.path);
    total = inputs.reduce((sum, i) => sum + i.bytes, 0);
    const planned = planTasks(inputs, options.chunkBytes ?? ((bytes) => defaultRanges(bytes, workers, total)), auditChecks(options));
    // Unless the ranges were sized by hand: many small ProxySG files go in a group per worker's
    // share, and the other plain files in chunks the threads share.
    const { tasks, fallback } = options.chunkBytes === undefined
      ? shareChunks(groupWholeFiles(planned, Math.ceil(total / Math.max(1, workers))), workers, headFieldsOf(inputs), options.sharedChunkBytes)
      : { tasks: planned, fallback: [] };
    const progress = new SharedArrayBuffer(Math.max(1, tasks.length) * 8);
    tasks.forEach((t, index) => (t.progress = { buffer: progress, index }));
    const done = new Float64Array(progress);
    if (options.onProgress) timer = setInterval(() => options.onProgress!(bytesDone(tasks, done), total), 250);
    for (const input of inputs) {
      // A file that cannot be read or recognised is a file error; the others are read all the same.
      if (input.error !== undefined) unrecognised.meta.addFileError({ path: input.path, offset: 0, message: input.error });
      else if (!input.format) unrecognised.meta.addInput(emptyInput(input));
    }
    const collector = new ResultCollector(tasks, runner, { open: (r) => decodeSnapshot(r.snapshot), merge: absorb }, fallback);
    const results = collector.runAll();
    // The tasks are out; while the workers scan, this thread prepares the snapshot codec.
    // Failing here (no file descriptors left, say) only moves the failure to the first decode.
    setImmediate(() => {
      try {
        snapshotMessage();
      } catch {
        // the first decode builds it again, and reports what stops it
      }
    });
    await results;
    if (paths.includes('-')) {
      // Standard input that is not a log costs only itself, as a file would.
      const part = await analyzeStdin(options, flow).catch((err: unknown) => {
        const code = (err as NodeJS.ErrnoException).syscall ? (err as NodeJS.ErrnoException).code : undefined;
        if (!(err instanceof CertcrunchError) && code === undefined) throw err;
        unrecognised.meta.addFileError({ path: '-', offset: 0, message: code ? `cannot read standard input (${ioReason(err)})` : (err as Error).message });
        return undefined;
      });
      if (part) absorb(part);
    }
  } finally {
    if (timer) clearInterval(timer);
    await runner.close();
  }
  options.onProgress?.(total, total);
  const snapshot = (merged ?? new Snapshot()).merge(unrecognised);
  snapshot.meta.toolVersion = TOOL_VERSION;
  snapshot.meta.kernel = selectKernel().kernel.name;
  snapshot.meta.elapsedMs = performance.now() - started;
  return { snapshot, fileErrors: snapshot.meta.fileErrors, listed };
}

function headFieldsOf(inputs: readonly InputFile[]): Map<string, HeadFields> {
  return new Map(inputs.flatMap((i) => (i.headFields !== undefined ? [[i.path, i.headFields] as const] : [])));
}

function bytesDone(tasks: readonly ScanTask[], done: Float64Array): number {
  let sum = 0;
  tasks.forEach((t, i) => {
    const at = done[i]!;
    if (t.shared) return void (sum += at); // bytes of the chunks this task has done
    if (t.gzip) return; // decompressed offsets do not measure file bytes
    const end = t.end < 0 ? t.fileBytes + (t.group ?? []).reduce((n, g) => n + g.fileBytes, 0) : t.end;
    if (at > t.start) sum += Math.min(at, end) - t.start;
  });
  return sum;
}

function auditChecks(options: AnalyzeOptions): { verifySignatures: boolean; caPem?: string } {
  return { verifySignatures: options.verifySignatures ?? true, ...(options.caPem ? { caPem: options.caPem } : {}) };
}

/** Decompresses what a first stdin chunk holds (a partial stream is fine for sniffing), or says why nothing. */
async function gunzipChunk(chunk: Buffer): Promise<{ head: Buffer; error?: string }> {
  const { gunzipHead } = await import('../input/gunzip.js');
  return gunzipHead([chunk], Number.POSITIVE_INFINITY);
}

/** Whether a whole gzip stream holds no bytes (and is not corrupt). */
async function isEmptyGzip(whole: Buffer): Promise<boolean> {
  const { head, error } = await gunzipChunk(whole);
  return head.length === 0 && error === undefined;
}

function emptyInput(input: InputFile) {
  return { path: input.path, format: 'empty', bytes: input.bytes, mtimeMs: input.mtimeMs, gzip: input.gzip, ranges: [] };
}

/** Standard input is scanned in this thread as one stream (gzip recognised by its magic bytes). */
async function analyzeStdin(options: AnalyzeOptions, flow: Flow): Promise<Snapshot> {
  const { Snapshot, isGzip, recognise, decodeSnapshot, SNIFF_BYTES } = flow;
  // Node reads a directory given as standard input as empty input: say what it is instead.
  if (options.stdin === undefined && (await stdinStats())?.isDirectory()) {
    throw new CertcrunchError('ERR_INPUT', 'standard input is a directory, not a log');
  }
  const stdin = options.stdin ?? process.stdin;
  const iterator = stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // A pipe hands over what it has so far (ssh, curl: often a few bytes): the format is sniffed
  // from as much as a file's would be, or all there is.
  const parts: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const r = await iterator.next();
    if (r.done) {
      ended = true;
      break;
    }
    parts.push(r.value);
    headBytes += r.value.length;
  }
  const head = Buffer.concat(parts);
  let bytesRead = 0;
  const { Readable } = await import('node:stream');
  const rest = Readable.from((async function* () {
    bytesRead += head.length;
    if (head.length) yield head;
    if (ended) return;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      bytesRead += r.value.length;
      yield r.value;
    }
  })());
  const gzip = head.length > 0 && isGzip(head);
  // A gzip stream is sniffed from its first decompressed bytes.
  const unzipped = gzip ? await gunzipChunk(head) : { head };
  const sniffHead = unzipped.head;
  if (head.length === 0 || (gzip && ended && sniffHead.length === 0 && (await isEmptyGzip(head)))) {
    // Empty input holds no records of any format, as with an empty file.
    const empty = new Snapshot();
    empty.meta.addInput({ path: '-', format: 'empty', bytes: head.length, mtimeMs: 0, gzip, ranges: [] });
    return empty;
  }
  if (gzip && sniffHead.length === 0) {
    // Nothing decompresses from its head: as with a file, a corrupt gzip, not an unknown format.
    throw new CertcrunchError('ERR_GZIP', `corrupt gzip on standard input (${unzipped.error ?? 'unexpected end of file'})`);
  }
  const detected = recognise(sniffHead, options.format, options.trx ?? {}, options.audit ?? {});
  if (!detected) throw new CertcrunchError('ERR_FORMAT', 'unknown log format on standard input (use --format)');
  const task: ScanTask = { path: '-', format: detected.format, gzip, start: 0, end: -1, fileBytes: 0, mtimeMs: 0 };
  if (detected.trx) task.trx = detected.trx;
  if (detected.syslogTokens) task.syslogTokens = detected.syslogTokens;
  if (detected.audit) task.audit = { ...detected.audit, ...auditChecks(options) };
  const { runTask } = await import('../scan/run-task.js');
  const result = await runTask(task, rest);
  const snapshot = decodeSnapshot(result.snapshot);
  // As for a file, its size as read (compressed, for gzip).
  const input = snapshot.meta.inputs.get('-');
  if (input) input.bytes = bytesRead;
  return snapshot;
}
