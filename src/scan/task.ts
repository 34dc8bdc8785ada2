/** Plain-data messages between the main thread and the workers. */
import type { TrxSettings } from '../formats/ejbca/trx-settings.js';
import type { AuditSettings } from '../formats/ejbca/audit-schema.js';

export type LogFormat = 'proxysg' | 'ejbca-trx' | 'ejbca-audit';
export const LOG_FORMATS: readonly LogFormat[] = ['proxysg', 'ejbca-trx', 'ejbca-audit'];

export interface ScanTask {
  /** As people see it. */
  path: string;
  /** The path as carried, when a name in it is not UTF-8 (input/fs-names.ts); open this one. */
  rawPath?: string;
  format: LogFormat;
  gzip: boolean;
  /** Byte range owned by this task: records starting in [start, end). end = -1: to the end. */
  start: number;
  end: number;
  /** File facts for the snapshot metadata. */
  fileBytes: number;
  mtimeMs: number;
  /**
   * The file's inode when it was listed: reads check it still matches. The device is not
   * compared: on some overlay filesystems stat and fstat of one file give different ones.
   */
  inode?: number;
  /** EJBCA transaction log: how it was written. */
  trx?: TrxSettings;
  /** EJBCA logs: keep rows and records keyed by request, to reconcile transaction and audit logs. */
  reconcile?: boolean;
  /** EJBCA audit log: how it was written, and whether to check response signatures. */
  audit?: AuditSettings & { verifySignatures: boolean; /** PEM of the CA certificates signers must chain to (--ca). */ caPem?: string };
  /** ELFF: the `#Fields` directive in force at `start`, if known. */
  fields?: string;
  /** ELFF streamed over syslog: tokens of syslog header before each line's ELFF text. */
  syslogTokens?: number;
  /**
   * ELFF shared chunks: `fields` is the file's first `#Fields`, and its line starts here. A chunk
   * starting after it starts under that schema; one starting at or before it reads the line itself.
   */
  fieldsAt?: number;
  /**
   * More whole ProxySG files (plain, or gzip as this one is), scanned after this one into the
   * same snapshot, so a run over many files pays a range's fixed cost once per group (plan/split.ts
   * groupWholeFiles).
   */
  group?: ScanTask[];
  /**
   * Chunks of plain files read alike shared by several tasks: each claims the next unclaimed chunk
   * (an atomic counter in `claims`) until none is left, scanning all it claims into one
   * snapshot, so a faster thread takes more of the work (plan/split.ts shareChunks).
   */
  shared?: SharedChunks;
  /** Read-block size; defaults to 1 MiB, less for small ranges. Tests use tiny blocks to exercise carry-over. */
  blockBytes?: number;
  /** Where to publish bytes done, for the progress bar: progress[index] = absolute offset reached (with a group: bytes done over all its files). */
  progress?: { buffer: SharedArrayBuffer; index: number };
}

export interface SharedChunks {
  /** Byte ranges of whole files, each with its file's first `#Fields` as `fields` (when it has one). */
  chunks: ScanTask[];
  /** Int32 [0]: the next chunk to claim; [1]: set to stop claiming (a file changed `#Fields`). */
  claims: SharedArrayBuffer;
}

export interface ScanResult {
  /** certcrunch.v1.Snapshot bytes for this range. */
  snapshot: Uint8Array;
  /** ELFF: the last `#Fields` seen in the range (undefined: none). */
  lastFields?: string;
  /** ELFF: whether any record was read under the schema given in the task. */
  usedStartFields: boolean;
  /**
   * Shared chunks: whether some chunk met a `#Fields` other than its file's first. Chunks were
   * then read under a guess that may be wrong, and the files are scanned again in fixed ranges.
   */
  mixedFields?: boolean;
  /** Set when the input failed part-way (corrupt gzip); the snapshot holds what came before. */
  error?: { offset: number; message: string };
}
