import { escapeExcerpt, RecordStats, SAMPLE_EXCERPT_BYTES } from '../aggregate/records.js';
import { AuditStats } from '../aggregate/audit.js';
import { compileAuditProgram, type AuditProgram, type AuditSettings } from '../formats/ejbca/audit-schema.js';
import { matchOrderText } from '../formats/ejbca/order-match.js';
import { matchPrefix } from '../formats/log4j/prefix-match.js';
import type { Kernel } from '../native/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { AuditDecoder, type AuditRecord } from './audit-decode.js';
import { ReconcileSide } from '../aggregate/reconcile.js';

import { X509Certificate } from 'node:crypto';

const LF = 0x0a;
/** Records decoded together: few enough that their strings are dropped while still young. */
const DECODE_BATCH = 64;

interface Line {
  start: number;
  /** Without LF and one trailing CR. */
  end: number;
  next: number;
}

/**
 * The audit-log stage of one range. A record is one expansion of the audit order: several
 * physical lines in the properties era (only the first carries the layout prefix), one line
 * with literal "\n" in fresh 7.8+ installs. A range owns the records whose first line starts in
 * it, and the stray lines that follow them up to the next record; lines before its first record
 * belong to the range before.
 */
export class AuditRangeScanner {
  readonly records = new RecordStats();
  readonly stats = new AuditStats();
  /** Set once the next record belongs to the next range. */
  done = false;
  private readonly program: AuditProgram;
  private readonly decoder: AuditDecoder;
  private syncing: boolean;

  constructor(
    kernel: Kernel,
    private readonly path: string,
    settings: AuditSettings & { verifySignatures: boolean; caPem?: string },
    /** The range starts mid-file: lines before its first record belong to the range before. */
    startsMidFile: boolean,
    private readonly limitAbs: number,
    reconcile = false,
  ) {
    this.program = compileAuditProgram(settings);
    // Without --ca, signatures are checked against the certificates the responses carry.
    const verify = settings.verifySignatures ? (settings.caPem ? { caCerts: parsePemCertificates(settings.caPem) } : {}) : undefined;
    this.decoder = new AuditDecoder(kernel, this.stats, verify, reconcile ? new ReconcileSide() : undefined);
    this.syncing = startsMidFile;
  }

  /** One block: returns where to resume (at an incomplete record, or where the next range begins). */
  readonly step = (buf: Buffer, from: number, to: number, atEof: boolean, _limit: number, base: number): number => {
    let pos = from;
    const pending: AuditRecord[] = [];
    for (;;) {
      const line = nextLine(buf, pos, to, atEof);
      if (!line) break;
      if (line.end === line.start) {
        pos = line.next; // blank
        continue;
      }
      const text = buf.toString('latin1', line.start, line.end);
      const prefix = this.program.prefix.length ? matchPrefix(this.program.prefix, this.program.categories, text) : 0;
      const start = prefix >= 0 && this.isRecordStart(text, prefix);
      if (start && base + line.start >= this.limitAbs) {
        this.done = true;
        break;
      }
      if (this.syncing && !start) {
        pos = line.next; // the tail of a record of the range before
        continue;
      }
      this.syncing = false;
      if (!start) {
        if (prefix < 0 || (prefix === 0 && this.program.prefix.length > 0)) this.stats.otherLoggerLines++;
        else this.malformed(buf, line, base, 'garbage');
        pos = line.next;
        continue;
      }
      const consumed = this.readRecord(buf, line, text.slice(prefix), to, atEof, base, pending);
      if (consumed < 0) break; // the rest of the record is not in this block yet
      pos = consumed;
      if (pending.length >= DECODE_BATCH) this.decoder.decodeAll(pending.splice(0));
    }
    this.decoder.decodeAll(pending);
    return pos;
  };

  /** A line opens a record when its message starts like the order (and, in a prefixed layout, is prefixed). */
  private isRecordStart(text: string, prefix: number): boolean {
    if (this.program.prefix.length > 0 && prefix === 0) return false;
    const first = this.program.literals[0]!;
    if (first) return text.startsWith(first, prefix);
    // An order that starts with a field: the separator after it must be on the line.
    const next = this.program.literals[1]?.split('\n')[0] ?? '';
    return next !== '' && text.indexOf(next, prefix) > 0;
  }

  /** Reads the record opened by `first`; returns where the next line starts, or -1 for "need more bytes". */
  private readRecord(buf: Buffer, first: Line, message: string, to: number, atEof: boolean, base: number, pending: AuditRecord[]): number {
    const parts = [stripSuffix(message, this.program.suffix)];
    let next = first.next;
    for (let i = 1; i < this.program.lines; i++) {
      const line = nextLine(buf, next, to, atEof);
      if (!line) {
        if (!atEof) return -1;
        this.malformed(buf, first, base, 'truncated');
        return next;
      }
      const text = buf.toString('latin1', line.start, line.end);
      const prefix = this.program.prefix.length ? matchPrefix(this.program.prefix, this.program.categories, text) : 0;
      if (prefix !== 0 || this.isRecordStart(text, 0)) {
        // Cut short: a new event begins before this record's last line.
        this.malformed(buf, first, base, 'truncated');
        return next;
      }
      parts.push(i === this.program.lines - 1 ? stripSuffix(text, this.program.suffix) : text);
      next = line.next;
    }
    const match = matchOrderText(parts.join('\n'), this.program.literals);
    if ('error' in match) {
      this.malformed(buf, first, base, match.error);
      return next;
    }
    const values = new Map(this.program.fields.map((f, i) => [f, match.values[i]!]));
    const logId = values.get('LOG_ID');
    const status = values.get('STATUS');
    if ((logId !== undefined && !/^-?\d+$/.test(logId)) || (status !== undefined && !/^-?\d+$/.test(status))) {
      this.malformed(buf, first, base, 'bad-number');
      return next;
    }
    this.stats.records++;
    this.records.wellFormed++;
    pending.push({ values });
    return next;
  }

  private malformed(buf: Buffer, line: Line, base: number, reason: string): void {
    this.records.addMalformed({
      path: this.path,
      offset: base + line.start,
      reason,
      excerpt: escapeExcerpt(buf.toString('latin1', line.start, Math.min(line.end, line.start + SAMPLE_EXCERPT_BYTES))),
    });
  }

  finish(snapshot: Snapshot): void {
    snapshot.records.merge(this.records);
    snapshot.audit = this.stats;
    if (this.decoder.reconcile) snapshot.reconcileSides().audit.merge(this.decoder.reconcile);
  }
}

/** The certificates of a PEM bundle. */
export function parsePemCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

function stripSuffix(text: string, suffix: string): string {
  return suffix && text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
}

/** The whole line at `pos`, or undefined when it is incomplete (or there is none). */
function nextLine(buf: Buffer, pos: number, to: number, atEof: boolean): Line | undefined {
  if (pos >= to) return undefined;
  let nl = buf.indexOf(LF, pos);
  if (nl < 0 || nl >= to) {
    if (!atEof) return undefined;
    nl = to;
  }
  let end = nl;
  if (end > pos && buf[end - 1] === 0x0d) end--;
  let blank = true;
  for (let i = pos; i < end && blank; i++) blank = buf[i] === 0x20 || buf[i] === 0x09;
  return { start: pos, end: blank ? pos : end, next: nl < to ? nl + 1 : to };
}
