import { escapeExcerpt, RecordStats, SAMPLE_EXCERPT_BYTES } from '../aggregate/records.js';
import { parseFieldsDirective, Slot, SLOT_COUNT, type ElffSchema } from '../formats/elff/schema.js';
import { afterTokens } from '../input/sniff.js';
import { createElffOutput, RecordKind, type ElffOutput, type ElffTally, type Kernel } from '../native/types.js';
import type { BlockStep } from './block-loop.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { ElffAggregator, ERROR_HOST_SLOTS } from './elff-aggregator.js';

/** Output room per call: malformed lines, directives and records with certificate errors only. */
const OUTPUT_RECORDS = 1 << 14;
const NO_COLUMNS = new Int32Array(0);

export const MALFORMED_REASON: ReadonlyMap<number, string> = new Map([
  [RecordKind.NoFields, 'no-fields'],
  [RecordKind.UnterminatedQuote, 'unterminated-quote'],
  [RecordKind.FieldCount, 'field-count'],
]);

/**
 * The ELFF stage of one range: feeds blocks to the kernel, which counts well-formed records
 * into its tally; applies `#Fields` directives, adds records with certificate errors to the
 * error hosts and counts malformed lines (with samples) into `records`.
 */
export class ElffRangeScanner {
  readonly records = new RecordStats();
  readonly aggregator: ElffAggregator;
  /** Whether any record was read under the schema the range started with. */
  usedStartSchema = false;
  /** The last `#Fields` directive seen in this range, if any. */
  lastFieldsDirective: string | undefined;
  private schema: ElffSchema | undefined;
  private readonly tally: ElffTally;
  private readonly out: ElffOutput;
  private sawOwnFields = false;

  constructor(
    private readonly kernel: Kernel,
    private path: string,
    startFields: string | undefined,
    /** Tokens of syslog header before each line's ELFF text (ProxySG streamed over syslog), or 0. */
    private readonly syslogTokens = 0,
  ) {
    this.tally = kernel.createElffTally(SLOT_COUNT, ERROR_HOST_SLOTS);
    this.out = createElffOutput(OUTPUT_RECORDS, SLOT_COUNT);
    this.aggregator = new ElffAggregator(this.tally);
    this.schema = startFields === undefined ? undefined : parseFieldsDirective(startFields);
  }

  readonly step: BlockStep = (buf, from, to, atEof, limit, base) => {
    const schema = this.schema;
    const n = this.kernel.scanElff(
      {
        buf, from, to, limit: Math.max(0, Math.min(limit, 0xffffffff)), atEof,
        fieldCount: schema ? schema.fields.length : -1,
        colSlot: schema ? schema.colSlot : NO_COLUMNS,
        slots: SLOT_COUNT,
        dateSlot: Slot.Date,
        timeSlot: Slot.Time,
        errorSlot: Slot.CertErrors,
        emitAll: false,
        prefixTokens: this.syslogTokens,
      },
      this.tally,
      this.out,
    );
    const { kinds, offsets, state } = this.out;
    // A call stops at a directive, so the records it counted all came before any new #Fields.
    const counted = state[1]!;
    this.records.wellFormed += counted;
    if (counted > 0 && !this.sawOwnFields) this.usedStartSchema = true;
    for (let r = 0; r < n; r++) {
      const kind = kinds[r]!;
      // A data record (one with certificate errors) is in the tally already, its host's counts too.
      if (kind === RecordKind.Data) continue;
      if (kind === RecordKind.Directive) {
        this.directive(afterTokens(lineText(buf, offsets[r]!, to, Infinity), this.syslogTokens));
      } else {
        if (!this.sawOwnFields) this.usedStartSchema = true;
        this.records.addMalformed({
          path: this.path,
          offset: base + offsets[r]!,
          reason: MALFORMED_REASON.get(kind) ?? 'unknown',
          excerpt: escapeExcerpt(lineText(buf, offsets[r]!, to, SAMPLE_EXCERPT_BYTES)),
        });
      }
    }
    return state[0]!;
  };

  /** Goes on with the next whole file of a group: its own `#Fields`, the same tables. */
  nextFile(path: string): void {
    this.path = path;
    this.schema = undefined;
  }

  /**
   * Goes on with a chunk of a file whose first `#Fields` is `headFields`, on the line starting at
   * `headFieldsAt`: a chunk starting at or before that line reads it, a later one starts under
   * it. Any other `#Fields` met from now on sets `mixedFields`.
   */
  nextChunk(path: string, start: number, headFields: string | undefined, headFieldsAt: number): void {
    this.path = path;
    this.schema = start > headFieldsAt && headFields !== undefined ? parseFieldsDirective(headFields) : undefined;
    this.expectedFields = headFields;
    this.checkFields = true;
  }

  /** Whether a chunk met a `#Fields` other than its file's first (see nextChunk). */
  mixedFields = false;
  private expectedFields: string | undefined;
  private checkFields = false;

  finish(snapshot: Snapshot): void {
    snapshot.records.merge(this.records);
    snapshot.proxysg = this.aggregator.finish();
    // Everything is read out: the kernel's tables need not wait for the collector.
    this.tally.release();
  }

  private directive(line: string): void {
    const schema = parseFieldsDirective(line);
    if (!schema) return;
    if (this.checkFields && line !== this.expectedFields) this.mixedFields = true;
    this.schema = schema;
    this.sawOwnFields = true;
    this.lastFieldsDirective = line;
  }
}

/** The line starting at `start` (without CR/LF), at most `max` bytes, as latin1. */
function lineText(buf: Buffer, start: number, to: number, max: number): string {
  let end = buf.indexOf(0x0a, start);
  if (end < 0 || end > to) end = to;
  if (end > start && buf[end - 1] === 0x0d) end--;
  return buf.toString('latin1', start, Math.min(end, start + max));
}
