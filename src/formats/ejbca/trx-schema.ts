import { FieldKind, type PatternSpec } from '../pattern-spec.js';
import { compilePrefixProgram, printedCategory } from '../log4j/prefix-program.js';
import type { CompiledOrder } from './order.js';

/** Interned fields of a transaction-log row. */
export const TrxSlot = {
  SessionId: 0, ClientIp: 1, ReqName: 2, LogTime: 3, IssuerDn: 4,
  // Read only when reconciling with an audit log: the CertID of the row.
  DigestAlg: 5, IssuerNameHash: 6, IssuerKeyHash: 7, Serial: 8,
} as const;
export const TRX_SLOTS = 9;

/** Integer fields of a transaction-log row. */
export const TrxNum = { LogId: 0, Status: 1, ReplyTime: 2, ProcessTime: 3, NumCertId: 4, CertStatus: 5, RevReason: 6 } as const;
export const TRX_NUMS = 7;

/** The logger names of the transaction log: 6.0+ and ≤ 4.x. */
export const TRX_CATEGORIES = [
  'org.cesecore.certificates.ocsp.logging.TransactionLogger',
  'org.ejbca.core.protocol.ocsp.TransactionLogger',
];

const FIELD_KINDS: ReadonlyMap<string, { kind: FieldKind; slot: number }> = new Map([
  ['SESSION_ID', { kind: FieldKind.Hex, slot: TrxSlot.SessionId }],
  ['CLIENT_IP', { kind: FieldKind.Intern, slot: TrxSlot.ClientIp }],
  ['REQ_NAME', { kind: FieldKind.Intern, slot: TrxSlot.ReqName }],
  ['LOG_TIME', { kind: FieldKind.Intern, slot: TrxSlot.LogTime }],
  ['ISSUER_NAME_DN', { kind: FieldKind.Intern, slot: TrxSlot.IssuerDn }],
  ['ISSUER_NAME_HASH', { kind: FieldKind.Hex, slot: -1 }],
  ['ISSUER_KEY', { kind: FieldKind.Hex, slot: -1 }],
  ['SERIAL_NOHEX', { kind: FieldKind.Hex, slot: -1 }],
  ['LOG_ID', { kind: FieldKind.Number, slot: TrxNum.LogId }],
  ['STATUS', { kind: FieldKind.Number, slot: TrxNum.Status }],
  ['REPLY_TIME', { kind: FieldKind.Number, slot: TrxNum.ReplyTime }],
  ['PROCESS_TIME', { kind: FieldKind.Number, slot: TrxNum.ProcessTime }],
  ['NUM_CERT_ID', { kind: FieldKind.Number, slot: TrxNum.NumCertId }],
  ['CERT_STATUS', { kind: FieldKind.Number, slot: TrxNum.CertStatus }],
  ['REV_REASON', { kind: FieldKind.Number, slot: TrxNum.RevReason }],
]);

/** CertID fields, interned when reconciling (validated as hex either way). */
const CERT_ID_KINDS: ReadonlyMap<string, { kind: FieldKind; slot: number }> = new Map([
  ['DIGEST_ALGOR', { kind: FieldKind.Intern, slot: TrxSlot.DigestAlg }],
  ['ISSUER_NAME_HASH', { kind: FieldKind.Hex, slot: TrxSlot.IssuerNameHash }],
  ['ISSUER_KEY', { kind: FieldKind.Hex, slot: TrxSlot.IssuerKeyHash }],
  ['SERIAL_NOHEX', { kind: FieldKind.Hex, slot: TrxSlot.Serial }],
]);

/** The pattern both kernels run for a transaction log written with `order` under `layout`. */
export function trxPatternSpec(order: CompiledOrder, layout: string, reconcile = false, logTimeMask: number[] = []): PatternSpec {
  const prefix = compilePrefixProgram(layout);
  const kindOf = (name: string) =>
    name === 'LOG_TIME' && logTimeMask.length > 0
      ? { kind: FieldKind.InternMasked, slot: TrxSlot.LogTime }
      : ((reconcile ? CERT_ID_KINDS.get(name) : undefined) ?? FIELD_KINDS.get(name) ?? { kind: FieldKind.Ignore, slot: -1 });
  return {
    literals: order.literals,
    fields: order.fields.map(kindOf),
    prefix: prefix.steps,
    categories: TRX_CATEGORIES.map((c) => printedCategory(c, prefix.category)),
    suffix: prefix.suffix,
    slots: TRX_SLOTS,
    nums: TRX_NUMS,
    mask: logTimeMask,
  };
}
