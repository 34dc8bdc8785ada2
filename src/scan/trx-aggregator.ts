import { EdgePlace, OcspStats, requestKey, type EdgeFacts } from '../aggregate/ocsp.js';
import { TRX_SLOTS, TrxNum, TrxSlot } from '../formats/ejbca/trx-schema.js';
import { NO_ID, type Interner } from '../native/types.js';
import { certIdDigest, ReconcileSide } from '../aggregate/reconcile.js';
import { RequestCounts, type RequestIds } from './trx-request-counts.js';
import { SmallIntCounts } from '../aggregate/counter.js';
import { SequenceSet } from '../aggregate/sequence-set.js';
import { Dictionary } from '../aggregate/dictionary.js';

/**
 * Aggregates transaction-log rows given as interned ids and parsed integers. The rows of one
 * request (6.x writes one per CertID) are consecutive, one log event; a request is counted when
 * its last row has been seen. The range's first and last requests become edge requests.
 */
export class TrxAggregator {
  readonly stats = new OcspStats();
  private readonly values: string[][] = Array.from({ length: TRX_SLOTS }, () => []);
  private readonly hourOf: number[] = [];
  /** Month index of each LOG_TIME id (-1: unreadable), into `months.names`. */
  private readonly monthOf: number[] = [];
  private readonly months = new Dictionary();
  private readonly counts = new RequestCounts();
  /** The open request (when `open`), and the byte offset of its first row in this range; one object, refilled per request. */
  private readonly current: OpenRequest = { session: 0, logId: 0, offset: 0, request: { status: 0, client: -1, certIds: 0, replyTime: 0, processTime: 0, hour: -1, month: -1, issuer: -1, requestor: -1 } };
  private open = false;
  /** Rows of successful requests by CERT_STATUS and, revoked, by REV_REASON; into `stats` at the end. */
  private readonly certStatuses = new SmallIntCounts();
  private readonly revocationReasons = new SmallIntCounts();
  private sawFirst = false;
  /** Requests (session group, LOG_ID) counted in this range, so a key seen again later is not counted twice. */
  private counted = new SequenceSet();
  private firstKey = Number.NaN;

  /** Every row, keyed by request, when the run also reads audit logs. */
  readonly reconcile: ReconcileSide | undefined;

  constructor(
    /** The file, named in edge requests. */
    private path: string,
    private readonly interner: Interner,
    private readonly parseLogTime: (text: string) => number,
    fields: readonly string[],
    reconcile = false,
  ) {
    this.reconcile = reconcile ? new ReconcileSide() : undefined;
    this.stats.hasProcessTime = fields.includes('PROCESS_TIME');
    this.stats.hasRevReason = fields.includes('REV_REASON');
  }

  sync(): void {
    for (let slot = 0; slot < TRX_SLOTS; slot++) {
      const known = this.values[slot]!;
      if (this.interner.size(slot) === known.length) continue;
      for (const value of this.interner.values(slot, known.length)) {
        known.push(value);
        if (slot === TrxSlot.LogTime) {
          const ms = this.parseLogTime(value);
          this.hourOf.push(Number.isNaN(ms) ? -1 : Math.floor(ms / 3_600_000));
          this.monthOf.push(Number.isNaN(ms) ? -1 : this.months.id(new Date(ms).toISOString().slice(0, 7)));
        }
      }
    }
  }

  private text(slot: number, id: number): string {
    return id === NO_ID ? '' : this.values[slot]![id]!;
  }

  /** A well-formed row; `offset` is where it starts in the file. */
  addRow(ids: Uint32Array, idBase: number, nums: Float64Array, numBase: number, offset: number): void {
    this.stats.lines++;
    const session = ids[idBase + TrxSlot.SessionId]!;
    const logId = nums[numBase + TrxNum.LogId]!;
    const status = nums[numBase + TrxNum.Status]!;
    const c = this.current;
    if (!this.open || c.session !== session || !Object.is(c.logId, logId)) {
      this.closeRequest();
      c.session = session;
      c.logId = logId;
      c.offset = offset;
      this.readRequest(c.request, ids, idBase, nums, numBase);
      this.open = true;
    }
    if (this.reconcile) this.addReconcileRow(ids, idBase, nums, numBase, session, logId, status);
    // Certificate rows count only for successful requests: error rows carry the default 0.
    if (status === 0) {
      const certStatus = nums[numBase + TrxNum.CertStatus]!;
      if (!Number.isNaN(certStatus)) this.certStatuses.add(certStatus);
      const reason = nums[numBase + TrxNum.RevReason]!;
      if (certStatus === 1 && !Number.isNaN(reason)) this.revocationReasons.add(reason);
    }
  }

  private addReconcileRow(
    ids: Uint32Array, idBase: number, nums: Float64Array, numBase: number, session: number, logId: number, status: number,
  ): void {
    const serial = this.text(TrxSlot.Serial, ids[idBase + TrxSlot.Serial]!);
    const hasCertId = serial !== '' && serial !== '0';
    const certStatus = nums[numBase + TrxNum.CertStatus]!;
    const reason = nums[numBase + TrxNum.RevReason]!;
    this.reconcile!.add({
      sessionId: this.text(TrxSlot.SessionId, session),
      logId,
      status,
      certId: hasCertId
        ? certIdDigest(
            this.text(TrxSlot.DigestAlg, ids[idBase + TrxSlot.DigestAlg]!),
            this.text(TrxSlot.IssuerNameHash, ids[idBase + TrxSlot.IssuerNameHash]!),
            this.text(TrxSlot.IssuerKeyHash, ids[idBase + TrxSlot.IssuerKeyHash]!),
            serial,
          )
        : 0,
      certStatus: Number.isNaN(certStatus) ? -1 : certStatus,
      reason: Number.isNaN(reason) || reason < 0 ? -1 : reason,
    });
  }

  /** An id, or -1 when absent or EJBCA's unset "0". */
  private setId(slot: number, id: number): number {
    return id === NO_ID || this.values[slot]![id] === '0' ? -1 : id;
  }

  /** Fills `r` with the request of this row (its first). */
  private readRequest(r: RequestIds, ids: Uint32Array, idBase: number, nums: Float64Array, numBase: number): void {
    const timeId = ids[idBase + TrxSlot.LogTime]!;
    const client = ids[idBase + TrxSlot.ClientIp]!;
    const certIds = nums[numBase + TrxNum.NumCertId]!;
    r.status = nums[numBase + TrxNum.Status]!;
    r.client = client === NO_ID ? -1 : client;
    r.certIds = certIdCount(certIds);
    r.replyTime = latencyMs(nums[numBase + TrxNum.ReplyTime]!);
    r.processTime = latencyMs(nums[numBase + TrxNum.ProcessTime]!);
    r.hour = timeId === NO_ID ? -1 : this.hourOf[timeId]!;
    r.month = timeId === NO_ID ? -1 : this.monthOf[timeId]!;
    r.issuer = this.setId(TrxSlot.IssuerDn, ids[idBase + TrxSlot.IssuerDn]!);
    r.requestor = this.setId(TrxSlot.ReqName, ids[idBase + TrxSlot.ReqName]!);
  }

  /** The request as text, for an edge request that other ranges may also hold. */
  private edge(c: OpenRequest, place: EdgePlace): EdgeFacts {
    const r = c.request;
    return {
      path: this.path,
      offset: c.offset,
      place,
      status: r.status,
      client: r.client < 0 ? '' : this.values[TrxSlot.ClientIp]![r.client]!,
      certIds: r.certIds,
      replyTime: r.replyTime,
      processTime: r.processTime,
      hour: r.hour,
      month: r.month < 0 ? 'unknown' : this.months.names[r.month]!,
      issuer: r.issuer < 0 ? '' : this.values[TrxSlot.IssuerDn]![r.issuer]!,
      requestor: r.requestor < 0 ? '' : this.values[TrxSlot.ReqName]![r.requestor]!,
    };
  }

  /** A request key as one exact number: range-local session id and LOG_ID (a Java int). */
  private numericKey(session: number, logId: number): number {
    return sessionGroup(session) * 4294967296 + (logId + 2147483648);
  }

  private closeRequest(): void {
    if (!this.open) return;
    const c = this.current;
    const key = this.numericKey(c.session, c.logId);
    if (!this.sawFirst) {
      // The range's first request may have begun in the previous range.
      this.sawFirst = true;
      this.firstKey = key;
      this.stats.addEdge(requestKey(this.text(TrxSlot.SessionId, c.session), c.logId), this.edge(c, EdgePlace.RangeStart));
    } else if (key !== this.firstKey && this.counted.add(sessionGroup(c.session), c.logId)) {
      this.counts.add(c.request, this.stats);
    }
    this.open = false;
  }

  /** Ends this range and starts another (a shared chunk) in the same tables. */
  nextRange(path: string): void {
    this.closeRange();
    this.path = path;
    this.sawFirst = false;
    this.firstKey = Number.NaN;
    this.counted = new SequenceSet();
  }

  /** The range's last request may continue in the next range, so it is an edge too. */
  private closeRange(): void {
    if (!this.open) return;
    const c = this.current;
    const key = this.numericKey(c.session, c.logId);
    // A key seen earlier in the range is that request again: its first sighting stands.
    const seen = this.sawFirst && (key === this.firstKey || this.counted.has(sessionGroup(c.session), c.logId));
    if (!seen) {
      const place = this.sawFirst ? EdgePlace.Began : EdgePlace.RangeEnd;
      this.stats.addEdge(requestKey(this.text(TrxSlot.SessionId, c.session), c.logId), this.edge(c, place));
    }
    this.open = false;
  }

  /** The result, over every range read. */
  finish(): OcspStats {
    this.closeRange();
    this.certStatuses.drainInto(this.stats.byCertStatus);
    this.revocationReasons.drainInto(this.stats.byRevocationReason);
    const v = this.values;
    this.counts.finish(this.stats, v[TrxSlot.ClientIp]!, v[TrxSlot.IssuerDn]!, v[TrxSlot.ReqName]!, this.months.names);
    return this.stats;
  }
}

/** The request being read: its key, where its first row in the range starts, and its facts. */
interface OpenRequest {
  session: number;
  logId: number;
  offset: number;
  request: RequestIds;
}

/** A range-local session id as a group number, 0 for none. */
function sessionGroup(session: number): number {
  return session === NO_ID ? 0 : session + 1;
}

/** NUM_CERT_ID, a Java int count; anything else (absent, negative, past an int) counts as EJBCA's unset 0. */
function certIdCount(n: number): number {
  return Number.isInteger(n) && n >= 0 && n <= 0x7fffffff ? n : 0;
}

/** REPLY_TIME or PROCESS_TIME in ms, or NaN when not logged: EJBCA writes -1 for a time it never set. */
function latencyMs(n: number): number {
  return n >= 0 ? n : Number.NaN;
}
