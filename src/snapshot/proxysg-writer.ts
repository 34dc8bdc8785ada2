import type { Counter } from '../aggregate/counter.js';
import type { ErrorHost, ProxySgStats } from '../aggregate/proxysg.js';
import { COUNTERS, SORTED_COUNTERS } from '../aggregate/proxysg.js';
import { encodeCounter, encodeIntCounter, encodeSortedCounter, type IntCounterMsg, type StringCounterMsg } from './counter-codec.js';
import { ByteWriter, LEN, varintSize } from './byte-writer.js';

/**
 * certcrunch.v1.ProxySg written from ProxySgStats by hand (proxysg-wire.ts reads it). Tens of
 * thousands of error hosts, each a message holding four more, cost protobufjs a plain object, a
 * message object and a dozen writer operations apiece: seconds and hundreds of MB for one range.
 * Here everything is written straight into one byte buffer. The bytes are exactly what
 * protobufjs writes for the same message (a test holds them to it).
 */

/** Field numbers of the ProxySg message. */
export const COUNTER_FIELDS: ReadonlyMap<number, (typeof COUNTERS)[number]> = new Map([
  [4, 'certErrors'], [10, 'categoryRequests'], [11, 'categoryErrorRequests'], [12, 'cipherStrength'], [13, 'filterResult'],
  [14, 'action'], [15, 'exception'], [16, 'threatRisk'], [17, 'ocspErrors'],
]);
export const SORTED_FIELDS: ReadonlyMap<number, (typeof SORTED_COUNTERS)[number]> = new Map([
  [5, 'hostRequests'], [6, 'hostErrorRequests'], [8, 'clientRequests'], [9, 'clientErrorRequests'],
]);
export const ERROR_HOSTS = 7;
export const HOUR_FIELDS = new Map([[18, 'hourRequests'], [19, 'hourErrorRequests']] as const);

/** The fields of a ProxySg message, in field order. */
export function writeProxySg(w: ByteWriter, p: ProxySgStats): void {
  w.uint(1, p.requests);
  w.uint(2, p.requestsWithCertErrors);
  w.uint(3, p.recordsWithoutTime);
  for (let field = 4; field <= 17; field++) {
    const counter = COUNTER_FIELDS.get(field);
    const sorted = SORTED_FIELDS.get(field);
    if (counter) w.delimited(field, () => writeStringCounter(w, encodeCounter(p[counter])));
    else if (sorted) w.delimited(field, () => writeStringCounter(w, encodeSortedCounter(p[sorted])));
    else if (field === ERROR_HOSTS) writeErrorHosts(w, p.errorHosts);
  }
  for (const [field, key] of HOUR_FIELDS) w.delimited(field, () => writeIntCounter(w, encodeIntCounter(p[key])));
}

/** The fields of a StringCounter message, empty ones left out (as string-counter-wire.ts writes them). */
export function writeStringCounter(w: ByteWriter, m: StringCounterMsg): void {
  if (m.keys && m.keys.length > 0) w.bytes(1, m.keys);
  if (m.keyLengths) w.packed(2, m.keyLengths);
  if (m.counts) w.packed(3, m.counts);
}

/** The fields of an IntCounter message: packed zigzag keys, packed counts, empty ones left out. */
function writeIntCounter(w: ByteWriter, m: IntCounterMsg): void {
  const keys = m.keys ?? [];
  if (keys.length > 0) w.delimited(1, () => keys.forEach((k) => w.sint(k)));
  if (m.counts) w.packed(2, m.counts);
}

/**
 * StringCounter, as string-counter-wire.ts writes it: empty fields left out. An error host's
 * counters hold a few keys each, and there are thousands of hosts: sizes are worked out first,
 * so the body is written once, in place.
 */
function writeCounter(w: ByteWriter, field: number, c: Counter<string>): void {
  const keys = [...c.map.keys()];
  if (keys.length > 1) keys.sort();
  let bytes = 0;
  let lengthsSize = 0;
  let countsSize = 0;
  for (const k of keys) {
    bytes += k.length;
    lengthsSize += varintSize(k.length);
    countsSize += varintSize(c.map.get(k)!);
  }
  let body = 0;
  if (bytes > 0) body += 1 + varintSize(bytes) + bytes;
  if (keys.length > 0) body += 1 + varintSize(lengthsSize) + lengthsSize + 1 + varintSize(countsSize) + countsSize;
  w.tag(field, LEN);
  w.varint(body);
  if (bytes > 0) w.strings(1, keys);
  if (keys.length === 0) return;
  w.tag(2, LEN);
  w.varint(lengthsSize);
  for (const k of keys) w.varint(k.length);
  w.tag(3, LEN);
  w.varint(countsSize);
  for (const k of keys) w.varint(c.map.get(k)!);
}

/** Each error host as field 7 of ProxySg, in host order. */
function writeErrorHosts(w: ByteWriter, hosts: ReadonlyMap<string, ErrorHost>): void {
  for (const name of [...hosts.keys()].sort()) {
    const h = hosts.get(name)!;
    w.delimited(ERROR_HOSTS, () => {
      w.strings(1, [name]);
      writeCounter(w, 2, h.errors);
      w.delimited(3, () => {
        if (h.clients.isExact) {
          const values = h.clients.values();
          w.strings(1, values);
          w.packed(2, values.map((v) => v.length));
        } else {
          const registers = h.clients.registers();
          if (registers) w.bytes(3, registers);
        }
      });
      writeCounter(w, 4, h.categories);
      writeCounter(w, 5, h.filterResults);
      w.signed(6, h.maxThreatRisk);
      w.signed(7, h.firstSeen);
      w.signed(8, h.lastSeen);
    });
  }
}
