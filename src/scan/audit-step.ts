import { escapeExcerpt, RecordStats, SAMPLE_EXCERPT_BYTES } from '../aggregate/records.js';
import { AuditStats } from '../aggregate/audit.js';
import { compileAuditProgram, type AuditSettings } from '../formats/ejbca/audit-schema.js';
import { splitOrder } from '../formats/ejbca/order-match.js';
import { PrefixMatcher } from '../formats/log4j/prefix-match.js';
import { bytesAt, indexOfByte, indexOfBytes } from '../util/bytes.js';
import type { Kernel } from '../native/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { AuditDecoder, type AuditRecord } from './audit-decode.js';
import { ReconcileSide } from '../aggregate/reconcile.js';

import { X509Certificate } from 'node:crypto';

const LF = 0x0a;
/** Records decoded together: few enough that their texts stay in cache and their objects die young. */
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
 *
 * Lines stay bytes: a record's message (its lines joined by LF, the layout's prefix and suffix
 * cut off) is copied into one buffer for the batch, split at the order's separators there, and
 * its hex fields are decoded from that buffer. Only the short fields become strings.
 */
export class AuditRangeScanner {
  readonly records = new RecordStats();
  readonly stats = new AuditStats();
  /** Set once the next record belongs to the next range. */
  done = false;
  /** Set for format detection, which only counts the records that fit: no blob is decoded, no malformed line sampled. */
  framingOnly = false;
  private readonly prefixes: PrefixMatcher;
  private readonly literals: Buffer[];
  /** Physical lines of one record. */
  private readonly lines: number;
  private readonly suffix: Buffer;
  /** An order that starts with a field: the text after it that a first line must hold. */
  private readonly firstLineMark: Buffer;
  private readonly field: { session: number; logId: number; status: number; request: number; response: number };
  private readonly spans: Int32Array;
  private readonly decoder: AuditDecoder;
  /** The messages of the batch's records, one after another; `textEnd` bytes are in use. Grows as needed. */
  private text = Buffer.allocUnsafeSlow(1 << 16);
  private textEnd = 0;
  private syncing: boolean;

  constructor(
    kernel: Kernel,
    private path: string,
    settings: AuditSettings & { verifySignatures: boolean; caPem?: string },
    /** The range starts mid-file: lines before its first record belong to the range before. */
    startsMidFile: boolean,
    private limitAbs: number,
    reconcile = false,
  ) {
    const program = compileAuditProgram(settings);
    this.prefixes = new PrefixMatcher(program.prefix, program.categories);
    this.literals = program.literals.map((l) => Buffer.from(l, 'latin1'));
    this.lines = program.lines;
    this.suffix = Buffer.from(program.suffix, 'latin1');
    this.firstLineMark = Buffer.from(program.literals[1]?.split('\n')[0] ?? '', 'latin1');
    // A variable the order names twice: its last value counts.
    const at = (name: string): number => program.fields.lastIndexOf(name);
    this.field = { session: at('SESSION_ID'), logId: at('LOG_ID'), status: at('STATUS'), request: at('OCSPREQUEST'), response: at('OCSPRESPONSE') };
    this.spans = new Int32Array(2 * program.fields.length);
    // Without --ca, signatures are checked against the certificates the responses carry.
    const verify = settings.verifySignatures ? (settings.caPem ? { caCerts: parsePemCertificates(settings.caPem) } : {}) : undefined;
    this.decoder = new AuditDecoder(kernel, this.stats, verify, reconcile ? new ReconcileSide() : undefined);
    this.syncing = startsMidFile;
  }

  /** Starts another range (a shared chunk, of this file or another read alike) in the same tables. */
  nextChunk(path: string, startsMidFile: boolean, limitAbs: number): void {
    this.path = path;
    this.syncing = startsMidFile;
    this.limitAbs = limitAbs;
    this.done = false;
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
      const prefix = this.prefixes.bare ? 0 : this.prefixes.match(buf, line.start, line.end);
      const start = prefix >= 0 && this.isRecordStart(buf, line, prefix);
      // Past the limit, a record start belongs to the next range. So does any line while still
      // syncing: the range before reads on to the next record, and this one owns nothing.
      if ((start || this.syncing) && base + line.start >= this.limitAbs) {
        this.done = true;
        break;
      }
      if (this.syncing && !start) {
        pos = line.next; // the tail of a record of the range before
        continue;
      }
      this.syncing = false;
      if (!start) {
        if (prefix < 0 || (prefix === 0 && !this.prefixes.bare)) this.stats.otherLoggerLines++;
        else this.malformed(buf, line, base, 'garbage');
        pos = line.next;
        continue;
      }
      const consumed = this.readRecord(buf, line, prefix, to, atEof, base, pending);
      if (consumed < 0) break; // the rest of the record is not in this block yet
      pos = consumed;
      if (pending.length >= DECODE_BATCH) this.decodePending(pending);
    }
    this.decodePending(pending);
    return pos;
  };

  private decodePending(pending: AuditRecord[]): void {
    if (!this.framingOnly) this.decoder.decodeAll(pending, this.text);
    pending.length = 0;
    this.textEnd = 0;
  }

  /** A line opens a record when its message starts like the order (and, in a prefixed layout, is prefixed). */
  private isRecordStart(buf: Buffer, line: Line, prefix: number): boolean {
    if (prefix === 0 && !this.prefixes.bare) return false;
    const first = this.literals[0]!;
    if (first.length > 0) return bytesAt(buf, line.start + prefix, line.end, first);
    // An order that starts with a field: the separator after it must be on the line.
    const mark = this.firstLineMark;
    if (mark.length === 0) return false;
    return indexOfBytes(buf, mark, line.start + prefix, line.end) >= 0;
  }

  /** Reads the record opened by `first`; returns where the next line starts, or -1 for "need more bytes". */
  private readRecord(buf: Buffer, first: Line, prefix: number, to: number, atEof: boolean, base: number, pending: AuditRecord[]): number {
    const recordStart = this.textEnd;
    this.appendMessage(buf, first.start + prefix, first.end, false, true);
    let next = first.next;
    for (let i = 1; i < this.lines; i++) {
      const line = nextLine(buf, next, to, atEof);
      const cutShort = line !== undefined && (!this.prefixes.bare ? this.prefixes.match(buf, line.start, line.end) !== 0 : this.isRecordStart(buf, line, 0));
      if (line === undefined || cutShort) {
        this.textEnd = recordStart;
        if (line === undefined && !atEof) return -1;
        // Cut short: the input ends, or a new event begins, before this record's last line.
        this.malformed(buf, first, base, 'truncated');
        return next;
      }
      this.appendMessage(buf, line.start, line.end, true, i === this.lines - 1);
      next = line.next;
    }
    const text = this.text.subarray(recordStart, this.textEnd);
    const error = splitOrder(text, this.literals, this.spans);
    if (error !== undefined) {
      this.textEnd = recordStart;
      this.malformed(buf, first, base, error);
      return next;
    }
    if (!this.isInteger(text, this.field.logId) || !this.isInteger(text, this.field.status)) {
      this.textEnd = recordStart;
      this.malformed(buf, first, base, 'bad-number');
      return next;
    }
    this.stats.records++;
    this.records.wellFormed++;
    const [requestStart, requestEnd] = this.span(recordStart, this.field.request);
    const [responseStart, responseEnd] = this.span(recordStart, this.field.response);
    // The short fields become strings only for reconciliation, the one thing that reads them.
    const keyed = this.decoder.reconcile !== undefined;
    pending.push({
      sessionId: keyed ? this.value(text, this.field.session) : undefined,
      logId: keyed ? this.value(text, this.field.logId) : undefined,
      status: keyed ? this.value(text, this.field.status) : undefined,
      requestStart, requestEnd, responseStart, responseEnd,
    });
    return next;
  }

  /**
   * Adds a line's bytes to the record's message, after an LF when it continues it. The layout's
   * suffix is cut off the first line and the last (where an event's message ends).
   */
  private appendMessage(buf: Buffer, start: number, end: number, continues: boolean, mayEndMessage: boolean): void {
    const suffix = this.suffix;
    if (mayEndMessage && suffix.length > 0 && bytesAt(buf, end - suffix.length, end, suffix) && end - suffix.length >= start) end -= suffix.length;
    const need = this.textEnd + (continues ? 1 : 0) + (end - start);
    if (need > this.text.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.text.length));
      this.text.copy(bigger, 0, 0, this.textEnd);
      this.text = bigger;
    }
    if (continues) this.text[this.textEnd++] = LF;
    this.textEnd += buf.copy(this.text, this.textEnd, start, end);
  }

  /** Field f of a split record as text; undefined when the order has no such field. */
  private value(text: Buffer, f: number): string | undefined {
    return f < 0 ? undefined : text.toString('latin1', this.spans[2 * f]!, this.spans[2 * f + 1]!);
  }

  /** Whether field f of a split record is a whole number, as /^-?\d+$/ tells; true when the order has no such field. */
  private isInteger(text: Buffer, f: number): boolean {
    if (f < 0) return true;
    let i = this.spans[2 * f]!;
    const end = this.spans[2 * f + 1]!;
    if (i < end && text[i] === 0x2d) i++; // '-'
    if (i >= end) return false;
    for (; i < end; i++) if (text[i]! < 0x30 || text[i]! > 0x39) return false;
    return true;
  }

  /** Field f of a split record as [start, end) in the batch's text; empty when the order has no such field. */
  private span(recordStart: number, f: number): [number, number] {
    return f < 0 ? [0, 0] : [recordStart + this.spans[2 * f]!, recordStart + this.spans[2 * f + 1]!];
  }

  private malformed(buf: Buffer, line: Line, base: number, reason: string): void {
    if (this.framingOnly) return;
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

/** The whole line at `pos`, or undefined when it is incomplete (or there is none). */
function nextLine(buf: Buffer, pos: number, to: number, atEof: boolean): Line | undefined {
  if (pos >= to) return undefined;
  let nl = indexOfByte(buf, LF, pos, to);
  if (nl < 0) {
    if (!atEof) return undefined;
    nl = to;
  }
  let end = nl;
  if (end > pos && buf[end - 1] === 0x0d) end--;
  let blank = true;
  for (let i = pos; i < end && blank; i++) blank = buf[i] === 0x20 || buf[i] === 0x09;
  return { start: pos, end: blank ? pos : end, next: nl < to ? nl + 1 : to };
}
