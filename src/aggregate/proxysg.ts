import { Counter } from './counter.js';
import { DistinctCount } from './distinct.js';
import { SortedCounter } from './sorted-counter.js';

/** What the snapshot keeps about a host that presented at least one invalid certificate. */
export class ErrorHost {
  readonly errors = new Counter<string>();
  clients = new DistinctCount();
  readonly categories = new Counter<string>();
  readonly filterResults = new Counter<string>();
  /** Highest numeric threat risk seen on its error records (cs- or certificate-hostname), -1 if none. */
  maxThreatRisk = -1;
  /** Epoch seconds of its first and last error record with a valid time; -1 when none. */
  firstSeen = -1;
  lastSeen = -1;

  seen(epochSeconds: number): void {
    if (epochSeconds < 0) return;
    if (this.firstSeen < 0 || epochSeconds < this.firstSeen) this.firstSeen = epochSeconds;
    if (epochSeconds > this.lastSeen) this.lastSeen = epochSeconds;
  }

  merge(other: ErrorHost): this {
    this.errors.merge(other.errors);
    this.clients.merge(other.clients);
    this.categories.merge(other.categories);
    this.filterResults.merge(other.filterResults);
    this.maxThreatRisk = Math.max(this.maxThreatRisk, other.maxThreatRisk);
    if (other.firstSeen >= 0) this.seen(other.firstSeen);
    if (other.lastSeen >= 0) this.seen(other.lastSeen);
    return this;
  }
}

/**
 * The ProxySG aggregates. Every field is a sum, a max/min, a union or a sketch, so merging the
 * parts of an input gives exactly the aggregate of the whole. String keys are latin1 byte strings.
 */
export class ProxySgStats {
  requests = 0;
  requestsWithCertErrors = 0;
  /** Records whose date/time could not be read; counted everywhere but the timeline. */
  recordsWithoutTime = 0;
  readonly certErrors = new Counter<string>();
  /** Hosts and clients run to millions: sorted byte keys, not Maps. */
  readonly hostRequests = new SortedCounter();
  readonly hostErrorRequests = new SortedCounter();
  readonly errorHosts = new Map<string, ErrorHost>();
  readonly clientRequests = new SortedCounter();
  readonly clientErrorRequests = new SortedCounter();
  readonly categoryRequests = new Counter<string>();
  readonly categoryErrorRequests = new Counter<string>();
  readonly cipherStrength = new Counter<string>();
  readonly filterResult = new Counter<string>();
  readonly action = new Counter<string>();
  readonly exception = new Counter<string>();
  readonly threatRisk = new Counter<string>();
  readonly ocspErrors = new Counter<string>();
  /** Keyed by hours since the epoch (UTC). */
  readonly hourRequests = new Counter<number>();
  readonly hourErrorRequests = new Counter<number>();

  errorHost(host: string): ErrorHost {
    let h = this.errorHosts.get(host);
    if (!h) {
      h = new ErrorHost();
      this.errorHosts.set(host, h);
    }
    return h;
  }

  merge(other: ProxySgStats): this {
    this.requests += other.requests;
    this.requestsWithCertErrors += other.requestsWithCertErrors;
    this.recordsWithoutTime += other.recordsWithoutTime;
    for (const key of COUNTERS) this[key].merge(other[key]);
    for (const key of SORTED_COUNTERS) this[key].merge(other[key]);
    this.hourRequests.merge(other.hourRequests);
    this.hourErrorRequests.merge(other.hourErrorRequests);
    for (const [host, h] of other.errorHosts) this.errorHost(host).merge(h);
    return this;
  }
}

/** The string-keyed counters kept in Maps (few keys). */
export const COUNTERS = [
  'certErrors',
  'categoryRequests',
  'categoryErrorRequests',
  'cipherStrength',
  'filterResult',
  'action',
  'exception',
  'threatRisk',
  'ocspErrors',
] as const satisfies readonly (keyof ProxySgStats)[];

/** The string-keyed counters kept as sorted keys (millions of keys). */
export const SORTED_COUNTERS = ['hostRequests', 'hostErrorRequests', 'clientRequests', 'clientErrorRequests'] as const satisfies readonly (keyof ProxySgStats)[];
