import type { AuditSettings } from '../formats/ejbca/audit-schema.js';
import { AUDIT_ORDER_DEFAULTS, DEFAULT_ORDER_PATTERN } from '../formats/ejbca/order.js';
import { selectKernel } from '../native/load.js';
import { AuditRangeScanner } from '../scan/audit-step.js';
import { KNOWN_TRX_LAYOUTS } from './trx-detect.js';
import { bestFit } from './best-fit.js';

export type AuditChoice = Partial<AuditSettings>;

/** Well-formed audit records in the whole lines of `head` under these settings. */
function recordsParsed(head: Buffer, settings: AuditSettings): number {
  let scanner: AuditRangeScanner;
  try {
    scanner = new AuditRangeScanner(selectKernel().kernel, '-', { ...settings, verifySignatures: false }, false, Number.POSITIVE_INFINITY);
  } catch {
    return 0;
  }
  scanner.framingOnly = true;
  const end = head.lastIndexOf(0x0a) + 1;
  scanner.step(head, 0, end, false, Number.POSITIVE_INFINITY, 0);
  return scanner.stats.records;
}

/**
 * Finds the audit order (each era's default, unless given) and layout under which the most
 * records of the head parse. Undefined when none does.
 */
export function detectAuditSettings(head: Buffer, choice: AuditChoice = {}): AuditSettings | undefined {
  return bestFit(
    choice.order !== undefined ? [choice.order] : Object.values(AUDIT_ORDER_DEFAULTS),
    choice.layout !== undefined ? [choice.layout] : KNOWN_TRX_LAYOUTS,
    (order, layout): AuditSettings => ({ order, layout, pattern: choice.pattern ?? DEFAULT_ORDER_PATTERN }),
    (settings) => recordsParsed(head, settings),
  );
}
