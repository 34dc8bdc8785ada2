import { compileOrder, DEFAULT_ORDER_PATTERN, TRX_ORDER_DEFAULTS, TRX_VARIABLES } from '../formats/ejbca/order.js';
import { trxPatternSpec, TRX_NUMS, TRX_SLOTS } from '../formats/ejbca/trx-schema.js';
import type { TrxSettings } from '../formats/ejbca/trx-settings.js';
import { PatternKind } from '../formats/pattern-spec.js';
import { fallbackKernel } from '../native/fallback/index.js';
import { createPatternOutput } from '../native/types.js';
import { bestFit } from './best-fit.js';

/** Layouts EJBCA deployments write the transaction log with (formats/ejbca-ocsp-logs.md §6). */
export const KNOWN_TRX_LAYOUTS = [
  '%m%n',
  '%m %n',
  '%d %-5p [%c] %m%n',
  '%d{HH:mm:ss,SSS} %-5p [%c] (%t) %s%E%n',
  '%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n',
];

/** What the user fixed; anything left out is detected from the file. */
export type TrxChoice = Partial<TrxSettings>;

/** Rows of `head` (whole lines only) that parse with these settings. */
function rowsParsed(head: Buffer, settings: TrxSettings): number {
  let spec;
  try {
    spec = trxPatternSpec(compileOrder(settings.order, TRX_VARIABLES, settings.pattern), settings.layout);
  } catch {
    return 0;
  }
  const end = head.lastIndexOf(0x0a) + 1;
  const kernel = fallbackKernel;
  const out = createPatternOutput(4096, TRX_SLOTS, TRX_NUMS);
  const n = kernel.scanPattern(kernel.compilePattern(spec), { buf: head, from: 0, to: end, limit: end, atEof: false }, kernel.createInterner(TRX_SLOTS), out);
  let rows = 0;
  for (let r = 0; r < n; r++) if (out.kinds[r] === PatternKind.Row) rows++;
  return rows;
}

/**
 * Finds the order (each era's default, unless given) and layout (the known ones, unless given)
 * under which the most lines of the head parse as rows. Undefined when no line does.
 */
export function detectTrxSettings(head: Buffer, choice: TrxChoice = {}): TrxSettings | undefined {
  return bestFit(
    choice.order !== undefined ? [choice.order] : Object.values(TRX_ORDER_DEFAULTS),
    choice.layout !== undefined ? [choice.layout] : KNOWN_TRX_LAYOUTS,
    (order, layout): TrxSettings => ({ ...choice, order, layout, pattern: choice.pattern ?? DEFAULT_ORDER_PATTERN }),
    (settings) => rowsParsed(head, settings),
  );
}
