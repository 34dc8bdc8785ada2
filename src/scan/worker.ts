import { runTask } from './run-task.js';
import type { ScanTask } from './task.js';

/**
 * Piscina worker entry: scans one task and hands its snapshot back in shared memory, which
 * crosses to the main thread without a copy (and without loading piscina's pool code here to
 * mark a buffer as moved).
 */
export default async function scanWorker(task: ScanTask): Promise<unknown> {
  const result = await runTask(task);
  const shared = new Uint8Array(new SharedArrayBuffer(result.snapshot.byteLength));
  shared.set(result.snapshot);
  return { ...result, snapshot: shared };
}
