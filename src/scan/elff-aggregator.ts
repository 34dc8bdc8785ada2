import { Counter } from '../aggregate/counter.js';
import { DistinctCount } from '../aggregate/distinct.js';
import { ErrorHost, ProxySgStats } from '../aggregate/proxysg.js';
import { NO_ID, type Interner } from '../native/types.js';
import { SLOT_COUNT, Slot } from '../formats/elff/schema.js';
import { asciiLower, categoryList, certErrorTokens, threatRiskLevel } from '../formats/elff/values.js';
import { DAY_BIAS } from '../formats/elff/time.js';

/** Slots counted by their raw value, exactly as logged. */
const RAW_COUNTED = [
  Slot.CipherStrength,
  Slot.FilterResult,
  Slot.Action,
  Slot.ThreatRisk,
  Slot.ExceptionId,
  Slot.ClientOcspError,
  Slot.ServerOcspError,
] as const;

const EMPTY: readonly number[] = [];

/** Per error host, by dense indices; turned into an ErrorHost at the end. */
interface ErrorHostAcc {
  errors: Map<number, number>;
  clients: Set<number>;
  categories: Map<number, number>;
  filterResults: Map<number, number>;
  maxThreatRisk: number;
  firstSeen: number;
  lastSeen: number;
}

/** Maps normalised strings to dense indices, once per distinct raw value. */
class Dictionary {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  id(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Aggregates tokenized ELFF records given as interned ids. The per-record path touches only
 * integer arrays; anything derived from a value's text is computed once per distinct value.
 */
export class ElffAggregator {
  /** values[slot][id]: the interned text (latin1). */
  private readonly values: string[][] = Array.from({ length: SLOT_COUNT }, () => []);
  private readonly rawCounts: number[][] = Array.from({ length: SLOT_COUNT }, () => []);

  private readonly hosts = new Dictionary();
  private readonly hostOfRaw: number[] = [];
  private readonly hostReq: number[] = [];
  private readonly hostErr: number[] = [];

  private readonly tokens = new Dictionary();
  private readonly tokensOfRaw: (readonly number[])[] = [];
  private readonly certErr: number[] = [];

  private readonly categories = new Dictionary();
  private readonly categoriesOfRaw: (readonly number[])[] = [];
  private readonly catReq: number[] = [];
  private readonly catErr: number[] = [];

  private readonly clientErr: number[] = [];
  private readonly riskOfRaw: number[][] = [[], []];

  private readonly hourReq = new Counter<number>();
  private readonly hourErr = new Counter<number>();
  // Logs run in time order: counts of the current hour are kept in plain fields, flushed on change.
  private hour = -1;
  private hourRequests = 0;
  private hourErrors = 0;
  private readonly errorHosts = new Map<number, ErrorHostAcc>();

  requests = 0;
  requestsWithCertErrors = 0;
  recordsWithoutTime = 0;

  constructor(private readonly interner: Interner) {}

  /** Picks up values interned since the last call; must run before `add` sees their ids. */
  sync(): void {
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const known = this.values[slot]!;
      const size = this.interner.size(slot);
      if (size === known.length) continue;
      for (const value of this.interner.values(slot, known.length)) {
        known.push(value);
        this.rawCounts[slot]!.push(0);
        this.derive(slot, value);
      }
    }
  }

  private derive(slot: number, value: string): void {
    switch (slot) {
      case Slot.Host: {
        const h = this.hosts.id(asciiLower(value));
        this.hostOfRaw.push(h);
        while (this.hostReq.length <= h) this.hostReq.push(0), this.hostErr.push(0);
        break;
      }
      case Slot.CertErrors: {
        const ids = certErrorTokens(value).map((t) => this.tokens.id(t));
        this.tokensOfRaw.push(ids.length ? ids : EMPTY);
        while (this.certErr.length < this.tokens.names.length) this.certErr.push(0);
        break;
      }
      case Slot.Categories: {
        this.categoriesOfRaw.push(categoryList(value).map((c) => this.categories.id(c)));
        while (this.catReq.length < this.categories.names.length) this.catReq.push(0), this.catErr.push(0);
        break;
      }
      case Slot.ClientIp:
        this.clientErr.push(0);
        break;
      case Slot.ThreatRisk:
        this.riskOfRaw[0]!.push(threatRiskLevel(value));
        break;
      case Slot.CertHostnameThreatRisk:
        this.riskOfRaw[1]!.push(threatRiskLevel(value));
        break;
    }
  }

  /** Counts one well-formed record whose slot ids start at ids[base]. */
  add(ids: Uint32Array, base: number): void {
    this.requests++;
    const errRaw = ids[base + Slot.CertErrors]!;
    const toks = errRaw === NO_ID ? EMPTY : this.tokensOfRaw[errRaw]!;
    const isErr = toks.length > 0;
    if (isErr) {
      this.requestsWithCertErrors++;
      for (const t of toks) this.certErr[t]!++;
    }
    const hostRaw = ids[base + Slot.Host]!;
    const host = hostRaw === NO_ID ? -1 : this.hostOfRaw[hostRaw]!;
    if (host >= 0) {
      this.hostReq[host]!++;
      if (isErr) this.hostErr[host]!++;
    }
    const client = ids[base + Slot.ClientIp]!;
    if (client !== NO_ID) {
      this.rawCounts[Slot.ClientIp]![client]!++;
      if (isErr) this.clientErr[client]!++;
    }
    const catRaw = ids[base + Slot.Categories]!;
    const cats = catRaw === NO_ID ? EMPTY : this.categoriesOfRaw[catRaw]!;
    for (const c of cats) {
      this.catReq[c]!++;
      if (isErr) this.catErr[c]!++;
    }
    for (const slot of RAW_COUNTED) {
      const id = ids[base + slot]!;
      if (id !== NO_ID) this.rawCounts[slot]![id]!++;
    }
    // The kernel parsed date and time into integers (NO_ID when absent or invalid).
    const day = ids[base + Slot.Date]!;
    const time = ids[base + Slot.Time]!;
    const seconds = day === NO_ID || time === NO_ID ? NaN : (day - DAY_BIAS) * 86_400 + time;
    if (Number.isNaN(seconds)) {
      this.recordsWithoutTime++;
    } else {
      const hour = Math.floor(seconds / 3600);
      if (hour !== this.hour) this.flushHour(hour);
      this.hourRequests++;
      if (isErr) this.hourErrors++;
    }
    if (isErr && host >= 0) this.addErrorHost(host, toks, client, cats, ids, base, Number.isNaN(seconds) ? -1 : seconds);
  }

  private addErrorHost(
    host: number, toks: readonly number[], client: number, cats: readonly number[], ids: Uint32Array, base: number, seconds: number,
  ): void {
    let acc = this.errorHosts.get(host);
    if (!acc) {
      acc = { errors: new Map(), clients: new Set(), categories: new Map(), filterResults: new Map(), maxThreatRisk: -1, firstSeen: -1, lastSeen: -1 };
      this.errorHosts.set(host, acc);
    }
    for (const t of toks) bump(acc.errors, t);
    if (client !== NO_ID) acc.clients.add(client);
    for (const c of cats) bump(acc.categories, c);
    const filter = ids[base + Slot.FilterResult]!;
    if (filter !== NO_ID) bump(acc.filterResults, filter);
    const risk = ids[base + Slot.ThreatRisk]!;
    const certRisk = ids[base + Slot.CertHostnameThreatRisk]!;
    if (risk !== NO_ID) acc.maxThreatRisk = Math.max(acc.maxThreatRisk, this.riskOfRaw[0]![risk]!);
    if (certRisk !== NO_ID) acc.maxThreatRisk = Math.max(acc.maxThreatRisk, this.riskOfRaw[1]![certRisk]!);
    if (seconds >= 0) {
      if (acc.firstSeen < 0 || seconds < acc.firstSeen) acc.firstSeen = seconds;
      if (seconds > acc.lastSeen) acc.lastSeen = seconds;
    }
  }

  private flushHour(next: number): void {
    if (this.hourRequests > 0) this.hourReq.add(this.hour, this.hourRequests);
    if (this.hourErrors > 0) this.hourErr.add(this.hour, this.hourErrors);
    this.hour = next;
    this.hourRequests = 0;
    this.hourErrors = 0;
  }

  /** The string-keyed, mergeable result. */
  finish(): ProxySgStats {
    this.flushHour(-1);
    const p = new ProxySgStats();
    p.requests = this.requests;
    p.requestsWithCertErrors = this.requestsWithCertErrors;
    p.recordsWithoutTime = this.recordsWithoutTime;
    addAll(p.certErrors, this.tokens.names, this.certErr);
    addAll(p.hostRequests, this.hosts.names, this.hostReq);
    addAll(p.hostErrorRequests, this.hosts.names, this.hostErr);
    addAll(p.categoryRequests, this.categories.names, this.catReq);
    addAll(p.categoryErrorRequests, this.categories.names, this.catErr);
    const v = this.values;
    const counts = this.rawCounts;
    addAll(p.clientRequests, v[Slot.ClientIp]!, counts[Slot.ClientIp]!);
    addAll(p.clientErrorRequests, v[Slot.ClientIp]!, this.clientErr);
    addAll(p.cipherStrength, v[Slot.CipherStrength]!, counts[Slot.CipherStrength]!);
    addAll(p.filterResult, v[Slot.FilterResult]!, counts[Slot.FilterResult]!);
    addAll(p.action, v[Slot.Action]!, counts[Slot.Action]!);
    addAll(p.threatRisk, v[Slot.ThreatRisk]!, counts[Slot.ThreatRisk]!);
    addAll(p.exception, v[Slot.ExceptionId]!, counts[Slot.ExceptionId]!, '-');
    addAll(p.ocspErrors, v[Slot.ClientOcspError]!, counts[Slot.ClientOcspError]!, '-');
    addAll(p.ocspErrors, v[Slot.ServerOcspError]!, counts[Slot.ServerOcspError]!, '-');
    p.hourRequests.merge(this.hourReq);
    p.hourErrorRequests.merge(this.hourErr);
    for (const [host, acc] of this.errorHosts) {
      const h = new ErrorHost();
      for (const [t, n] of acc.errors) h.errors.add(this.tokens.names[t]!, n);
      h.clients = DistinctCount.fromParts([...acc.clients].map((c) => v[Slot.ClientIp]![c]!));
      for (const [c, n] of acc.categories) h.categories.add(this.categories.names[c]!, n);
      for (const [f, n] of acc.filterResults) h.filterResults.add(v[Slot.FilterResult]![f]!, n);
      h.maxThreatRisk = acc.maxThreatRisk;
      h.firstSeen = acc.firstSeen;
      h.lastSeen = acc.lastSeen;
      p.errorHosts.set(this.hosts.names[host]!, h);
    }
    return p;
  }
}

function addAll(into: Counter<string>, names: readonly string[], counts: readonly number[], skip?: string): void {
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && names[i] !== skip) into.add(names[i]!, n);
  }
}
