import protobuf from 'protobufjs';
import { DistinctCount } from '../aggregate/distinct.js';
import { HyperLogLog } from '../aggregate/hyperloglog.js';
import type { Counter } from '../aggregate/counter.js';
import { COUNTERS, ErrorHost, ProxySgStats, SORTED_COUNTERS } from '../aggregate/proxysg.js';
import {
  decodeCounter, decodeIntCounter, decodeSortedCounter, encodeCounter, encodeIntCounter, encodeSortedCounter,
  latin1, unpackStrings, type IntCounterMsg, type StringCounterMsg,
} from './counter-codec.js';
import { readVarint } from './string-counter-wire.js';
import { ByteWriter, LEN, VARINT, varintSize } from './byte-writer.js';

/**
 * certcrunch.v1.ProxySg written from and read into ProxySgStats by hand. Tens of thousands of
 * error hosts, each a message holding four more, cost protobufjs a plain object, a message
 * object and a dozen writer operations apiece: seconds and hundreds of MB for one range. Here
 * each error host is written straight into one byte buffer and read straight into an
 * ErrorHost. The bytes are exactly what protobufjs writes for the same message (a test holds
 * them to it).
 */

/** Field numbers of the ProxySg message. */
const COUNTER_FIELDS: ReadonlyMap<number, (typeof COUNTERS)[number]> = new Map([
  [4, 'certErrors'], [10, 'categoryRequests'], [11, 'categoryErrorRequests'], [12, 'cipherStrength'], [13, 'filterResult'],
  [14, 'action'], [15, 'exception'], [16, 'threatRisk'], [17, 'ocspErrors'],
]);
const SORTED_FIELDS: ReadonlyMap<number, (typeof SORTED_COUNTERS)[number]> = new Map([
  [5, 'hostRequests'], [6, 'hostErrorRequests'], [8, 'clientRequests'], [9, 'clientErrorRequests'],
]);
const ERROR_HOSTS = 7;
const HOUR_FIELDS = new Map([[18, 'hourRequests'], [19, 'hourErrorRequests']] as const);

/** Installs the hand-written codec on the ProxySg type; its messages are ProxySgStats. */
export function installProxySgWire(type: protobuf.Type, stringCounter: protobuf.Type, intCounter: protobuf.Type): void {
  type.setup();
  const counterOut = (w: protobuf.Writer, field: number, msg: StringCounterMsg): void => {
    stringCounter.encode(msg, w.uint32((field << 3) | LEN).fork()).ldelim();
  };
  type.encode = ((p: ProxySgStats, writer?: protobuf.Writer) => {
    const w = writer ?? protobuf.Writer.create();
    w.uint32(8).uint64(p.requests).uint32(16).uint64(p.requestsWithCertErrors).uint32(24).uint64(p.recordsWithoutTime);
    for (let field = 4; field <= 17; field++) {
      const counter = COUNTER_FIELDS.get(field);
      const sorted = SORTED_FIELDS.get(field);
      if (counter) counterOut(w, field, encodeCounter(p[counter]));
      else if (sorted) counterOut(w, field, encodeSortedCounter(p[sorted]));
      else if (field === ERROR_HOSTS) for (const body of encodeErrorHosts(p.errorHosts)) w.uint32((ERROR_HOSTS << 3) | LEN).bytes(body);
    }
    for (const [field, key] of HOUR_FIELDS) {
      intCounter.encode(intCounter.fromObject(encodeIntCounter(p[key])), w.uint32((field << 3) | LEN).fork()).ldelim();
    }
    return w;
  }) as typeof type.encode;
  type.decode = ((source: protobuf.Reader | Uint8Array, length?: number) => {
    const r = source instanceof protobuf.Reader ? source : protobuf.Reader.create(source);
    const end = length === undefined ? r.len : r.pos + length;
    const p = new ProxySgStats();
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      const counter = COUNTER_FIELDS.get(field);
      const sorted = SORTED_FIELDS.get(field);
      const hours = HOUR_FIELDS.get(field as 18 | 19);
      if (field >= 1 && field <= 3 && wire === VARINT) {
        const n = readVarint(r);
        if (field === 1) p.requests = n;
        else if (field === 2) p.requestsWithCertErrors = n;
        else p.recordsWithoutTime = n;
      } else if (counter && wire === LEN) {
        decodeCounter(stringCounter.decode(r, r.uint32()) as StringCounterMsg, p[counter]);
      } else if (sorted && wire === LEN) {
        p[sorted].merge(decodeSortedCounter(stringCounter.decode(r, r.uint32()) as StringCounterMsg));
      } else if (field === ERROR_HOSTS && wire === LEN) {
        const [host, h] = decodeErrorHost(r, stringCounter);
        // A host listed twice (by a hand-made snapshot) adds up, as a repeated counter key does.
        const known = p.errorHosts.get(host);
        if (known) known.merge(h);
        else p.errorHosts.set(host, h);
      } else if (hours && wire === LEN) {
        decodeIntCounter(intCounter.toObject(intCounter.decode(r, r.uint32())) as IntCounterMsg, p[hours]);
      } else {
        r.skipType(wire);
      }
    }
    if (r.pos !== end) throw new RangeError('ProxySg runs past its length');
    return p;
  }) as unknown as typeof type.decode;
  type.fromObject = ((p: ProxySgStats) => p) as unknown as typeof type.fromObject;
  type.toObject = ((p: ProxySgStats) => p) as unknown as typeof type.toObject;
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

/** Each error host's message body, in host order, as views of one buffer. */
function encodeErrorHosts(hosts: ReadonlyMap<string, ErrorHost>): Uint8Array[] {
  const w = new ByteWriter();
  const ends: number[] = [];
  const names = [...hosts.keys()].sort();
  for (const name of names) {
    const h = hosts.get(name)!;
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
    w.tag(6, VARINT);
    w.sint(h.maxThreatRisk);
    w.tag(7, VARINT);
    w.sint(h.firstSeen);
    w.tag(8, VARINT);
    w.sint(h.lastSeen);
    ends.push(w.pos);
  }
  return ends.map((end, i) => w.buf.subarray(i > 0 ? ends[i - 1]! : 0, end));
}

function decodeErrorHost(r: protobuf.Reader, stringCounter: protobuf.Type): [string, ErrorHost] {
  const end = r.uint32() + r.pos;
  if (end > r.len) throw new RangeError('ErrorHost runs past the end');
  const h = new ErrorHost();
  let host = '';
  let exact: Uint8Array | undefined;
  const exactLengths: number[] = [];
  let hll: Uint8Array | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === LEN) {
      host = latin1(r.bytes());
    } else if ((field === 2 || field === 4 || field === 5) && wire === LEN) {
      const into = field === 2 ? h.errors : field === 4 ? h.categories : h.filterResults;
      decodeCounter(stringCounter.decode(r, r.uint32()) as StringCounterMsg, into);
    } else if (field === 3 && wire === LEN) {
      const stop = r.uint32() + r.pos;
      while (r.pos < stop) {
        const t = r.uint32();
        if (t === ((1 << 3) | LEN)) exact = r.bytes();
        else if (t === ((3 << 3) | LEN)) hll = r.bytes();
        else if (t === ((2 << 3) | LEN)) for (const packedEnd = r.uint32() + r.pos; r.pos < packedEnd;) exactLengths.push(readVarint(r));
        else if (t === ((2 << 3) | VARINT)) exactLengths.push(readVarint(r));
        else r.skipType(t & 7);
      }
      if (r.pos !== stop) throw new RangeError('DistinctCount runs past its length');
    } else if (field >= 6 && field <= 8 && wire === VARINT) {
      const n = readVarint(r);
      const value = n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      if (field === 6) h.maxThreatRisk = value;
      else if (field === 7) h.firstSeen = value;
      else h.lastSeen = value;
    } else {
      r.skipType(wire);
    }
  }
  if (r.pos !== end) throw new RangeError('ErrorHost runs past its length');
  h.clients = DistinctCount.fromParts(unpackStrings(exact, exactLengths), hll && hll.length > 0 ? new HyperLogLog(hll) : undefined);
  return [host, h];
}
