import protobuf from 'protobufjs';
import { DistinctCount, EXACT_DISTINCT_LIMIT } from '../aggregate/distinct.js';
import { HyperLogLog } from '../aggregate/hyperloglog.js';
import { ErrorHost, ProxySgStats } from '../aggregate/proxysg.js';
import {
  decodeCounter, decodeIntCounter, decodeSortedCounter,
  latin1, unpackStrings, type IntCounterMsg, type StringCounterMsg,
} from './counter-codec.js';
import { readVarint } from './string-counter-wire.js';
import { LEN, VARINT } from './byte-writer.js';
import { COUNTER_FIELDS, ERROR_HOSTS, HOUR_FIELDS, SORTED_FIELDS } from './proxysg-writer.js';

/**
 * certcrunch.v1.ProxySg read into ProxySgStats by hand, as proxysg-writer.ts writes it: each
 * error host straight into an ErrorHost, with no protobufjs message object on the way. Any valid
 * encoding is read.
 */

/** Installs the hand-written codec on the ProxySg type; its messages are ProxySgStats. */
export function installProxySgWire(type: protobuf.Type, stringCounter: protobuf.Type, intCounter: protobuf.Type): void {
  type.setup();
  // Snapshots are written by snapshot-writer.ts (its ProxySg part by proxysg-writer.ts).
  type.encode = (() => {
    throw new Error('certcrunch.v1.ProxySg is written by snapshot-writer.ts');
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
        for (const hour of p[hours].map.keys()) checkedHour(hour);
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

function decodeErrorHost(r: protobuf.Reader, stringCounter: protobuf.Type): [string, ErrorHost] {
  const end = r.uint32() + r.pos;
  if (end > r.len) throw new RangeError('ErrorHost runs past the end');
  const h = new ErrorHost();
  // proto3: a field left out is zero (writers other than this one leave zeros out).
  h.maxThreatRisk = h.firstSeen = h.lastSeen = 0;
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
        else if (t === ((2 << 3) | LEN)) for (const packedEnd = r.uint32() + r.pos; r.pos < packedEnd;) pushExactLength(exactLengths, readVarint(r));
        else if (t === ((2 << 3) | VARINT)) pushExactLength(exactLengths, readVarint(r));
        else r.skipType(t & 7);
      }
      if (r.pos !== stop) throw new RangeError('DistinctCount runs past its length');
    } else if (field >= 6 && field <= 8 && wire === VARINT) {
      const n = readVarint(r);
      const value = n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      if (field === 6) h.maxThreatRisk = value;
      else if (field === 7) h.firstSeen = checkedSeconds(value);
      else h.lastSeen = checkedSeconds(value);
    } else {
      r.skipType(wire);
    }
  }
  if (r.pos !== end) throw new RangeError('ErrorHost runs past its length');
  h.clients = DistinctCount.fromParts(unpackStrings(exact, exactLengths), hll && hll.length > 0 ? new HyperLogLog(hll) : undefined);
  return [host, h];
}

/** Past the limit a writer keeps the sketch instead: more exact values are no snapshot's. */
function pushExactLength(lengths: number[], length: number): void {
  if (lengths.length === EXACT_DISTINCT_LIMIT) throw new RangeError(`more than ${EXACT_DISTINCT_LIMIT} exact distinct values`);
  lengths.push(length);
}

/** Epoch seconds a date can show (±8.64e12): a time out of that range is no log's. */
export function checkedSeconds(value: number): number {
  if (Math.abs(value) > 8.64e12) throw new RangeError(`time ${value} out of range`);
  return value;
}

/** Hours since the epoch a date can show (±2.4e9). */
export function checkedHour(value: number): number {
  if (Math.abs(value) > 2.4e9) throw new RangeError(`hour ${value} out of range`);
  return value;
}
