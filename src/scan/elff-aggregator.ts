import type { Counter } from '../aggregate/counter.js';
import { Dictionary } from '../aggregate/dictionary.js';
import { SortedCounter } from '../aggregate/sorted-counter.js';
import { DistinctCount } from '../aggregate/distinct.js';
import { ErrorHost, ProxySgStats } from '../aggregate/proxysg.js';
import { NO_ID, type ElffTally } from '../native/types.js';
import { SLOT_COUNT, Slot } from '../formats/elff/schema.js';
import { asciiLower, categoryList, certErrorTokens, threatRiskLevel } from '../formats/elff/values.js';
import { DAY_BIAS } from '../formats/elff/time.js';

const EMPTY: readonly number[] = [];

/**
 * Counts by dense id for one error host. A host sees few distinct error tokens, categories and
 * filter results, so they are counted in a short list of (id, count) pairs searched from the
 * start: a record with certificate errors bumps several, and a Map costs a lookup and a store
 * each. Past SHORT_LIST ids (a forged field listing thousands) a Map takes over, so a host's
 * counting stays linear.
 */
class IdCounts {
  private pairs: number[] | undefined = [];
  private map: Map<number, number> | undefined;

  bump(id: number): void {
    const pairs = this.pairs;
    if (!pairs) {
      this.map!.set(id, (this.map!.get(id) ?? 0) + 1);
      return;
    }
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] === id) {
        pairs[i + 1]!++;
        return;
      }
    }
    pairs.push(id, 1);
    if (pairs.length > 2 * SHORT_LIST) {
      this.map = new Map();
      for (let i = 0; i < pairs.length; i += 2) this.map.set(pairs[i]!, pairs[i + 1]!);
      this.pairs = undefined;
    }
  }

  /** The (id, count) pairs, first-seen order. */
  *entries(): Generator<[number, number]> {
    if (this.map) return yield* this.map.entries();
    const pairs = this.pairs!;
    for (let i = 0; i < pairs.length; i += 2) yield [pairs[i]!, pairs[i + 1]!];
  }
}
const SHORT_LIST = 32;

/** Per error host, by dense indices; turned into an ErrorHost at the end. */
interface ErrorHostAcc {
  errors: IdCounts;
  clients: Set<number>;
  categories: IdCounts;
  filterResults: IdCounts;
  maxThreatRisk: number;
  firstSeen: number;
  lastSeen: number;
}

/**
 * Slots that can hold millions of values. Their texts stay in the kernel: the tally sorts their
 * counts itself, and only the values that occur in records with certificate errors are read.
 */
const LARGE_SLOTS: ReadonlySet<number> = new Set([Slot.Host, Slot.ClientIp]);

/**
 * Turns an ElffTally into ProxySgStats. The kernel counts every record by interned ids; this
 * class adds what needs a record's values together (the error hosts), for records with
 * certificate errors only, and applies the contract's normalisation once per distinct value.
 */
export class ElffAggregator {
  /** values[slot][id]: the interned text (latin1); empty for the large slots. */
  private readonly values: string[][] = Array.from({ length: SLOT_COUNT }, () => []);

  private readonly hosts = new Dictionary();
  /** Raw host id → normalised host id + 1 (0: not looked up yet), for the hosts of error records. */
  private hostOfRaw = new Int32Array(1024);
  /** Raw client id → text, for the clients of error records. */
  private readonly clientOfRaw = new Map<number, string>();
  private readonly tokens = new Dictionary();
  private readonly tokensOfRaw: (readonly number[])[] = [];
  private readonly categories = new Dictionary();
  private readonly categoriesOfRaw: (readonly number[])[] = [];
  private readonly riskOfRaw: number[][] = [[], []];
  /** By normalised host id. */
  private readonly errorHosts: (ErrorHostAcc | undefined)[] = [];

  constructor(private readonly tally: ElffTally) {}

  /** Picks up values interned since the last call; must run before `addError` sees their ids. */
  sync(): void {
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (LARGE_SLOTS.has(slot)) continue;
      const known = this.values[slot]!;
      const size = this.tally.size(slot);
      if (size === known.length) continue;
      for (const value of this.tally.values(slot, known.length)) {
        known.push(value);
        this.derive(slot, value);
      }
    }
  }

  private derive(slot: number, value: string): void {
    switch (slot) {
      case Slot.CertErrors: {
        const ids = certErrorTokens(value).map((t) => this.tokens.id(t));
        this.tokensOfRaw.push(ids.length ? ids : EMPTY);
        break;
      }
      case Slot.Categories:
        this.categoriesOfRaw.push(categoryList(value).map((c) => this.categories.id(c)));
        break;
      case Slot.ThreatRisk:
        this.riskOfRaw[0]!.push(threatRiskLevel(value));
        break;
      case Slot.CertHostnameThreatRisk:
        this.riskOfRaw[1]!.push(threatRiskLevel(value));
        break;
    }
  }

  /** Adds a record with certificate errors (already counted by the tally) to its host's entry. */
  addError(ids: Uint32Array, base: number): void {
    const hostRaw = ids[base + Slot.Host]!;
    const errRaw = ids[base + Slot.CertErrors]!;
    if (hostRaw === NO_ID || errRaw === NO_ID) return;
    const toks = this.tokensOfRaw[errRaw]!;
    if (toks.length === 0) return;
    const catRaw = ids[base + Slot.Categories]!;
    const cats = catRaw === NO_ID ? EMPTY : this.categoriesOfRaw[catRaw]!;
    // The kernel parsed date and time into integers (NO_ID when absent or invalid).
    const day = ids[base + Slot.Date]!;
    const time = ids[base + Slot.Time]!;
    const seconds = day === NO_ID || time === NO_ID ? -1 : (day - DAY_BIAS) * 86_400 + time;
    this.addErrorHost(this.hostOf(hostRaw), toks, ids[base + Slot.ClientIp]!, cats, ids, base, seconds);
  }

  private hostOf(raw: number): number {
    if (raw >= this.hostOfRaw.length) {
      const bigger = new Int32Array(Math.max(raw + 1, 2 * this.hostOfRaw.length));
      bigger.set(this.hostOfRaw);
      this.hostOfRaw = bigger;
    }
    const known = this.hostOfRaw[raw]!;
    if (known > 0) return known - 1;
    const host = this.hosts.id(asciiLower(this.tally.values(Slot.Host, raw, raw + 1)[0]!));
    this.hostOfRaw[raw] = host + 1;
    return host;
  }

  private clientOf(raw: number): string {
    let client = this.clientOfRaw.get(raw);
    if (client === undefined) {
      client = this.tally.values(Slot.ClientIp, raw, raw + 1)[0]!;
      this.clientOfRaw.set(raw, client);
    }
    return client;
  }

  private addErrorHost(
    host: number, toks: readonly number[], client: number, cats: readonly number[], ids: Uint32Array, base: number, seconds: number,
  ): void {
    let acc = this.errorHosts[host];
    if (!acc) {
      acc = { errors: new IdCounts(), clients: new Set(), categories: new IdCounts(), filterResults: new IdCounts(), maxThreatRisk: -1, firstSeen: -1, lastSeen: -1 };
      this.errorHosts[host] = acc;
    }
    for (let i = 0; i < toks.length; i++) acc.errors.bump(toks[i]!);
    if (client !== NO_ID) acc.clients.add(client);
    for (let i = 0; i < cats.length; i++) acc.categories.bump(cats[i]!);
    const filter = ids[base + Slot.FilterResult]!;
    if (filter !== NO_ID) acc.filterResults.bump(filter);
    const risk = ids[base + Slot.ThreatRisk]!;
    const certRisk = ids[base + Slot.CertHostnameThreatRisk]!;
    if (risk !== NO_ID) acc.maxThreatRisk = Math.max(acc.maxThreatRisk, this.riskOfRaw[0]![risk]!);
    if (certRisk !== NO_ID) acc.maxThreatRisk = Math.max(acc.maxThreatRisk, this.riskOfRaw[1]![certRisk]!);
    if (seconds >= 0) {
      if (acc.firstSeen < 0 || seconds < acc.firstSeen) acc.firstSeen = seconds;
      if (seconds > acc.lastSeen) acc.lastSeen = seconds;
    }
  }

  /** The string-keyed, mergeable result. */
  finish(): ProxySgStats {
    this.sync();
    const tally = this.tally;
    const p = new ProxySgStats();
    const [requests, withErrors, withoutTime] = tally.totals();
    p.requests = requests!;
    p.requestsWithCertErrors = withErrors!;
    p.recordsWithoutTime = withoutTime!;
    const v = this.values;
    addMapped(p.certErrors, tally.counts(Slot.CertErrors), this.tokensOfRaw, this.tokens.names);
    // Host names are compared ASCII-lower-cased (the contract): the tally folds them as it sorts.
    p.hostRequests.merge(SortedCounter.fromPacked(tally.sortedCounts(Slot.Host, false, true)));
    p.hostErrorRequests.merge(SortedCounter.fromPacked(tally.sortedCounts(Slot.Host, true, true)));
    p.clientRequests.merge(SortedCounter.fromPacked(tally.sortedCounts(Slot.ClientIp, false, false)));
    p.clientErrorRequests.merge(SortedCounter.fromPacked(tally.sortedCounts(Slot.ClientIp, true, false)));
    addMapped(p.categoryRequests, tally.counts(Slot.Categories), this.categoriesOfRaw, this.categories.names);
    addMapped(p.categoryErrorRequests, tally.errorCounts(Slot.Categories), this.categoriesOfRaw, this.categories.names);
    addAll(p.cipherStrength, v[Slot.CipherStrength]!, tally.counts(Slot.CipherStrength));
    addAll(p.filterResult, v[Slot.FilterResult]!, tally.counts(Slot.FilterResult));
    addAll(p.action, v[Slot.Action]!, tally.counts(Slot.Action));
    addAll(p.threatRisk, v[Slot.ThreatRisk]!, tally.counts(Slot.ThreatRisk));
    addAll(p.exception, v[Slot.ExceptionId]!, tally.counts(Slot.ExceptionId), '-');
    addAll(p.ocspErrors, v[Slot.ClientOcspError]!, tally.counts(Slot.ClientOcspError), '-');
    addAll(p.ocspErrors, v[Slot.ServerOcspError]!, tally.counts(Slot.ServerOcspError), '-');
    const hours = tally.timeline();
    for (let i = 0; i < hours.length; i += 3) {
      p.hourRequests.add(hours[i]!, hours[i + 1]!);
      if (hours[i + 2]! > 0) p.hourErrorRequests.add(hours[i]!, hours[i + 2]!);
    }
    this.errorHosts.forEach((acc, host) => {
      if (!acc) return;
      const h = new ErrorHost();
      for (const [t, n] of acc.errors.entries()) h.errors.add(this.tokens.names[t]!, n);
      h.clients = DistinctCount.fromParts([...acc.clients].map((c) => this.clientOf(c)));
      for (const [c, n] of acc.categories.entries()) h.categories.add(this.categories.names[c]!, n);
      for (const [f, n] of acc.filterResults.entries()) h.filterResults.add(v[Slot.FilterResult]![f]!, n);
      h.maxThreatRisk = acc.maxThreatRisk;
      h.firstSeen = acc.firstSeen;
      h.lastSeen = acc.lastSeen;
      p.errorHosts.set(this.hosts.names[host]!, h);
    });
    return p;
  }
}

function addAll(into: Counter<string>, names: readonly string[], counts: Float64Array, skip?: string): void {
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && names[i] !== skip) into.add(names[i]!, n);
  }
}

/** Adds each raw value's count to every normalised name it stands for. */
function addMapped(into: Counter<string>, counts: Float64Array, namesOfRaw: readonly (readonly number[])[], names: readonly string[]): void {
  for (let raw = 0; raw < counts.length; raw++) {
    const n = counts[raw]!;
    if (n > 0) for (const id of namesOfRaw[raw]!) into.add(names[id]!, n);
  }
}
