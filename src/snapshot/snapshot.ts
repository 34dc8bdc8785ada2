import { compareKeys } from '../aggregate/counter.js';
import { RecordStats } from '../aggregate/records.js';
import { ProxySgStats } from '../aggregate/proxysg.js';
import { OcspStats } from '../aggregate/ocsp.js';
import { AuditStats } from '../aggregate/audit.js';
import { ReconcileSide } from '../aggregate/reconcile.js';
import { EXACT_DISTINCT_LIMIT } from '../aggregate/distinct.js';

/** Version of the snapshot schema and of the JSON report (package certcrunch.v1). */
export const SCHEMA_VERSION = 1;

export interface InputInfo {
  path: string;
  format: string;
  bytes: number;
  mtimeMs: number;
  gzip: boolean;
  /** Processed byte ranges, sorted and coalesced. */
  ranges: [number, number][];
}

export interface FileError {
  path: string;
  offset: number;
  message: string;
}

/** The path standard input is listed under. */
const STDIN = '-';

export class Meta {
  toolVersion = '';
  kernel = '';
  createdAt = new Date().toISOString();
  elapsedMs = 0;
  readonly inputs = new Map<string, InputInfo>();
  fileErrors: FileError[] = [];
  distinctExactLimit = EXACT_DISTINCT_LIMIT;
  /**
   * Paths that parts merged here had read the same bytes of (the same log analysed twice, or a
   * growing one at two sizes): their records are counted once per part. Not kept in snapshots.
   */
  readonly overlaps = new Set<string>();

  addInput(input: InputInfo): void {
    this.addInputs([input]);
  }

  /**
   * Adds many inputs at once (a decoded snapshot's), in time linear in their ranges but for one
   * sort per path: a snapshot may list one path thousands of times.
   */
  addInputs(inputs: readonly InputInfo[]): void {
    const byPath = new Map<string, InputInfo[]>();
    for (const input of inputs) {
      const list = byPath.get(input.path);
      if (list) list.push(input);
      else byPath.set(input.path, [input]);
    }
    for (const [path, list] of byPath) {
      const known = this.inputs.get(path);
      const parts = known ? [known, ...list] : list;
      const first = parts[0]!;
      if (path === STDIN && parts.length > 1) {
        // Standard input of different runs: streams with nothing to tell them apart, so no
        // overlap can be seen; their bytes add up.
        const bytes = parts.reduce((sum, p) => sum + p.bytes, 0);
        this.inputs.set(path, { ...first, bytes, ranges: [[0, bytes]] });
        continue;
      }
      if (rangesOverlap(parts.map((p) => p.ranges))) this.overlaps.add(path);
      this.inputs.set(path, {
        ...first,
        ranges: coalesce(parts.flatMap((p) => p.ranges)),
        // The largest size and latest time seen, whatever order the parts come in.
        bytes: parts.reduce((m, p) => Math.max(m, p.bytes), first.bytes),
        mtimeMs: parts.reduce((m, p) => Math.max(m, p.mtimeMs), first.mtimeMs),
      });
    }
  }

  addFileError(error: FileError): void {
    this.addFileErrors([error]);
  }

  addFileErrors(errors: readonly FileError[]): void {
    this.fileErrors = sortErrors([...this.fileErrors, ...errors]);
  }

  merge(other: Meta): this {
    if (!this.toolVersion) this.toolVersion = other.toolVersion;
    if (!this.kernel) this.kernel = other.kernel;
    else if (other.kernel && other.kernel !== this.kernel) this.kernel = 'mixed';
    if (other.createdAt < this.createdAt) this.createdAt = other.createdAt;
    this.elapsedMs += other.elapsedMs;
    for (const input of other.inputs.values()) this.addInput(input);
    for (const path of other.overlaps) this.overlaps.add(path);
    this.fileErrors = sortErrors([...this.fileErrors, ...other.fileErrors]);
    return this;
  }
}

/** The unit everything produces and merges. */
export class Snapshot {
  readonly meta = new Meta();
  readonly records = new RecordStats();
  proxysg: ProxySgStats | undefined;
  ocsp: OcspStats | undefined;
  audit: AuditStats | undefined;
  /** Rows and records keyed by request, kept when a run reads both transaction and audit logs. */
  reconcile: { trx: ReconcileSide; audit: ReconcileSide } | undefined;

  reconcileSides(): { trx: ReconcileSide; audit: ReconcileSide } {
    this.reconcile ??= { trx: new ReconcileSide(), audit: new ReconcileSide() };
    return this.reconcile;
  }

  merge(other: Snapshot): this {
    this.meta.merge(other.meta);
    this.records.merge(other.records);
    if (other.proxysg) this.proxysg = (this.proxysg ?? new ProxySgStats()).merge(other.proxysg);
    if (other.ocsp) this.ocsp = (this.ocsp ?? new OcspStats()).merge(other.ocsp);
    if (other.audit) this.audit = (this.audit ?? new AuditStats()).merge(other.audit);
    if (other.reconcile) {
      const sides = this.reconcileSides();
      sides.trx.merge(other.reconcile.trx);
      sides.audit.merge(other.reconcile.audit);
    }
    return this;
  }
}

/** Whether a range of one part overlaps a range of another (each part's own ranges apart). */
function rangesOverlap(parts: readonly (readonly [number, number][])[]): boolean {
  if (parts.length < 2) return false;
  const all = parts.flatMap((ranges, part) => ranges.map(([s, e]) => ({ s, e, part })));
  all.sort((a, b) => a.s - b.s || a.e - b.e);
  // Sweep by start: a range that starts before the furthest end so far, reached by another
  // part, overlaps it. Only the two furthest ends of different parts need keeping.
  let best = { e: Number.NEGATIVE_INFINITY, part: -1 };
  let other = { e: Number.NEGATIVE_INFINITY, part: -1 };
  for (const r of all) {
    const reach = best.part !== r.part ? best.e : other.e;
    if (r.s < reach && r.s < r.e) return true;
    if (r.part === best.part) best = r.e > best.e ? { e: r.e, part: r.part } : best;
    else if (r.e > best.e) [other, best] = [best, { e: r.e, part: r.part }];
    else if (r.e > other.e) other = { e: r.e, part: r.part };
  }
  return false;
}

function coalesce(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function sortErrors(errors: FileError[]): FileError[] {
  const seen = new Set<string>();
  return errors
    .sort((a, b) => compareKeys(a.path, b.path) || a.offset - b.offset)
    .filter((e) => {
      const key = `${e.path}\0${e.offset}\0${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
