import type { Readable } from 'node:stream';
import { selectKernel } from '../native/load.js';
import type { Kernel } from '../native/types.js';
import { writeSnapshot } from '../snapshot/snapshot-writer.js';
import { Snapshot } from '../snapshot/snapshot.js';
import { TOOL_VERSION } from '../version.js';
import { afterPartialFirstLine, DEFAULT_BLOCK_BYTES, runBlockLoop, type BlockLoopResult, type BlockStep } from './block-loop.js';
import type { ElffRangeScanner } from './elff-step.js';
import type { TrxRangeScanner } from './trx-step.js';
import type { AuditRangeScanner } from './audit-step.js';
import type { TrxSettings } from '../formats/ejbca/trx-settings.js';
import { CertcrunchError, ioReason } from '../errors.js';
import { fileSource, gzipFileSource, streamSource, type ByteSource, type ListedFile } from './sources.js';
import { fsPath } from '../input/fs-names.js';
import type { ScanResult, ScanTask, SharedChunks } from './task.js';

function requireAudit(task: ScanTask): NonNullable<ScanTask['audit']> {
  if (!task.audit) throw new CertcrunchError('ERR_FORMAT', `${task.path}: no audit-log settings`);
  return task.audit;
}

function requireTrx(task: ScanTask): TrxSettings {
  if (!task.trx) throw new CertcrunchError('ERR_FORMAT', `${task.path}: no transaction-log settings`);
  return task.trx;
}

/** Small ranges get small buffers; a longer line still grows the buffer as needed. */
function blockSize(task: ScanTask): number {
  if (task.blockBytes !== undefined) return Math.max(1, task.blockBytes);
  if (task.gzip || task.fileBytes <= 0) return DEFAULT_BLOCK_BYTES;
  const length = (task.end < 0 ? task.fileBytes : task.end) - task.start;
  return Math.min(DEFAULT_BLOCK_BYTES, Math.max(64 * 1024, length + 4096));
}

/** An empty snapshot, stamped with the tool and the kernel that fill it. */
function newSnapshot(kernel: Kernel): Snapshot {
  const snapshot = new Snapshot();
  snapshot.meta.toolVersion = TOOL_VERSION;
  snapshot.meta.kernel = kernel.name;
  return snapshot;
}

/** Where a task publishes bytes done for the progress bar, if it does. */
function progressOf(task: ScanTask): ((done: number) => void) | undefined {
  if (!task.progress) return undefined;
  const progress = new Float64Array(task.progress.buffer);
  const index = task.progress.index;
  return (done) => (progress[index] = done);
}

/** runBlockLoop's arguments after the source. */
type BlockLoopArgs = Parameters<typeof runBlockLoop> extends [ByteSource, ...infer Rest] ? Rest : never;

/** Reads `source` through the block loop, and closes it whatever happens. */
async function readClosing(source: ByteSource, ...loop: BlockLoopArgs): Promise<BlockLoopResult> {
  try {
    return await runBlockLoop(source, ...loop);
  } finally {
    await source.close();
  }
}

/** How a task's file was listed, for its source to check (tasks made by hand, in tests, have no inode). */
function listedOf(file: ScanTask): ListedFile | undefined {
  return file.inode === undefined ? undefined : { bytes: file.fileBytes, inode: file.inode };
}

type Opened = { source: ByteSource } | { failed: NonNullable<BlockLoopResult['error']> };

/**
 * Opens the file of a range. One that cannot be opened any more (deleted, or replaced since it
 * was listed) fails its range alone: the run records why and goes on with the others.
 */
async function openFile(file: ScanTask, readFrom: number): Promise<Opened> {
  try {
    const path = fsPath(file.rawPath ?? file.path);
    return { source: file.gzip ? gzipFileSource(path, listedOf(file)) : await fileSource(path, readFrom, listedOf(file)) };
  } catch (err) {
    return { failed: { offset: file.start, message: (err as NodeJS.ErrnoException).code ? `cannot read (${ioReason(err)})` : (err as Error).message } };
  }
}

/** Reads an opened range through the block loop; a range that could not be opened ends where it starts, with its error. */
async function readOpened(opened: Opened, ...loop: BlockLoopArgs): Promise<BlockLoopResult> {
  if ('failed' in opened) return { end: opened.failed.offset, error: opened.failed };
  return readClosing(opened.source, ...loop);
}

/** Lists the range of `file` a block loop read in the snapshot's inputs, and the error that cut it short, if any. */
function recordRange(snapshot: Snapshot, file: ScanTask, loop: BlockLoopResult): void {
  const end = file.end < 0 ? loop.end : Math.min(file.end, Math.max(loop.end, file.start));
  snapshot.meta.addInput({
    path: file.path, format: file.format, bytes: file.fileBytes, mtimeMs: file.mtimeMs, gzip: file.gzip, ranges: [[file.start, end]],
  });
  if (loop.error) snapshot.meta.addFileError({ path: file.path, ...loop.error });
}

/**
 * Scans one task — a byte range of a plain file, a whole gzip file, or a stream — into a
 * partial snapshot. Runs inside a pool worker, or in-process for stdin and `--workers 0`.
 */
export async function runTask(task: ScanTask, stream?: Readable): Promise<ScanResult> {
  const { snapshot, rest } = task.shared ? await scanShared(task, task.shared) : await scan(task, stream);
  // Encoded once the scanner's tables are unreachable, so their memory can go before this peak.
  // A ProxySG snapshot is written without protobufjs, which a thread then never loads; the
  // EJBCA parts need it.
  const ejbca = snapshot.ocsp || snapshot.audit || snapshot.reconcile;
  return { snapshot: ejbca ? (await import('../snapshot/codec.js')).encodeSnapshot(snapshot) : writeSnapshot(snapshot), ...rest };
}

async function scan(task: ScanTask, stream?: Readable): Promise<{ snapshot: Snapshot; rest: Omit<ScanResult, 'snapshot'> }> {
  const started = performance.now();
  const { kernel } = selectKernel();
  const skipFirstLine = !task.gzip && !stream && task.start > 0;
  const readFrom = skipFirstLine ? task.start - 1 : task.start;
  const limit = task.end < 0 ? Number.POSITIVE_INFINITY : task.end;
  // Each format's scanner loads with its first task: a worker crunching ProxySG logs never
  // loads the OCSP decoders.
  let elff: ElffRangeScanner | undefined;
  let audit: AuditRangeScanner | undefined;
  let scanner: ElffRangeScanner | TrxRangeScanner | AuditRangeScanner;
  if (task.format === 'ejbca-trx') {
    const { TrxRangeScanner } = await import('./trx-step.js');
    scanner = new TrxRangeScanner(kernel, task.path, requireTrx(task), task.reconcile === true);
  } else if (task.format === 'ejbca-audit') {
    const { AuditRangeScanner } = await import('./audit-step.js');
    scanner = audit = new AuditRangeScanner(kernel, task.path, requireAudit(task), skipFirstLine, limit, task.reconcile === true);
  } else {
    const { ElffRangeScanner } = await import('./elff-step.js');
    scanner = elff = new ElffRangeScanner(kernel, task.path, task.fields, task.syslogTokens);
  }
  const step = skipFirstLine ? afterPartialFirstLine(scanner.step) : scanner.step;
  // Audit records span lines: their scanner, not the byte limit, says where the range ends.
  const auditScanner = audit;
  const loopLimit = auditScanner ? Number.POSITIVE_INFINITY : limit;
  const isDone = auditScanner ? () => auditScanner.done : undefined;
  // Opened once the scanner exists, so a bad setting cannot leave a file handle open.
  const opened: Opened = stream
    ? { source: streamSource(task.gzip ? (await import('../input/gunzip.js')).gunzip(stream) : stream) }
    : await openFile(task, readFrom);
  const publish = progressOf(task);
  const loop = await readOpened(opened, readFrom, loopLimit, step, publish, blockSize(task), isDone);

  const snapshot = newSnapshot(kernel);
  recordRange(snapshot, task, loop);
  const groupError = task.group ? await scanGroupRest(elff, task.group, snapshot, task.fileBytes, publish) : undefined;
  const error = loop.error ?? groupError;
  scanner.finish(snapshot);
  snapshot.meta.elapsedMs = performance.now() - started;

  const rest: Omit<ScanResult, 'snapshot'> = { usedStartFields: elff !== undefined && elff.usedStartSchema };
  if (elff?.lastFieldsDirective !== undefined) rest.lastFields = elff.lastFieldsDirective;
  if (error) rest.error = error;
  return { snapshot, rest };
}

/**
 * The further files of a group, whole ProxySG files (all plain or all gzip), scanned one after
 * another into the same tables; publishes bytes done over a plain group. A file that breaks
 * part-way (a corrupt gzip) is recorded as such and the next one read. Returns the first error.
 */
async function scanGroupRest(
  elff: ElffRangeScanner | undefined, files: readonly ScanTask[], snapshot: Snapshot, firstBytes: number,
  publish?: (done: number) => void,
): Promise<ScanResult['error']> {
  let error: ScanResult['error'];
  let doneBefore = firstBytes;
  for (const file of files) {
    if (!elff || file.format !== 'proxysg' || file.start !== 0 || file.end !== -1) {
      throw new CertcrunchError('ERR_FORMAT', `${file.path}: only whole ProxySG files can be scanned as a group`);
    }
    elff.nextFile(file.path);
    const before = doneBefore;
    const loop = await readOpened(await openFile(file, 0), 0, Number.POSITIVE_INFINITY, elff.step, publish && ((at) => publish(before + at)), blockSize(file));
    recordRange(snapshot, file, loop);
    error ??= loop.error;
    doneBefore += file.fileBytes;
  }
  return error;
}

/**
 * Shared chunks (plan/split.ts shareChunks): claims chunk after chunk until none is left, or
 * until some thread meets a `#Fields` other than its ProxySG file's first (the collector then
 * scans the files again in fixed ranges), and scans them all into one snapshot.
 */
async function scanShared(task: ScanTask, shared: SharedChunks): Promise<{ snapshot: Snapshot; rest: Omit<ScanResult, 'snapshot'> }> {
  const started = performance.now();
  const { kernel } = selectKernel();
  const scanner = await chunkScanner(task, kernel);
  const claims = new Int32Array(shared.claims);
  const snapshot = newSnapshot(kernel);
  const publishDone = progressOf(task);
  let done = 0; // bytes of the chunks finished by this task
  let error: ScanResult['error'];
  const block = Buffer.allocUnsafeSlow(DEFAULT_BLOCK_BYTES); // one read buffer for all the chunks
  while (Atomics.load(claims, 1) === 0) {
    const k = Atomics.add(claims, 0, 1);
    const chunk = shared.chunks[k];
    if (!chunk) break;
    if (chunk.format !== task.format || chunk.gzip) throw new CertcrunchError('ERR_FORMAT', `${chunk.path}: only plain files of one format can share chunks`);
    const skipFirstLine = chunk.start > 0;
    const readFrom = skipFirstLine ? chunk.start - 1 : chunk.start;
    const limit = chunk.end < 0 ? Number.POSITIVE_INFINITY : chunk.end;
    const { step, loopLimit, isDone } = scanner.next(chunk, skipFirstLine, limit);
    const before = done;
    const publish = publishDone && ((at: number) => publishDone(before + Math.min(Math.max(0, at - chunk.start), limit - chunk.start)));
    const opened = await openFile(chunk, readFrom);
    const loop = await readOpened(opened, readFrom, loopLimit, skipFirstLine ? afterPartialFirstLine(step) : step, publish, blockSize(chunk), isDone, block);
    done += (chunk.end < 0 ? chunk.fileBytes : chunk.end) - chunk.start;
    recordRange(snapshot, chunk, loop);
    error ??= loop.error;
    if (scanner.mixedFields()) Atomics.store(claims, 1, 1);
  }
  scanner.finish(snapshot);
  snapshot.meta.elapsedMs = performance.now() - started;
  const rest: Omit<ScanResult, 'snapshot'> = { usedStartFields: false, mixedFields: scanner.mixedFields() };
  if (error) rest.error = error;
  return { snapshot, rest };
}

/** One scanner for all the chunks a thread claims: each chunk starts a new range in the same tables. */
interface ChunkScanner {
  next(chunk: ScanTask, startsMidFile: boolean, limit: number): { step: BlockStep; loopLimit: number; isDone?: () => boolean };
  mixedFields(): boolean;
  finish(snapshot: Snapshot): void;
}

async function chunkScanner(task: ScanTask, kernel: Kernel): Promise<ChunkScanner> {
  if (task.format === 'ejbca-trx') {
    const { TrxRangeScanner } = await import('./trx-step.js');
    const trx = new TrxRangeScanner(kernel, task.path, requireTrx(task), task.reconcile === true);
    return {
      next: (chunk, _mid, limit) => (trx.nextChunk(chunk.path), { step: trx.step, loopLimit: limit }),
      mixedFields: () => false,
      finish: (snapshot) => trx.finish(snapshot),
    };
  }
  if (task.format === 'ejbca-audit') {
    const { AuditRangeScanner } = await import('./audit-step.js');
    const audit = new AuditRangeScanner(kernel, task.path, requireAudit(task), false, Number.POSITIVE_INFINITY, task.reconcile === true);
    return {
      // Audit records span lines: the scanner, not the byte limit, says where a chunk ends.
      next: (chunk, mid, limit) => (audit.nextChunk(chunk.path, mid, limit), { step: audit.step, loopLimit: Number.POSITIVE_INFINITY, isDone: () => audit.done }),
      mixedFields: () => false,
      finish: (snapshot) => audit.finish(snapshot),
    };
  }
  const { ElffRangeScanner } = await import('./elff-step.js');
  const elff = new ElffRangeScanner(kernel, task.path, undefined, task.syslogTokens);
  return {
    next: (chunk, _mid, limit) => (elff.nextChunk(chunk.path, chunk.start, chunk.fields, chunk.fieldsAt ?? 0), { step: elff.step, loopLimit: limit }),
    mixedFields: () => elff.mixedFields,
    finish: (snapshot) => elff.finish(snapshot),
  };
}
