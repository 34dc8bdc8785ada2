import { Counter, SmallIntCounts } from '../aggregate/counter.js';
import type { OcspStats } from '../aggregate/ocsp.js';

/** One request of the transaction log, by interned ids (NO_ID-free: -1 means absent). */
export interface RequestIds {
  status: number;
  client: number;
  certIds: number;
  replyTime: number;
  processTime: number;
  hour: number;
  /** Index of the request's month (see monthIndex), -1 when unreadable. */
  month: number;
  /** Interned ids, -1 when unset ("0") or not logged. */
  issuer: number;
  requestor: number;
}

const bump = (list: number[], i: number, n = 1): void => {
  while (list.length <= i) list.push(0);
  list[i] = list[i]! + n;
};

/**
 * Counts a range's interior requests by interned ids and plain arrays; the string-keyed
 * counters of OcspStats are filled once, at the end, per distinct value.
 */
export class RequestCounts {
  private requests = 0;
  private certIds = 0;
  private readonly byStatus = new SmallIntCounts();
  private readonly clientRequests: number[] = [];
  private readonly clientCertIds: number[] = [];
  private readonly issuerRequests: number[] = [];
  private readonly requestorRequests: number[] = [];
  /** Keyed client id × 65536 + month index: [requests, cert IDs]. */
  private readonly charging = new Map<number, [number, number]>();
  private readonly hours = new Counter<number>();
  // Logs run in time order: the current hour is counted in a plain field.
  private hour = -1;
  private hourRequests = 0;

  add(r: RequestIds, stats: OcspStats): void {
    this.requests++;
    this.certIds += r.certIds;
    this.byStatus.add(r.status);
    if (r.client >= 0) {
      bump(this.clientRequests, r.client);
      bump(this.clientCertIds, r.client, r.certIds);
    }
    if (r.issuer >= 0) bump(this.issuerRequests, r.issuer);
    if (r.requestor >= 0) bump(this.requestorRequests, r.requestor);
    const key = (r.client + 1) * 65536 + (r.month + 1);
    const charge = this.charging.get(key);
    if (charge) {
      charge[0]++;
      charge[1] += r.certIds;
    } else {
      this.charging.set(key, [1, r.certIds]);
    }
    if (r.hour >= 0) {
      if (r.hour !== this.hour) this.flushHour(r.hour);
      this.hourRequests++;
    }
    if (!Number.isNaN(r.replyTime)) stats.replyTime.record(r.replyTime);
    if (!Number.isNaN(r.processTime)) stats.processTime.record(r.processTime);
  }

  private flushHour(next: number): void {
    if (this.hourRequests > 0) this.hours.add(this.hour, this.hourRequests);
    this.hour = next;
    this.hourRequests = 0;
  }

  /** Adds the counts to `stats`, naming ids with `text` (client and issuer/requestor values) and `months`. */
  finish(stats: OcspStats, clients: readonly string[], issuers: readonly string[], requestors: readonly string[], months: readonly string[]): void {
    this.flushHour(-1);
    stats.requests += this.requests;
    stats.certIds += this.certIds;
    this.byStatus.drainInto(stats.byStatus);
    stats.hourRequests.merge(this.hours);
    this.clientRequests.forEach((n, id) => n > 0 && stats.clientRequests.add(clients[id]!, n));
    this.clientCertIds.forEach((n, id) => this.clientRequests[id]! > 0 && stats.clientCertIds.add(clients[id]!, n));
    this.issuerRequests.forEach((n, id) => n > 0 && stats.issuerRequests.add(issuers[id]!, n));
    this.requestorRequests.forEach((n, id) => n > 0 && stats.requestors.add(requestors[id]!, n));
    for (const [key, [requests, certIds]] of this.charging) {
      const client = Math.floor(key / 65536) - 1;
      const month = (key % 65536) - 1;
      const name = `${client >= 0 ? clients[client]! : ''}\u0000${month >= 0 ? months[month]! : 'unknown'}`;
      stats.chargingRequests.add(name, requests);
      stats.chargingCertIds.add(name, certIds);
    }
  }
}
