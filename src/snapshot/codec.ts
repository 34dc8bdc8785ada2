import { compareKeys } from '../aggregate/counter.js';
import type { ProxySgStats } from '../aggregate/proxysg.js';
import { CertcrunchError } from '../errors.js';
import { LatencyStats } from '../aggregate/latency.js';
import { edgePlace, OcspStats, requestKey } from '../aggregate/ocsp.js';
import { AuditStats } from '../aggregate/audit.js';
import { ReconcileSide } from '../aggregate/reconcile.js';
import { snapshotMessage } from './schema.js';
import { checkedHour } from './proxysg-wire.js';
import { SCHEMA_VERSION, Snapshot } from './snapshot.js';
import { writeSnapshot, type EjbcaPartWriter } from './snapshot-writer.js';

import {
  bytesOf, decodeCounter, decodeIntCounter, encodeCounter, encodeIntCounter, latin1,
  type IntCounterMsg, type Msg, type StringCounterMsg,
} from './counter-codec.js';

function encodeLatency(l: LatencyStats): Msg {
  return { hdrHistogram: l.encodeHistogram(), count: l.count, sum: l.sum, min: l.count ? l.min : 0, max: l.count ? l.max : 0 };
}

function decodeLatency(msg: Msg | undefined): LatencyStats {
  return LatencyStats.decode({
    histogram: (msg?.['hdrHistogram'] as Uint8Array | undefined) ?? new Uint8Array(),
    count: Number(msg?.['count'] ?? 0),
    sum: Number(msg?.['sum'] ?? 0),
    min: Number(msg?.['min'] ?? 0),
    max: Number(msg?.['max'] ?? 0),
  });
}

const OCSP_STRING_COUNTERS = [
  'clientRequests', 'clientCertIds', 'issuerRequests', 'requestors', 'chargingRequests', 'chargingCertIds',
] as const satisfies readonly (keyof OcspStats)[];
const OCSP_INT_COUNTERS = ['byCertStatus', 'byRevocationReason', 'byStatus', 'hourRequests'] as const satisfies readonly (keyof OcspStats)[];

function encodeOcsp(o: OcspStats): Msg {
  const msg: Msg = {
    lines: o.lines,
    otherLoggerLines: o.otherLoggerLines,
    hasProcessTime: o.hasProcessTime,
    hasRevReason: o.hasRevReason,
    requests: o.requests,
    certIds: o.certIds,
    replyTime: encodeLatency(o.replyTime),
    processTime: encodeLatency(o.processTime),
    edges: [...o.edges.entries()]
      .sort((a, b) => compareKeys(a[0], b[0]))
      .map(([key, f]) => {
        const cut = key.lastIndexOf(':');
        return {
          sessionId: bytesOf(key.slice(0, cut)),
          logId: Number(key.slice(cut + 1)),
          status: f.status,
          client: bytesOf(f.client),
          certIds: f.certIds,
          replyTime: f.replyTime,
          processTime: f.processTime,
          hour: f.hour,
          month: f.month,
          issuer: bytesOf(f.issuer),
          requestor: bytesOf(f.requestor),
          path: f.path,
          offset: f.offset,
          place: f.place,
        };
      }),
  };
  for (const key of OCSP_STRING_COUNTERS) msg[key] = encodeCounter(o[key]);
  for (const key of OCSP_INT_COUNTERS) msg[key] = encodeIntCounter(o[key]);
  return msg;
}

function decodeOcsp(msg: Msg): OcspStats {
  const o = new OcspStats();
  o.lines = Number(msg['lines'] ?? 0);
  o.otherLoggerLines = Number(msg['otherLoggerLines'] ?? 0);
  o.hasProcessTime = Boolean(msg['hasProcessTime']);
  o.hasRevReason = Boolean(msg['hasRevReason']);
  o.requests = Number(msg['requests'] ?? 0);
  o.certIds = Number(msg['certIds'] ?? 0);
  for (const key of OCSP_STRING_COUNTERS) decodeCounter(msg[key] as StringCounterMsg | undefined, o[key]);
  for (const key of OCSP_INT_COUNTERS) decodeIntCounter(msg[key] as IntCounterMsg | undefined, o[key]);
  for (const hour of o.hourRequests.map.keys()) checkedHour(hour);
  o.replyTime.merge(decodeLatency(msg['replyTime'] as Msg | undefined));
  o.processTime.merge(decodeLatency(msg['processTime'] as Msg | undefined));
  for (const e of (msg['edges'] as Msg[] | undefined) ?? []) {
    const text = (k: string): string => latin1((e[k] as Uint8Array | undefined) ?? new Uint8Array());
    o.addEdge(requestKey(text('sessionId'), Number(e['logId'] ?? 0)), {
      status: Number(e['status'] ?? 0),
      client: text('client'),
      certIds: Number(e['certIds'] ?? 0),
      replyTime: Number(e['replyTime'] ?? 0),
      processTime: e['processTime'] === undefined ? 0 : Number(e['processTime']),
      hour: checkedHour(Number(e['hour'] ?? 0)),
      month: String(e['month'] ?? ''),
      issuer: text('issuer'),
      requestor: text('requestor'),
      path: String(e['path'] ?? ''),
      offset: Number(e['offset'] ?? 0),
      place: edgePlace(Number(e['place'] ?? 0)),
    });
  }
  return o;
}

function encodeAudit(a: AuditStats): Msg {
  return {
    records: a.records,
    decoded: a.decoded,
    undecodable: encodeCounter(a.undecodable),
    byResponseStatus: encodeCounter(a.byResponseStatus),
    byCertStatus: encodeCounter(a.byCertStatus),
    signedRequests: a.signedRequests,
    requestsWithNonce: a.requestsWithNonce,
    signatures: encodeCounter(a.signatures),
    otherLoggerLines: a.otherLoggerLines,
  };
}

function decodeAudit(msg: Msg): AuditStats {
  const a = new AuditStats();
  a.records = Number(msg['records'] ?? 0);
  a.decoded = Number(msg['decoded'] ?? 0);
  decodeCounter(msg['undecodable'] as StringCounterMsg | undefined, a.undecodable);
  decodeCounter(msg['byResponseStatus'] as StringCounterMsg | undefined, a.byResponseStatus);
  decodeCounter(msg['byCertStatus'] as StringCounterMsg | undefined, a.byCertStatus);
  a.signedRequests = Number(msg['signedRequests'] ?? 0);
  a.requestsWithNonce = Number(msg['requestsWithNonce'] ?? 0);
  decodeCounter(msg['signatures'] as StringCounterMsg | undefined, a.signatures);
  a.otherLoggerLines = Number(msg['otherLoggerLines'] ?? 0);
  return a;
}

function encodeSide(side: ReconcileSide): Msg {
  return {
    sessions: side.sessions.map(bytesOf),
    // protobufjs takes plain arrays for repeated fields.
    session: Array.from(side.session.values()),
    logId: Array.from(side.logId.values()),
    status: Array.from(side.status.values()),
    responseStatus: Array.from(side.responseStatus.values()),
    certId: Array.from(side.certId.values()),
    certStatus: Array.from(side.certStatus.values()),
    reason: Array.from(side.reason.values()),
  };
}

function decodeSide(msg: Msg | undefined): ReconcileSide {
  const sessions = ((msg?.['sessions'] as Uint8Array[] | undefined) ?? []).map(latin1);
  const col = (k: string): number[] => (msg?.[k] as number[] | undefined) ?? [];
  try {
    return ReconcileSide.fromColumns(sessions, {
      session: col('session'), logId: col('logId'), status: col('status'), responseStatus: col('responseStatus'),
      certId: col('certId'), certStatus: col('certStatus'), reason: col('reason'),
    });
  } catch (err) {
    throw new CertcrunchError('ERR_SNAPSHOT', (err as Error).message);
  }
}

/** Snapshot → protobuf bytes (certcrunch.v1.Snapshot). Canonical: equal snapshots give equal bytes. */
export function encodeSnapshot(s: Snapshot): Uint8Array {
  const bytes = writeSnapshot(s, ejbcaParts);
  // Bytes of their own: the writer's buffer is larger, and only its first bytes are written.
  return bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** The EJBCA parts, by protobufjs: they hold no tables that need a hand-written codec. */
const ejbcaParts: EjbcaPartWriter = {
  ocsp: (o) => encodePart('Ocsp', encodeOcsp(o)),
  audit: (a) => encodePart('Audit', encodeAudit(a)),
  reconcile: (r) => encodePart('Reconcile', { trx: encodeSide(r.trx), audit: encodeSide(r.audit) }),
};

function encodePart(name: string, msg: Msg): Uint8Array {
  const type = snapshotMessage().root.lookupType(`certcrunch.v1.${name}`);
  return type.encode(type.fromObject(msg)).finish();
}

/** Protobuf bytes → Snapshot; rejects other schema versions with a clear error. */
export function decodeSnapshot(bytes: Uint8Array, source = 'snapshot'): Snapshot {
  if (bytes.length === 0) throw new CertcrunchError('ERR_SNAPSHOT', `${source}: an empty file, not a certcrunch snapshot`);
  const type = snapshotMessage();
  let msg: Msg;
  try {
    msg = type.toObject(type.decode(bytes), { defaults: false, arrays: true }) as Msg;
  } catch (err) {
    throw new CertcrunchError('ERR_SNAPSHOT', `${source}: not a certcrunch snapshot (${(err as Error).message})`);
  }
  const version = Number(msg['schemaVersion'] ?? 0);
  if (version !== SCHEMA_VERSION) {
    throw new CertcrunchError('ERR_SNAPSHOT', `${source}: snapshot schema version ${version} is not supported (expected ${SCHEMA_VERSION})`);
  }
  try {
    refuseUnsafeNumbers(msg);
    return snapshotOf(msg);
  } catch (err) {
    // Histograms, counters and sketches are checked as they are read: name the file whatever failed.
    if (err instanceof CertcrunchError && err.message.startsWith(`${source}:`)) throw err;
    throw new CertcrunchError('ERR_SNAPSHOT', `${source}: corrupt snapshot (${(err as Error).message})`);
  }
}

/**
 * Refuses numbers past 2^53 anywhere in a decoded message: protobufjs reads a larger uint64 as
 * the nearest double, which a report would then show as a count no log gave. (The parts read by
 * hand, such as the ProxySG one, check their own varints.)
 */
function refuseUnsafeNumbers(value: unknown): void {
  if (typeof value === 'number') {
    if (Math.abs(value) > Number.MAX_SAFE_INTEGER) throw new RangeError(`value ${value} past 2^53`);
  } else if (Array.isArray(value)) {
    for (const v of value) refuseUnsafeNumbers(v);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) refuseUnsafeNumbers(v);
  }
}

/** The Snapshot a decoded message of the current schema holds. */
function snapshotOf(msg: Msg): Snapshot {
  const s = new Snapshot();
  const meta = (msg['meta'] as Msg | undefined) ?? {};
  s.meta.toolVersion = String(meta['toolVersion'] ?? '');
  s.meta.kernel = String(meta['kernel'] ?? '');
  s.meta.createdAt = String(meta['createdAt'] ?? '');
  s.meta.elapsedMs = Number(meta['elapsedMs'] ?? 0);
  s.meta.distinctExactLimit = Number(meta['distinctExactLimit'] ?? 0);
  // All at once: one sort for thousands of entries, not one per entry.
  s.meta.addInputs(((meta['inputs'] as Msg[] | undefined) ?? []).map((i) => ({
    path: String(i['path'] ?? ''),
    format: String(i['format'] ?? ''),
    bytes: Number(i['bytes'] ?? 0),
    mtimeMs: Number(i['mtimeMs'] ?? 0),
    gzip: Boolean(i['gzip']),
    ranges: ((i['ranges'] as Msg[] | undefined) ?? []).map((r): [number, number] => [Number(r['start'] ?? 0), Number(r['end'] ?? 0)]),
  })));
  s.meta.addFileErrors(((meta['fileErrors'] as Msg[] | undefined) ?? []).map((e) => ({
    path: String(e['path'] ?? ''), offset: Number(e['offset'] ?? 0), message: String(e['message'] ?? ''),
  })));
  const records = (msg['records'] as Msg | undefined) ?? {};
  s.records.wellFormed = Number(records['wellFormed'] ?? 0);
  decodeCounter(records['malformedByReason'] as StringCounterMsg | undefined, s.records.malformed);
  s.records.samples = ((records['samples'] as Msg[] | undefined) ?? []).map((r) => ({
    path: String(r['path'] ?? ''),
    offset: Number(r['offset'] ?? 0),
    reason: String(r['reason'] ?? ''),
    excerpt: String(r['excerpt'] ?? ''),
  }));
  if (msg['proxysg']) s.proxysg = msg['proxysg'] as ProxySgStats; // read by proxysg-wire.ts
  if (msg['ocsp']) s.ocsp = decodeOcsp(msg['ocsp'] as Msg);
  if (msg['audit']) s.audit = decodeAudit(msg['audit'] as Msg);
  if (msg['reconcile']) {
    const r = msg['reconcile'] as Msg;
    s.reconcile = { trx: decodeSide(r['trx'] as Msg | undefined), audit: decodeSide(r['audit'] as Msg | undefined) };
  }
  return s;
}
