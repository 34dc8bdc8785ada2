import { Piscina } from 'piscina';
import { runTask } from './run-task.js';
import type { ScanResult, ScanTask } from './task.js';

/** Piscina worker entry: scans one task and moves its snapshot bytes back without copying. */
export default async function scanWorker(task: ScanTask): Promise<unknown> {
  const result: ScanResult = await runTask(task);
  const buffer = result.snapshot.buffer as ArrayBuffer;
  return {
    get [Piscina.transferableSymbol]() {
      return [buffer];
    },
    get [Piscina.valueSymbol]() {
      return result;
    },
  };
}
