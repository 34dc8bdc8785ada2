import { Dictionary } from './dictionary.js';
import { hash64 } from './hash.js';

/**
 * Reconciliation of transaction rows and audit records by (SESSION_ID, LOG_ID), compact enough
 * for tens of millions of requests: no object per request, only typed columns. SESSION_IDs are
 * few (one per responder start), so a key is (index into a small session table, LOG_ID).
 */

/** A CertID as a 32-bit digest of hash algorithm, issuer name hash, issuer key hash and serial. */
export function certIdDigest(hashAlgorithm: string, issuerNameHash: string, issuerKeyHash: string, serial: string): number {
  return hash64(`${hashAlgorithm}|${issuerNameHash.toLowerCase()}|${issuerKeyHash.toLowerCase()}|${serial.toLowerCase()}`)[0];
}

/** A growable typed column. */
class Column<T extends Int32Array | Uint32Array | Int8Array> {
  length = 0;
  /** The values stored as they are; a typed array would wrap the others. */
  private readonly min: number;
  private readonly max: number;

  constructor(private data: T, private readonly make: (n: number) => T) {
    const bits = data.BYTES_PER_ELEMENT * 8;
    const signed = !(data instanceof Uint32Array);
    this.min = signed ? -(2 ** (bits - 1)) : 0;
    this.max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  }

  /**
   * Appends `v`, held at the column's nearest end when past it rather than wrapped: only a
   * forged log has such a value (EJBCA's LOG_ID is a Java int, its statuses are small), and a
   * STATUS of 300 must not pass for 44.
   */
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v < this.min ? this.min : v > this.max ? this.max : v;
  }
  get(i: number): number {
    return this.data[i]!;
  }
  /** Whether `v` is stored as it is. */
  fits(v: number): boolean {
    return Number.isInteger(v) && v >= this.min && v <= this.max;
  }
  /** Appends many values at once (a merge), mapping each through `map` when given. */
  append(values: ArrayLike<number>, map?: (v: number) => number): void {
    const need = this.length + values.length;
    if (need > this.data.length) {
      const bigger = this.make(Math.max(need, this.data.length * 2));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    for (let i = 0; i < values.length; i++) this.data[this.length + i] = map ? map(values[i]!) : values[i]!;
    this.length = need;
  }
  values(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const i32 = (n: number) => new Int32Array(n);
const u32 = (n: number) => new Uint32Array(n);
const i8 = (n: number) => new Int8Array(n);

/** One side's entries: a row (trx) or a certificate answer (audit) per entry, keyed by request. */
export class ReconcileSide {
  private readonly sessionIds = new Dictionary();
  readonly session = new Column(u32(0), u32);
  readonly logId = new Column(i32(0), i32);
  /** trx STATUS, or the audit record's STATUS. */
  readonly status = new Column(i8(0), i8);
  /** Audit only: the decoded responseStatus, -1 when undecodable. */
  readonly responseStatus = new Column(i8(0), i8);
  /** CertID digest (0: none), its certificate status (-1: none) and revocation reason (-1: none). */
  readonly certId = new Column(u32(0), u32);
  readonly certStatus = new Column(i8(0), i8);
  readonly reason = new Column(i8(0), i8);

  get size(): number {
    return this.session.length;
  }

  /** The SESSION_IDs the entries' `session` column numbers. */
  get sessions(): readonly string[] {
    return this.sessionIds.names;
  }

  private sessionOf(sessionId: string): number {
    return this.sessionIds.id(sessionId);
  }

  add(e: { sessionId: string; logId: number; status: number; responseStatus?: number; certId?: number; certStatus?: number; reason?: number }): void {
    this.session.push(this.sessionOf(e.sessionId));
    this.logId.push(e.logId);
    this.status.push(e.status);
    this.responseStatus.push(e.responseStatus ?? -1);
    this.certId.push(e.certId ?? 0);
    this.certStatus.push(e.certStatus ?? -1);
    this.reason.push(e.reason ?? -1);
  }

  merge(other: ReconcileSide): this {
    const sessionMap = other.sessions.map((s) => this.sessionOf(s));
    this.session.append(other.session.values(), (s) => sessionMap[s]!);
    this.logId.append(other.logId.values());
    this.status.append(other.status.values());
    this.responseStatus.append(other.responseStatus.values());
    this.certId.append(other.certId.values());
    this.certStatus.append(other.certStatus.values());
    this.reason.append(other.reason.values());
    return this;
  }

  /** A side from its columns (decoding a snapshot). */
  static fromColumns(sessions: string[], columns: Record<'session' | 'logId' | 'status' | 'responseStatus' | 'certId' | 'certStatus' | 'reason', ArrayLike<number>>): ReconcileSide {
    const lengths = Object.values(columns).map((c) => c.length);
    if (lengths.some((n) => n !== lengths[0])) throw new RangeError('reconcile columns differ in length');
    for (let i = 0; i < columns.session.length; i++) {
      if (columns.session[i]! >= sessions.length) throw new RangeError('reconcile entry names an unknown session');
    }
    const other = new ReconcileSide();
    // Each value must fit its column as it is: a status of 300 would be stored as 44.
    for (const name of ['logId', 'status', 'responseStatus', 'certId', 'certStatus', 'reason'] as const) {
      const column = other[name];
      for (let i = 0; i < columns[name].length; i++) {
        if (!column.fits(columns[name][i]!)) throw new RangeError(`reconcile ${name} ${columns[name][i]} out of range`);
      }
    }
    sessions.forEach((s) => other.sessionOf(s));
    other.session.append(columns.session);
    other.logId.append(columns.logId);
    other.status.append(columns.status);
    other.responseStatus.append(columns.responseStatus);
    other.certId.append(columns.certId);
    other.certStatus.append(columns.certStatus);
    other.reason.append(columns.reason);
    return other;
  }
}

export interface ReconcileResult {
  matched: number;
  mismatched: number;
  trxOnly: number;
  auditOnly: number;
  samples: { sessionId: string; logId: number; problem: string }[];
}

export const RECONCILE_SAMPLES = 20;
const CERT_STATUS = ['good', 'revoked', 'unknown'];

/**
 * Sort keys of a side's entries: the session's rank among all sessions (by text) times 2^32,
 * plus LOG_ID + 2^31. Exact in a double; both sides use the same ranks so keys compare. The
 * entries of one request are ordered by what they hold, not by where they were read: a
 * request's rows can come from two parts merged in either order, and the first row that
 * disagrees names the problem.
 */
function sortedKeys(side: ReconcileSide, rankOf: Map<string, number>): { perm: Uint32Array; keys: Float64Array } {
  const rank = side.sessions.map((s) => rankOf.get(s)!);
  const keys = new Float64Array(side.size);
  for (let i = 0; i < side.size; i++) keys[i] = rank[side.session.get(i)]! * 2 ** 32 + (side.logId.get(i) + 2 ** 31);
  const perm = new Uint32Array(side.size);
  for (let i = 0; i < perm.length; i++) perm[i] = i;
  const { certId, certStatus, reason, status, responseStatus } = side;
  perm.sort((a, b) => keys[a]! - keys[b]! || certId.get(a) - certId.get(b) || certStatus.get(a) - certStatus.get(b) ||
    reason.get(a) - reason.get(b) || status.get(a) - status.get(b) || responseStatus.get(a) - responseStatus.get(b) || a - b);
  return { perm, keys };
}

/** Joins the two sides by request and compares them as the contract says. */
export function reconcile(trx: ReconcileSide, audit: ReconcileSide): ReconcileResult {
  const sessions = [...new Set([...trx.sessions, ...audit.sessions])].sort();
  const rankOf = new Map(sessions.map((s, r) => [s, r]));
  const t = sortedKeys(trx, rankOf);
  const a = sortedKeys(audit, rankOf);
  const result: ReconcileResult = { matched: 0, mismatched: 0, trxOnly: 0, auditOnly: 0, samples: [] };
  const groupEnd = (o: typeof t, from: number): number => {
    const key = o.keys[o.perm[from]!]!;
    let to = from + 1;
    while (to < o.perm.length && o.keys[o.perm[to]!] === key) to++;
    return to;
  };
  let i = 0;
  let j = 0;
  while (i < trx.size || j < audit.size) {
    const c = i >= trx.size ? 1 : j >= audit.size ? -1 : t.keys[t.perm[i]!]! - a.keys[a.perm[j]!]!;
    if (c < 0) {
      result.trxOnly++;
      i = groupEnd(t, i);
    } else if (c > 0) {
      result.auditOnly++;
      j = groupEnd(a, j);
    } else {
      const iEnd = groupEnd(t, i);
      const jEnd = groupEnd(a, j);
      const problem = compare(trx, t.perm.subarray(i, iEnd), audit, a.perm.subarray(j, jEnd));
      if (problem === undefined) {
        result.matched++;
      } else {
        result.mismatched++;
        if (result.samples.length < RECONCILE_SAMPLES) {
          const first = t.perm[i]!;
          result.samples.push({ sessionId: trx.sessions[trx.session.get(first)]!, logId: trx.logId.get(first), problem });
        }
      }
      i = iEnd;
      j = jEnd;
    }
  }
  return result;
}

/** Why one request's trx rows and audit answers disagree, or undefined when they agree. */
function compare(trx: ReconcileSide, rows: Uint32Array, audit: ReconcileSide, answers: Uint32Array): string | undefined {
  const trxStatus = trx.status.get(rows[0]!);
  const first = answers[0]!;
  const auditStatus = audit.status.get(first);
  if (auditStatus !== trxStatus) return `status: trx ${trxStatus}, audit ${auditStatus}`;
  const responseStatus = audit.responseStatus.get(first);
  if (responseStatus < 0) return undefined; // undecodable: compared on STATUS only
  if (responseStatus !== trxStatus) return `response status: trx ${trxStatus}, response ${responseStatus}`;
  if (trxStatus !== 0) return undefined;
  for (const r of rows) {
    const certId = trx.certId.get(r);
    if (certId === 0) continue; // a row without a CertID (not logged)
    let found = -1;
    for (const s of answers) if (audit.certId.get(s) === certId) found = s;
    if (found < 0) return 'serial: the trx CertID is not among the response\'s SingleResponses';
    const want = trx.certStatus.get(r);
    const got = audit.certStatus.get(found);
    // The contract compares statuses only: two revocation reasons for one revoked certificate
    // are not a mismatch.
    if (want >= 0 && want !== got) return `cert status: trx ${CERT_STATUS[want] ?? want}, response ${CERT_STATUS[got] ?? got}`;
  }
  return undefined;
}
