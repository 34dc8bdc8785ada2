import { move, transferableSymbol, valueSymbol } from 'piscina';
import { runTask } from './run-task.js';
import type { ScanTask } from './task.js';

/** Piscina worker entry: scans one task and moves its snapshot bytes back without copying. */
export default async function scanWorker(task: ScanTask): Promise<unknown> {
  const result = await runTask(task);
  const buffer = result.snapshot.buffer as ArrayBuffer;
  // The result carries other fields too, so it is a Transferable naming the one buffer to move.
  return move({
    get [transferableSymbol]() {
      return [buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  });
}
