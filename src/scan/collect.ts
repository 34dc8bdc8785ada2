import type { TaskRunner } from './pool.js';
import type { ScanResult, ScanTask } from './task.js';

type Runner = Pick<TaskRunner, 'run' | 'close'>;

/**
 * Shared results up to this size are decoded as they arrive. A 1 GiB ProxySG log's are about
 * 1.5 MB; a 10 GB one with a million hosts gives 40 MB ones, whose early decoding raised the
 * run's peak memory from 770 MB to over 1 GB.
 */
const EARLY_OPEN_BYTES = 8 << 20;

/** Where results go: `open` turns one into its mergeable part (decodes it), `merge` takes the part in. */
export interface ResultSink<Part> {
  open(result: ScanResult): Part;
  merge(part: Part): void;
}

/**
 * Takes scan results as they arrive and merges each as soon as it is known to be right, so the
 * main thread merges while the workers are still scanning.
 *
 * Ranges after a file's first were scanned with the file's first `#Fields` as a guess. The
 * schema truly in force is the last `#Fields` of the ranges before, known only once those are
 * in; a range that read records under a wrong guess is scanned again before it is merged.
 *
 * Tasks sharing chunks (plan/split.ts shareChunks) are opened as they arrive and merged once
 * all the tasks of their set are in, unless one met a file changing `#Fields` (ProxySG): then
 * the set's parts are dropped and its files scanned again in fixed ranges (`fallback`), under
 * the rules above.
 */
export class ResultCollector<Part> {
  private readonly results: (ScanResult | undefined)[];
  private readonly files = new Map<string, { order: number[]; next: number; inForce: string | undefined; busy: boolean }>();
  /** Tasks of the first round not yet returned. */
  private outstanding: number;
  private released = false;
  /** Per set of shared chunks (keyed by its claims): results, opened or not yet (see acceptShared), held until all are in. */
  private readonly sharedSets = new Map<SharedArrayBuffer, {
    parts: ({ part: Part } | { result: ScanResult })[]; tasks: number; arrived: number; mixed: boolean; proxysg: boolean;
  }>();
  /** Large shared results of settled sets, opened once the threads have stopped. */
  private readonly unopened: ScanResult[] = [];
  /** Shared tasks not yet settled. */
  private sharedLeft: number;

  constructor(
    private readonly tasks: ScanTask[],
    private readonly runner: Runner,
    private readonly sink: ResultSink<Part>,
    private readonly fallback: readonly ScanTask[] = [],
  ) {
    this.results = new Array(tasks.length);
    this.outstanding = tasks.length;
    this.sharedLeft = tasks.filter((t) => t.shared).length;
    tasks.forEach((task, i) => {
      if (task.shared) {
        const set = this.sharedSets.get(task.shared.claims) ?? { parts: [], tasks: 0, arrived: 0, mixed: false, proxysg: task.format === 'proxysg' };
        set.tasks++;
        this.sharedSets.set(task.shared.claims, set);
        return;
      }
      const file = this.files.get(task.path) ?? { order: [], next: 0, inForce: undefined, busy: false };
      file.order.push(i);
      this.files.set(task.path, file);
    });
  }

  /** Runs every task; resolves when every result has been merged. */
  async runAll(): Promise<void> {
    await Promise.all(this.tasks.map(async (task, i) => {
      const result = await this.runner.run(task);
      return task.shared ? this.acceptShared(task.shared.claims, result) : this.accept(i, result);
    }));
    await this.releaseThreads();
    this.openHeld();
  }

  private async acceptShared(claims: SharedArrayBuffer, result: ScanResult): Promise<void> {
    this.outstanding--;
    const set = this.sharedSets.get(claims)!;
    // Only ProxySG chunks can meet a `#Fields` change, and `fallback` holds the ProxySG ranges.
    if (result.mixedFields === true && !set.proxysg) throw new Error('shared chunks of an EJBCA log reported a #Fields change');
    set.mixed ||= result.mixedFields === true;
    // A small result is opened at once, while the other threads finish; a large one waits until
    // all the threads are gone (other sets' too), so its decoded tables never share memory with theirs.
    if (!set.mixed) set.parts.push(result.snapshot.byteLength <= EARLY_OPEN_BYTES ? { part: this.sink.open(result) } : { result });
    if (++set.arrived < set.tasks) return;
    const parts = set.parts.splice(0);
    if (set.mixed) {
      // The threads stay for the fallback: it shares this collector's pool, which closes after.
      const pool = { run: (t: ScanTask) => this.runner.run(t), close: async () => {} };
      await new ResultCollector(this.fallback.map((t) => ({ ...t })), pool, this.sink).runAll();
      this.sharedLeft -= set.tasks;
      await this.releaseThreads();
    } else {
      this.sharedLeft -= set.tasks;
      await this.releaseThreads();
      for (const p of parts) {
        if ('part' in p) this.sink.merge(p.part);
        else this.unopened.push(p.result);
      }
      this.openHeld();
    }
  }

  /** Opens and merges the large results held back, once the threads are gone. */
  private openHeld(): void {
    if (!this.released) return;
    for (const result of this.unopened.splice(0)) this.sink.merge(this.sink.open(result));
  }

  private async accept(index: number, result: ScanResult): Promise<void> {
    this.results[index] = result;
    this.outstanding--;
    await this.releaseThreads();
    const file = this.files.get(this.tasks[index]!.path)!;
    if (file.busy) return; // the drain in progress will reach this result
    file.busy = true;
    try {
      while (file.next < file.order.length) {
        const i = file.order[file.next]!;
        let r = this.results[i];
        if (!r) break;
        const task = this.tasks[i]!;
        if (readUnderWrongGuess(file.next, task, file.inForce, r)) {
          if (file.inForce === undefined) delete task.fields;
          else task.fields = file.inForce;
          r = await this.runner.run(task);
        }
        this.sink.merge(this.sink.open(r));
        this.results[i] = undefined; // merged: let the bytes go
        file.inForce = r.lastFields ?? file.inForce;
        file.next++;
      }
    } finally {
      file.busy = false;
    }
    await this.releaseThreads();
  }

  /**
   * Once every result is in and none will be scanned again, the threads go, so their heaps are
   * freed before this thread decodes and merges what is left.
   */
  private async releaseThreads(): Promise<void> {
    if (this.released || this.outstanding > 0 || this.sharedLeft > 0 || [...this.files.values()].some((f) => f.busy) || this.rescanAhead()) return;
    this.released = true;
    await this.runner.close();
  }

  /** Whether some result not yet merged was scanned under a wrong `#Fields` guess (see accept). */
  private rescanAhead(): boolean {
    for (const file of this.files.values()) {
      let inForce = file.inForce;
      for (let n = file.next; n < file.order.length; n++) {
        const i = file.order[n]!;
        const r = this.results[i];
        if (!r) return true;
        if (readUnderWrongGuess(n, this.tasks[i]!, inForce, r)) return true;
        inForce = r.lastFields ?? inForce;
      }
    }
    return false;
  }
}

/** Whether the n-th range of a file read records under a `#Fields` other than the one in force. */
function readUnderWrongGuess(n: number, task: ScanTask, inForce: string | undefined, r: ScanResult): boolean {
  return n > 0 && task.fields !== inForce && r.usedStartFields;
}
