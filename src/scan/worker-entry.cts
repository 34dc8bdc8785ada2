/**
 * CommonJS entry of the scan workers. Piscina require()s its worker file first; on Node 20,
 * require() of an ES module can abort the process when two tasks start at once. This entry is
 * plain CommonJS and imports the ES module worker once, by import(), as soon as the thread
 * starts: loading the scanners then overlaps the main thread's reading of the inputs, instead
 * of delaying the first task.
 */
import type { ScanTask } from './task.js' with { 'resolution-mode': 'import' };

type ScanWorker = (task: ScanTask) => Promise<unknown>;

const worker: Promise<ScanWorker> = import('./worker.js').then((m) => m.default);
// A failed import is reported by the first task that awaits it, not as an unhandled rejection.
worker.catch(() => undefined);

async function scanWorker(task: ScanTask): Promise<unknown> {
  return (await worker)(task);
}

export = scanWorker;
