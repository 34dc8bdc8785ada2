import { escapeExcerpt, RecordStats, SAMPLE_EXCERPT_BYTES } from '../aggregate/records.js';
import { compileOrder, TRX_VARIABLES } from '../formats/ejbca/order.js';
import { logTimeParser, secondsMask, type TrxSettings } from '../formats/ejbca/trx-settings.js';
import { TRX_NUMS, TRX_SLOTS, trxPatternSpec } from '../formats/ejbca/trx-schema.js';
import { PatternKind } from '../formats/pattern-spec.js';
import { createPatternOutput, type CompiledPattern, type Interner, type Kernel, type PatternOutput } from '../native/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { BlockStep } from './block-loop.js';
import { TrxAggregator } from './trx-aggregator.js';

const OUTPUT_RECORDS = 1 << 15;

export const TRX_MALFORMED_REASON: ReadonlyMap<number, string> = new Map([
  [PatternKind.Garbage, 'garbage'],
  [PatternKind.Truncated, 'truncated'],
  [PatternKind.BadHex, 'bad-hex'],
  [PatternKind.BadNumber, 'bad-number'],
]);

/** The transaction-log stage of one range: kernel → rows → aggregator; malformed rows sampled. */
export class TrxRangeScanner {
  readonly records = new RecordStats();
  private readonly aggregator: TrxAggregator;
  private readonly pattern: CompiledPattern;
  private readonly interner: Interner;
  private readonly out: PatternOutput;

  constructor(
    private readonly kernel: Kernel, private path: string, settings: TrxSettings, reconcile = false,
  ) {
    const order = compileOrder(settings.order, TRX_VARIABLES, settings.pattern);
    this.pattern = kernel.compilePattern(trxPatternSpec(order, settings.layout, reconcile, secondsMask(settings.logDate)));
    this.interner = kernel.createInterner(TRX_SLOTS);
    this.out = createPatternOutput(OUTPUT_RECORDS, TRX_SLOTS, TRX_NUMS);
    this.aggregator = new TrxAggregator(path, this.interner, logTimeParser(settings), order.fields, reconcile);
  }

  readonly step: BlockStep = (buf, from, to, atEof, limit, base) => {
    const n = this.kernel.scanPattern(
      this.pattern, { buf, from, to, limit: Math.max(0, Math.min(limit, 0xffffffff)), atEof }, this.interner, this.out,
    );
    if (n > 0) this.aggregator.sync();
    const { kinds, offsets, ids, nums } = this.out;
    for (let r = 0; r < n; r++) {
      const kind = kinds[r]!;
      if (kind === PatternKind.Row) {
        this.aggregator.addRow(ids, r * TRX_SLOTS, nums, r * TRX_NUMS, base + offsets[r]!);
        this.records.wellFormed++;
      } else if (kind === PatternKind.OtherLogger) {
        this.aggregator.stats.otherLoggerLines++;
      } else {
        const start = offsets[r]!;
        let end = buf.indexOf(0x0a, start);
        if (end < 0 || end > to) end = to;
        this.records.addMalformed({
          path: this.path,
          offset: base + start,
          reason: TRX_MALFORMED_REASON.get(kind) ?? 'unknown',
          excerpt: escapeExcerpt(buf.toString('latin1', start, Math.min(end, start + SAMPLE_EXCERPT_BYTES))),
        });
      }
    }
    return this.out.state[0]!;
  };

  /** Starts another range (a shared chunk, of this file or another read alike) in the same tables. */
  nextChunk(path: string): void {
    this.path = path;
    this.aggregator.nextRange(path);
  }

  finish(snapshot: Snapshot): void {
    snapshot.records.merge(this.records);
    snapshot.ocsp = this.aggregator.finish();
    if (this.aggregator.reconcile) snapshot.reconcileSides().trx.merge(this.aggregator.reconcile);
  }
}
