import { compareKeys } from '../../aggregate/counter.js';
import { asciiLower, certErrorTokens } from '../../formats/elff/values.js';
import { DAY_BIAS } from '../../formats/elff/time.js';
import { NO_ID, type ElffTally, type ErrorHostSlots, type ErrorHostTallies, type PackedCounts } from '../types.js';
import { MapInterner } from './interner.js';

/** Which slots hold what, for counting one record. */
export interface ElffSlots {
  slots: number;
  dateSlot: number;
  timeSlot: number;
  errorSlot: number;
}

/** Reference implementation of the native ElffTally (native/elff_tally.cc). */
export class MapElffTally extends MapInterner implements ElffTally {
  private readonly countsBySlot: number[][] = [];
  private readonly errorCountsBySlot: number[][] = [];
  private readonly errorValue: boolean[] = [];
  private readonly hours = new Map<number, [number, number]>();
  private requests = 0;
  private errorRequests = 0;
  private withoutTime = 0;
  private released = false;
  /** Per pair slot: host → id → count. */
  private readonly pairs: Map<number, Map<number, number>>[];
  /** Host → [first, last] epoch seconds. */
  private readonly times = new Map<number, [number, number]>();

  constructor(slots: number, private readonly errorHostSlots?: ErrorHostSlots) {
    super(slots);
    this.pairs = (errorHostSlots?.pairSlots ?? []).map(() => new Map());
    for (let s = 0; s < slots; s++) {
      this.countsBySlot.push([]);
      this.errorCountsBySlot.push([]);
    }
  }

  /** Counts one well-formed record; returns whether it has certificate errors. */
  add(s: ElffSlots, ids: Uint32Array, base: number): boolean {
    this.live();
    let error = false;
    if (s.errorSlot >= 0) {
      const id = ids[base + s.errorSlot]!;
      if (id !== NO_ID) {
        const values = this.values(s.errorSlot, this.errorValue.length);
        for (const v of values) this.errorValue.push(certErrorTokens(v).length > 0);
        error = this.errorValue[id] ?? false;
      }
    }
    this.requests++;
    if (error) this.errorRequests++;
    for (let slot = 0; slot < s.slots; slot++) {
      const id = ids[base + slot]!;
      if (id === NO_ID || slot === s.dateSlot || slot === s.timeSlot) continue;
      bump(this.countsBySlot[slot]!, id);
      if (error) bump(this.errorCountsBySlot[slot]!, id);
    }
    const day = s.dateSlot >= 0 ? ids[base + s.dateSlot]! : NO_ID;
    const time = s.timeSlot >= 0 ? ids[base + s.timeSlot]! : NO_ID;
    const timed = day !== NO_ID && time !== NO_ID;
    const seconds = timed ? (day - DAY_BIAS) * 86_400 + time : 0;
    if (!timed) {
      this.withoutTime++;
    } else {
      const hour = Math.floor(seconds / 3600);
      let h = this.hours.get(hour);
      if (!h) this.hours.set(hour, (h = [0, 0]));
      h[0]++;
      if (error) h[1]++;
    }
    if (error && this.errorHostSlots && this.errorHostSlots.hostSlot >= 0) this.addErrorHost(s.slots, ids, base, timed, seconds);
    return error;
  }

  private addErrorHost(slots: number, ids: Uint32Array, base: number, timed: boolean, seconds: number): void {
    const { hostSlot, pairSlots } = this.errorHostSlots!;
    // A record has `slots` ids (a call may fill fewer slots than the tally has): a slot past them is absent.
    const host = hostSlot < slots ? ids[base + hostSlot]! : NO_ID;
    if (host === NO_ID) return;
    pairSlots.forEach((slot, kind) => {
      const id = slot < slots ? ids[base + slot]! : NO_ID;
      if (id === NO_ID) return;
      const byHost = this.pairs[kind]!;
      let counts = byHost.get(host);
      if (!counts) byHost.set(host, (counts = new Map()));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    });
    // Times before 1970 are left out, as the snapshot keeps -1 for "none".
    if (!timed || seconds < 0) return;
    const t = this.times.get(host) ?? [seconds, seconds];
    this.times.set(host, [Math.min(t[0], seconds), Math.max(t[1], seconds)]);
  }

  errorHosts(): ErrorHostTallies {
    this.live();
    const rows: [number, number, number, number][] = [];
    this.pairs.forEach((byHost, kind) => {
      for (const [host, counts] of byHost) for (const [id, count] of counts) rows.push([host, kind, id, count]);
    });
    rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const times = [...this.times].sort((a, b) => a[0] - b[0]);
    for (const byHost of this.pairs) byHost.clear();
    this.times.clear();
    return {
      hosts: Uint32Array.from(rows, (r) => r[0]),
      kinds: Uint32Array.from(rows, (r) => r[1]),
      ids: Uint32Array.from(rows, (r) => r[2]),
      counts: Float64Array.from(rows, (r) => r[3]),
      timeHosts: Uint32Array.from(times, (t) => t[0]),
      firstSeen: Float64Array.from(times, (t) => t[1][0]),
      lastSeen: Float64Array.from(times, (t) => t[1][1]),
    };
  }

  counts(slot: number): Float64Array {
    this.live();
    return dense(this.countsBySlot[slot]!, this.size(slot));
  }

  errorCounts(slot: number): Float64Array {
    this.live();
    return dense(this.errorCountsBySlot[slot]!, this.size(slot));
  }

  sortedCounts(slot: number, errorsOnly: boolean, fold: boolean): PackedCounts {
    this.live();
    const counts = errorsOnly ? this.errorCounts(slot) : this.counts(slot);
    const values = this.values(slot, 0);
    const sums = new Map<string, number>();
    values.forEach((v, id) => {
      const n = counts[id]!;
      if (n === 0) return;
      const key = fold ? asciiLower(v) : v;
      sums.set(key, (sums.get(key) ?? 0) + n);
    });
    const keys = [...sums.keys()].sort(compareKeys);
    return {
      keys: Buffer.from(keys.join(''), 'latin1'),
      lengths: Uint32Array.from(keys, (k) => k.length),
      counts: Float64Array.from(keys, (k) => sums.get(k)!),
    };
  }

  timeline(): Float64Array {
    this.live();
    const hours = [...this.hours].sort((a, b) => a[0] - b[0]);
    return Float64Array.from(hours.flatMap(([hour, [requests, errors]]) => [hour, requests, errors]));
  }

  release(): void {
    this.released = true;
    this.countsBySlot.length = 0;
    this.errorCountsBySlot.length = 0;
    this.hours.clear();
    this.pairs.length = 0;
    this.times.clear();
    super.clear();
  }

  private live(): void {
    if (this.released) throw new Error('The ElffTally was released');
  }

  override intern(slot: number, value: string): number {
    this.live();
    return super.intern(slot, value);
  }

  override size(slot: number): number {
    this.live();
    return super.size(slot);
  }

  override values(slot: number, from: number, to?: number): string[] {
    this.live();
    return super.values(slot, from, to);
  }

  totals(): Float64Array {
    this.live();
    return Float64Array.from([this.requests, this.errorRequests, this.withoutTime]);
  }
}

function bump(counts: number[], id: number): void {
  while (counts.length <= id) counts.push(0);
  counts[id]!++;
}

function dense(counts: readonly number[], size: number): Float64Array {
  const out = new Float64Array(size);
  out.set(counts.slice(0, size));
  return out;
}
