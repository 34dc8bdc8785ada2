import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { CertcrunchError } from '../errors.js';
import type { ScanResult, ScanTask } from './task.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The compiled worker entry (CommonJS, see worker-entry.cts): next to this file in dist/, or in
 * dist/ when running from the sources.
 */
function workerFile(): string {
  const beside = join(here, 'worker-entry.cjs');
  if (existsSync(beside)) return beside;
  return join(here, '..', '..', 'dist', 'scan', 'worker-entry.cjs');
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/** Runs scan tasks: on a piscina pool of `workers` threads, or in this thread when workers is 0. */
export class TaskRunner {
  private pool: Piscina | undefined;
  /** Without a pool, tasks run one after another (each holds a file handle and a read buffer). */
  private inThread: Promise<unknown> = Promise.resolve();

  constructor(private readonly workers: number) {
    if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a whole number >= 0, got ${workers}`);
    if (workers > 0) {
      const filename = workerFile();
      if (!existsSync(filename)) throw new CertcrunchError('ERR_WORKER', `worker script ${filename} is missing; run npm run build`);
      // Threads past the cores start only when tasks wait for them: --workers 256 on a small
      // input is not 256 threads booting.
      this.pool = new Piscina({ filename, minThreads: Math.min(workers, availableParallelism()), maxThreads: workers, idleTimeout: 1000 });
    }
  }

  async run(task: ScanTask): Promise<ScanResult> {
    if (!this.pool) {
      if (this.workers > 0) throw new CertcrunchError('ERR_WORKER', `${task.path}: the worker pool is closed`);
      // The scanners load here only for in-thread runs; with a pool they load in the workers.
      const next = this.inThread.then(async () => (await import('./run-task.js')).runTask(task));
      this.inThread = next.catch(() => undefined);
      return next.catch((err: unknown) => failed(task, err));
    }
    try {
      return (await this.pool.run(task)) as ScanResult;
    } catch (err) {
      return failed(task, err);
    }
  }

  /** Threads started so far. */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Stops the threads; a task run after this fails. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }
}

/** An unexpected error of a scan, as one naming what was being scanned. */
function failed(task: ScanTask, err: unknown): never {
  if (err instanceof CertcrunchError) throw err;
  const what = task.shared ? `scan of shared chunks (${sharedFiles(task.shared.chunks)})` : `${task.path}: scan of bytes ${task.start}..${task.end < 0 ? 'end' : task.end}`;
  throw new CertcrunchError('ERR_WORKER', `${what} failed: ${(err as Error).message}`, { cause: err });
}

/** The files of a set of shared chunks, for an error message: a failed thread held any of them. */
function sharedFiles(chunks: readonly ScanTask[]): string {
  const paths = [...new Set(chunks.map((c) => c.path))];
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}
