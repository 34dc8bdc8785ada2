import type { Counter } from '../aggregate/counter.js';
import { Dictionary } from '../aggregate/dictionary.js';
import { SortedCounter } from '../aggregate/sorted-counter.js';
import { DistinctCount } from '../aggregate/distinct.js';
import { ErrorHost, ProxySgStats } from '../aggregate/proxysg.js';
import type { ElffTally, ErrorHostSlots } from '../native/types.js';
import { SLOT_COUNT, Slot } from '../formats/elff/schema.js';
import { asciiLower, categoryList, certErrorTokens, threatRiskLevel } from '../formats/elff/values.js';

const EMPTY: readonly number[] = [];

/** What the tally counts with each error host: the order gives the kinds of ErrorHostTallies. */
const PAIR_SLOTS = [Slot.CertErrors, Slot.Categories, Slot.FilterResult, Slot.ClientIp, Slot.ThreatRisk, Slot.CertHostnameThreatRisk] as const;
export const ERROR_HOST_SLOTS: ErrorHostSlots = { hostSlot: Slot.Host, pairSlots: PAIR_SLOTS };

/**
 * Slots that can hold millions of values. Their texts stay in the kernel: the tally sorts their
 * counts itself, and only the values that occur in records with certificate errors are read.
 */
const LARGE_SLOTS: ReadonlySet<number> = new Set([Slot.Host, Slot.ClientIp]);

/**
 * Turns an ElffTally into ProxySgStats. The kernel counts every record by interned ids, the
 * error hosts included (made with ERROR_HOST_SLOTS); this class applies the contract's
 * normalisation once per distinct value.
 */
export class ElffAggregator {
  /** values[slot][id]: the interned text (latin1); empty for the large slots. */
  private readonly values: string[][] = Array.from({ length: SLOT_COUNT }, () => []);

  private readonly hosts = new Dictionary();
  /** Raw host id → normalised host id, for the error hosts. */
  private readonly hostOfRaw = new Map<number, number>();
  /** Raw client id → text, for the clients of error hosts. */
  private readonly clientOfRaw = new Map<number, string>();
  private readonly tokens = new Dictionary();
  private readonly tokensOfRaw: (readonly number[])[] = [];
  private readonly categories = new Dictionary();
  private readonly categoriesOfRaw: (readonly number[])[] = [];
  private readonly riskOfRaw: number[][] = [[], []];

  constructor(private readonly tally: ElffTally) {}

  /** Reads the values of the small slots not read yet, and derives what the contract makes of each. */
  private readValues(): void {
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (LARGE_SLOTS.has(slot)) continue;
      const known = this.values[slot]!;
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

  private hostOf(raw: number): number {
    let host = this.hostOfRaw.get(raw);
    if (host === undefined) {
      host = this.hosts.id(asciiLower(this.tally.values(Slot.Host, raw, raw + 1)[0]!));
      this.hostOfRaw.set(raw, host);
    }
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

  /** The string-keyed, mergeable result. */
  finish(): ProxySgStats {
    this.readValues();
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
    this.addErrorHosts(p.errorHosts);
    return p;
  }

  /** The tally's error hosts, by raw ids, as ErrorHosts by normalised host name. */
  private addErrorHosts(into: Map<string, ErrorHost>): void {
    const t = this.tally.errorHosts();
    // Raw hosts that differ in case only are one host.
    const built = new Map<number, { host: ErrorHost; clients: string[] }>();
    const entry = (raw: number): { host: ErrorHost; clients: string[] } => {
      const host = this.hostOf(raw);
      let e = built.get(host);
      if (!e) built.set(host, (e = { host: new ErrorHost(), clients: [] }));
      return e;
    };
    const filterResults = this.values[Slot.FilterResult]!;
    let raw = -1;
    let host = new ErrorHost();
    let clients: string[] = [];
    for (let i = 0; i < t.kinds.length; i++) {
      if (t.hosts[i] !== raw) {
        raw = t.hosts[i]!;
        ({ host, clients } = entry(raw));
      }
      const id = t.ids[i]!;
      const n = t.counts[i]!;
      switch (PAIR_SLOTS[t.kinds[i]!]) {
        case Slot.CertErrors:
          for (const token of this.tokensOfRaw[id]!) host.errors.add(this.tokens.names[token]!, n);
          break;
        case Slot.Categories:
          for (const category of this.categoriesOfRaw[id]!) host.categories.add(this.categories.names[category]!, n);
          break;
        case Slot.FilterResult:
          host.filterResults.add(filterResults[id]!, n);
          break;
        case Slot.ClientIp:
          clients.push(this.clientOf(id));
          break;
        case Slot.ThreatRisk:
          host.maxThreatRisk = Math.max(host.maxThreatRisk, this.riskOfRaw[0]![id]!);
          break;
        case Slot.CertHostnameThreatRisk:
          host.maxThreatRisk = Math.max(host.maxThreatRisk, this.riskOfRaw[1]![id]!);
          break;
      }
    }
    for (let i = 0; i < t.timeHosts.length; i++) {
      const { host } = entry(t.timeHosts[i]!);
      host.seen(t.firstSeen[i]!);
      host.seen(t.lastSeen[i]!);
    }
    for (const [host, { host: h, clients }] of built) {
      h.clients = DistinctCount.fromParts(clients);
      into.set(this.hosts.names[host]!, h);
    }
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
