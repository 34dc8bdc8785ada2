import { Counter } from './counter.js';

/** EJBCA audit-log aggregates; every field is a sum, so merging is exact. */
export class AuditStats {
  /** Well-formed records (decoded or not). */
  records = 0;
  decoded = 0;
  /** Undecodable records by reason (bad hex, bad DER …). */
  readonly undecodable = new Counter<string>();
  readonly byResponseStatus = new Counter<string>();
  /** Every SingleResponse of the decoded responses. */
  readonly byCertStatus = new Counter<string>();
  signedRequests = 0;
  requestsWithNonce = 0;
  /** Signature checks of successful responses: valid, invalid, unverifiable (or not checked). */
  readonly signatures = new Counter<string>();
  /** Prefixed lines of other loggers in the same files (not records). */
  otherLoggerLines = 0;

  merge(other: AuditStats): this {
    this.records += other.records;
    this.decoded += other.decoded;
    this.undecodable.merge(other.undecodable);
    this.byResponseStatus.merge(other.byResponseStatus);
    this.byCertStatus.merge(other.byCertStatus);
    this.signedRequests += other.signedRequests;
    this.requestsWithNonce += other.requestsWithNonce;
    this.signatures.merge(other.signatures);
    this.otherLoggerLines += other.otherLoggerLines;
    return this;
  }
}
