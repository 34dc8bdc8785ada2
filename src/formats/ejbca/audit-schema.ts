import { compilePrefixProgram, printedCategory } from '../log4j/prefix-program.js';
import type { PrefixStep } from '../pattern-spec.js';
import { AUDIT_VARIABLES, compileOrder } from './order.js';

/** How one audit-log file was written; plain data, sent to the scan workers. */
export interface AuditSettings {
  /** ocsp.audit-log-order as EJBCA uses it: real LF (properties era) or literal "\n" (fresh 7.8+). */
  order: string;
  pattern: string;
  layout: string;
}

/** The logger names of the audit log: 6.0+ and ≤ 4.x. */
export const AUDIT_CATEGORIES = [
  'org.cesecore.certificates.ocsp.logging.AuditLogger',
  'org.ejbca.core.protocol.ocsp.AuditLogger',
];

export interface AuditProgram {
  literals: string[];
  fields: string[];
  /** Physical lines of one record: one more than the real line feeds in the order. */
  lines: number;
  prefix: PrefixStep[];
  categories: string[];
  suffix: string;
}

export function compileAuditProgram(settings: AuditSettings): AuditProgram {
  const order = compileOrder(settings.order, AUDIT_VARIABLES, settings.pattern);
  const prefix = compilePrefixProgram(settings.layout);
  return {
    literals: order.literals,
    fields: order.fields,
    lines: order.literals.join('').split('\n').length,
    prefix: prefix.steps,
    categories: AUDIT_CATEGORIES.map((c) => printedCategory(c, prefix.category)),
    suffix: prefix.suffix,
  };
}
