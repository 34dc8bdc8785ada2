/**
 * CommonJS entry of the scan workers. Piscina require()s its worker file first; on Node 20,
 * require() of an ES module can abort the process when two tasks start at once. This entry is
 * plain CommonJS and imports the ES module worker once, by import().
 */
import type { ScanTask } from './task.js' with { 'resolution-mode': 'import' };

type ScanWorker = (task: ScanTask) => Promise<unknown>;

let worker: Promise<ScanWorker> | undefined;

async function scanWorker(task: ScanTask): Promise<unknown> {
  worker ??= import('./worker.js').then((m) => m.default);
  return (await worker)(task);
}

export = scanWorker;
