import { compareKeys, Counter } from './counter.js';
import { LatencyStats } from './latency.js';

/** What is counted once per request (distinct SESSION_ID + LOG_ID). */
export interface RequestFacts {
  status: number;
  client: string;
  /** NUM_CERT_ID, 0 when not logged. */
  certIds: number;
  replyTime: number;
  /** NaN when PROCESS_TIME is not logged. */
  processTime: number;
  /** Hours since the epoch of LOG_TIME (UTC), -1 when unreadable. */
  hour: number;
  /** "YYYY-MM" of LOG_TIME (UTC), "unknown" when unreadable. */
  month: string;
  /** ISSUER_NAME_DN, '' when unset ("0") or not logged. */
  issuer: string;
  /** REQ_NAME of a signed request, '' when unset. */
  requestor: string;
}

/**
 * How surely an edge's row is its request's first (higher is surer). A request's rows are
 * consecutive, so of the ranges holding it, the first is the one it ends, or one where it began
 * after an earlier request.
 */
export const EdgePlace = {
  /** The range's first request, which goes on past it: it may have begun before the range. */
  RangeStart: 0,
  /** The range's first and last request: it began here unless the range starts in its middle. */
  RangeEnd: 1,
  /** The range's last request, after an earlier one: its first row is here. */
  Began: 2,
} as const;
export type EdgePlace = (typeof EdgePlace)[keyof typeof EdgePlace];

/** A place read from a snapshot; a value this version does not know counts as the least sure. */
export function edgePlace(n: number): EdgePlace {
  return n === EdgePlace.RangeEnd || n === EdgePlace.Began ? n : EdgePlace.RangeStart;
}

/**
 * A request at the start or end of a range, which may continue in the neighbouring range, with
 * where its facts were read: the first of its rows that the range holds.
 */
export interface EdgeFacts extends RequestFacts {
  /** The file, and that row's byte offset in it (decompressed, for gzip). */
  path: string;
  offset: number;
  place: EdgePlace;
}

/**
 * The order in which the edges of one request are preferred, so that the facts of its first row
 * win: the surer place, then the earlier row of a file. Entries of snapshots written before
 * places were kept (no path) come last. A total order, so merging parts in any order keeps the
 * same edge; entries that tie up to the facts are the same row read twice.
 */
export function compareEdges(a: EdgeFacts, b: EdgeFacts): number {
  if (a.place !== b.place) return b.place - a.place;
  if ((a.path === '') !== (b.path === '')) return a.path === '' ? 1 : -1;
  return compareKeys(a.path, b.path) || a.offset - b.offset || compareKeys(factsKey(a), factsKey(b));
}

const factsKey = (f: RequestFacts): string =>
  JSON.stringify([f.status, f.client, f.certIds, f.replyTime, String(f.processTime), f.hour, f.month, f.issuer, f.requestor]);

/** Key of a request: SESSION_ID and LOG_ID. */
export const requestKey = (sessionId: string, logId: number): string => `${sessionId}:${logId}`;

/**
 * EJBCA transaction-log aggregates. Row counts are exact sums. Request counts are exact too: a
 * range's first and last requests may continue in the neighbouring range (or rotated file), so
 * they are kept as "edge" requests keyed by (SESSION_ID, LOG_ID), deduplicated on merge (see
 * compareEdges), and counted when the report is made.
 */
export class OcspStats {
  /** Well-formed rows. */
  lines = 0;
  /** Prefixed lines of other loggers in the same files: not records. */
  otherLoggerLines = 0;
  /** Whether the order logged PROCESS_TIME / REV_REASON (sections absent otherwise). */
  hasProcessTime = false;
  hasRevReason = false;
  readonly byCertStatus = new Counter<number>();
  readonly byRevocationReason = new Counter<number>();
  // Interior requests, counted once each:
  requests = 0;
  certIds = 0;
  readonly byStatus = new Counter<number>();
  readonly clientRequests = new Counter<string>();
  readonly clientCertIds = new Counter<string>();
  readonly issuerRequests = new Counter<string>();
  readonly requestors = new Counter<string>();
  readonly hourRequests = new Counter<number>();
  /** Keyed "client\u0000YYYY-MM". */
  readonly chargingRequests = new Counter<string>();
  readonly chargingCertIds = new Counter<string>();
  readonly replyTime = new LatencyStats();
  readonly processTime = new LatencyStats();
  readonly edges = new Map<string, EdgeFacts>();

  countRequest(r: RequestFacts): void {
    this.requests++;
    this.certIds += r.certIds;
    this.byStatus.add(r.status);
    if (r.client) {
      this.clientRequests.add(r.client);
      this.clientCertIds.add(r.client, r.certIds);
    }
    if (r.issuer) this.issuerRequests.add(r.issuer);
    if (r.requestor) this.requestors.add(r.requestor);
    if (r.hour >= 0) this.hourRequests.add(r.hour);
    const charge = `${r.client}\u0000${r.month}`;
    this.chargingRequests.add(charge);
    this.chargingCertIds.add(charge, r.certIds);
    if (!Number.isNaN(r.replyTime)) this.replyTime.record(r.replyTime);
    if (!Number.isNaN(r.processTime)) this.processTime.record(r.processTime);
  }

  merge(other: OcspStats): this {
    this.lines += other.lines;
    this.otherLoggerLines += other.otherLoggerLines;
    this.hasProcessTime ||= other.hasProcessTime;
    this.hasRevReason ||= other.hasRevReason;
    this.byCertStatus.merge(other.byCertStatus);
    this.byRevocationReason.merge(other.byRevocationReason);
    this.requests += other.requests;
    this.certIds += other.certIds;
    this.byStatus.merge(other.byStatus);
    this.clientRequests.merge(other.clientRequests);
    this.clientCertIds.merge(other.clientCertIds);
    this.issuerRequests.merge(other.issuerRequests);
    this.requestors.merge(other.requestors);
    this.hourRequests.merge(other.hourRequests);
    this.chargingRequests.merge(other.chargingRequests);
    this.chargingCertIds.merge(other.chargingCertIds);
    this.replyTime.merge(other.replyTime);
    this.processTime.merge(other.processTime);
    for (const [key, facts] of other.edges) this.addEdge(key, facts);
    return this;
  }

  /** An edge request; of one request's entries, the first in compareEdges order is kept. */
  addEdge(key: string, facts: EdgeFacts): void {
    const kept = this.edges.get(key);
    if (kept === undefined || compareEdges(facts, kept) < 0) this.edges.set(key, facts);
  }

  /** A copy with the edge requests counted in: what reports show. */
  settled(): OcspStats {
    const copy = new OcspStats().merge(this);
    for (const facts of copy.edges.values()) copy.countRequest(facts);
    copy.edges.clear();
    return copy;
  }
}
