import { compileOrder, DEFAULT_ORDER_PATTERN, TRX_ORDER_DEFAULTS, TRX_VARIABLES } from '../formats/ejbca/order.js';
import { trxPatternSpec, TRX_NUMS, TRX_SLOTS, TrxSlot } from '../formats/ejbca/trx-schema.js';
import { DEFAULT_LOG_DATES, type TrxSettings } from '../formats/ejbca/trx-settings.js';
import { compileJavaDateFormat } from '../formats/ejbca/log-date.js';
import { PatternKind } from '../formats/pattern-spec.js';
import { selectKernel } from '../native/load.js';
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

/** Rows of `head` (whole lines only) that parse with these settings, and their LOG_TIME values. */
function parseHead(head: Buffer, settings: TrxSettings): { rows: number; logTimes: string[] } {
  let spec;
  try {
    spec = trxPatternSpec(compileOrder(settings.order, TRX_VARIABLES, settings.pattern), settings.layout);
  } catch {
    return { rows: 0, logTimes: [] };
  }
  const end = head.lastIndexOf(0x0a) + 1;
  const { kernel } = selectKernel();
  const out = createPatternOutput(4096, TRX_SLOTS, TRX_NUMS);
  const interner = kernel.createInterner(TRX_SLOTS);
  const n = kernel.scanPattern(kernel.compilePattern(spec), { buf: head, from: 0, to: end, limit: end, atEof: false }, interner, out);
  let rows = 0;
  for (let r = 0; r < n; r++) if (out.kinds[r] === PatternKind.Row) rows++;
  return { rows, logTimes: interner.values(TrxSlot.LogTime, 0) };
}

/** The era default date format that reads the head's LOG_TIME values, when none was given. */
function settleLogDate(head: Buffer, settings: TrxSettings): TrxSettings {
  if (settings.logDate !== undefined) return settings;
  const { logTimes } = parseHead(head, settings);
  const zone = settings.logTimeZone ?? 'GMT';
  const fits = DEFAULT_LOG_DATES.find((p) => {
    const parse = compileJavaDateFormat(p, zone);
    return logTimes.length > 0 && logTimes.every((t) => !Number.isNaN(parse(t)));
  });
  return fits ? { ...settings, logDate: fits } : settings;
}

/**
 * Finds the order (each era's default, unless given) and layout (the known ones, unless given)
 * under which the most lines of the head parse as rows. Undefined when no line does.
 */
export function detectTrxSettings(head: Buffer, choice: TrxChoice = {}): TrxSettings | undefined {
  const best = bestFit(
    choice.order !== undefined ? [choice.order] : Object.values(TRX_ORDER_DEFAULTS),
    choice.layout !== undefined ? [choice.layout] : KNOWN_TRX_LAYOUTS,
    (order, layout): TrxSettings => ({ ...choice, order, layout, pattern: choice.pattern ?? DEFAULT_ORDER_PATTERN }),
    (settings) => parseHead(head, settings).rows,
  );
  return best && settleLogDate(head, best);
}
