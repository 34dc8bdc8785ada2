/**
 * Seeded synthetic EJBCA OCSP transaction logs, written the way PatternLogger writes them
 * (formats/ejbca-ocsp-logs.md): per-era default order and row shape, the REPLY_TIME /
 * PROCESS_TIME flush markers, GMT LOG_TIME, log4j/JBoss/WildFly prefixes with bare 6.x
 * continuation rows, responder restarts, malformed rows and other loggers' lines.
 * The returned stats are tallied from the events actually written, per the contract.
 */
import { Rng } from './random.js';
import { CompiledOrder, V, applyFlushMarkers, defaultTrxOrder, type TrxEra } from './ejbca-order.js';
import { CERT_STATUS_NAMES, REASON_NAMES, STATUS_NAMES, sessionId } from './ejbca-values.js';
import { LocalClock, TRX_CATEGORY, linePrefix, otherLoggerEvent, startupEvent, threadName, type TrxLayout } from './ejbca-layout.js';
import { TrxRequestFactory, type TrxRequest } from './ejbca-request.js';
import { ByteSink, EventQueue, type PendingEvent } from './output.js';

export type { TrxEra } from './ejbca-order.js';
export type { TrxLayout } from './ejbca-layout.js';

export interface EjbcaTrxGenOptions {
  bytes: number;
  seed: number;
  era?: TrxEra;
  layout?: TrxLayout;
  /** A custom ocsp.trx-log-order (runtime string); default: the era's default. */
  order?: string;
  /** The ocsp.properties.sample variant with `;${PROCESS_TIME}` after `${REPLY_TIME}` (default order only). */
  processTime?: boolean;
  /** Java date pattern for LOG_TIME (GMT). */
  logDate?: string;
  /** Fraction of requests replaced by a malformed row. */
  malformedRate?: number;
  /** Fraction of lines from other loggers (prefixed layouts only). */
  otherLoggerRate?: number;
  /** Responder runs: SESSION_ID changes and LOG_ID restarts at 0 on each restart. */
  sessions?: number;
  clients?: number;
  startTime?: Date;
}

export interface EjbcaTrxGenStats {
  bytes: number;
  lines: number;
  requests: number;
  rows: number;
  malformed: number;
  otherLoggerLines: number;
  certIds: number;
  byStatus: Record<string, number>;
  byCertStatus: Record<string, number>;
  byRevocationReason: Record<string, number>;
  replyTimes: number[];
  processTimes?: number[];
}

/** What an event adds to the stats once written: a request, a malformed row, or other lines. */
type EventData = { kind: 'request'; request: TrxRequest } | { kind: 'malformed' } | { kind: 'other'; lines: number };

const MEAN_GAP_MS = 40;
const LOG_ID_GAP_RATE = 0.01; // pre-signing and unlogged malformed requests consume LOG_IDs
const DEFAULT_START: Record<TrxEra, number> = {
  '6.x': Date.UTC(2017, 1, 21, 6), '7.0-7.7': Date.UTC(2020, 5, 15, 6), '7.8+': Date.UTC(2024, 3, 8, 6),
};
const GARBAGE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_/+=.:()[]#@!?*&%^~<>|';

const bump = (table: Record<string, number>, key: string): void => {
  table[key] = (table[key] ?? 0) + 1;
};

/** A line without any character of the order's literal text, so it cannot pass for a row. */
function garbage(rng: Rng, order: CompiledOrder): string | null {
  const alphabet = [...GARBAGE_ALPHABET].filter((c) => !order.literalChars.has(c));
  const letters = alphabet.filter((c) => /[A-Za-z]/.test(c));
  if (letters.length === 0) return null;
  let text = rng.pick(letters);
  const length = 20 + rng.int(80);
  while (text.length < length) text += rng.pick(alphabet);
  return text.trimEnd();
}

/**
 * One malformed row built from a would-be request: cut before its last separator, a
 * non-numeric REPLY_TIME, an odd-length SESSION_ID or ISSUER_NAME_HASH, or garbage.
 * Kinds the order cannot show fall back to garbage.
 */
function malformedRow(kind: number, req: TrxRequest, order: CompiledOrder, rng: Rng): string {
  const v = req.values;
  const reply = String(req.replyMs);
  const process = String(req.processMs);
  switch (kind) {
    case 0: {
      const head = order.lastLiteral > 0 ? applyFlushMarkers(order.renderHead(v), reply, process) : '';
      if (head.length >= 2) return head.slice(0, Math.ceil(head.length * 0.4) + rng.int(Math.floor(head.length * 0.6) + 1));
      break;
    }
    case 1:
      if (order.has(V.REPLY_TIME)) return applyFlushMarkers(order.render(v), `${reply}ms`, process);
      break;
    case 2:
      if (order.has(V.SESSION_ID)) {
        v[V.SESSION_ID] = v[V.SESSION_ID]!.slice(0, 31);
        return applyFlushMarkers(order.render(v), reply, process);
      }
      break;
    case 3:
      if (order.has(V.ISSUER_NAME_HASH)) {
        v[V.ISSUER_NAME_HASH] = v[V.ISSUER_NAME_HASH]!.slice(0, -1);
        return applyFlushMarkers(order.render(v), reply, process);
      }
      break;
  }
  return garbage(rng, order) ?? 'x'.repeat(40);
}

/**
 * Writes at least `opts.bytes` bytes of transaction log to `out`, ending on an event
 * boundary and honouring backpressure. The stream is not ended.
 */
export async function generateEjbcaTrx(opts: EjbcaTrxGenOptions, out: NodeJS.WritableStream): Promise<EjbcaTrxGenStats> {
  const era = opts.era ?? '7.8+';
  const layout = opts.layout ?? 'bare';
  const malformedRate = opts.malformedRate ?? 0;
  const otherRate = layout === 'bare' ? 0 : (opts.otherLoggerRate ?? 0);
  const sessions = opts.sessions ?? 3;
  const clientCount = opts.clients ?? 500;
  if (!(opts.bytes >= 0)) throw new RangeError(`bytes must be >= 0, got ${opts.bytes}`);
  if (!(malformedRate >= 0 && malformedRate <= 1)) throw new RangeError('malformedRate must be in [0, 1]');
  if (!(otherRate >= 0 && otherRate < 1)) throw new RangeError('otherLoggerRate must be in [0, 1)');
  if (!(Number.isInteger(sessions) && sessions >= 1)) throw new RangeError('sessions must be an integer >= 1');
  if (!(Number.isInteger(clientCount) && clientCount >= 1)) throw new RangeError('clients must be an integer >= 1');
  const start = opts.startTime?.getTime() ?? DEFAULT_START[era];
  if (Number.isNaN(start)) throw new RangeError('startTime is an invalid Date');

  const order = new CompiledOrder(opts.order ?? defaultTrxOrder(era, opts.processTime === true), era);
  const logDate = opts.logDate ?? (era === '7.8+' ? 'yyyy-MM-dd HH:mm:ss.SSSZ' : 'yyyy-MM-dd:HH:mm:ss:z');
  const rng = new Rng(opts.seed);
  const factory = new TrxRequestFactory(rng, era, order, logDate, clientCount);
  const hostIp = (10 << 24) | (rng.int(256) << 8) | (1 + rng.int(254)); // 10.0.x.y, in every SESSION_ID
  const clock = new LocalClock();
  const queue = new EventQueue<EventData>();
  const sink = new ByteSink(out);

  const stats: EjbcaTrxGenStats = {
    bytes: 0, lines: 0, requests: 0, rows: 0, malformed: 0, otherLoggerLines: 0, certIds: 0,
    byStatus: {}, byCertStatus: {}, byRevocationReason: {}, replyTimes: [],
  };
  const processTimes: number[] = [];
  if (order.has(V.PROCESS_TIME)) stats.processTimes = processTimes;

  const tally = (event: PendingEvent<EventData>): void => {
    const data = event.data;
    if (data.kind === 'other') {
      stats.otherLoggerLines += data.lines;
      stats.lines += data.lines;
      return;
    }
    stats.lines += data.kind === 'request' ? data.request.rows.length : 1;
    if (data.kind === 'malformed') {
      stats.malformed++;
      return;
    }
    const req = data.request;
    stats.requests++;
    stats.rows += req.rows.length;
    if (order.has(V.NUM_CERT_ID)) stats.certIds += req.certIds;
    if (order.has(V.STATUS)) bump(stats.byStatus, STATUS_NAMES[req.status]!);
    if (order.has(V.REPLY_TIME)) stats.replyTimes.push(req.replyMs);
    if (order.has(V.PROCESS_TIME)) processTimes.push(req.processMs);
    if (req.status !== 0) return; // error rows carry the default CERT_STATUS 0, not "good"
    req.rowCertStatus.forEach((certStatus, i) => {
      if (order.has(V.CERT_STATUS)) bump(stats.byCertStatus, CERT_STATUS_NAMES[certStatus]!);
      if (certStatus === 1 && order.has(V.REV_REASON)) bump(stats.byRevocationReason, REASON_NAMES[req.rowReasons[i]!]!);
    });
  };
  /** Writes the events flushed by `until`; the sink buffer grows, the caller hands it on. */
  const writeDue = (until: number): void => {
    for (let next = queue.peek(); next !== undefined && next.at <= until && sink.bytes < opts.bytes; next = queue.peek()) {
      queue.pop();
      sink.write(next.text + '\n', next.utf8);
      tally(next);
    }
  };

  let seq = 0;
  const push = (at: number, text: string, utf8: boolean, data: EventData): void => {
    queue.push({ at, seq: seq++, text, utf8, data });
  };
  const pushOther = (at: number): void => {
    const cert = factory.pickCert();
    const text = otherLoggerEvent(rng, era, layout, clock, at, {
      serial: cert.serial, issuerDn: factory.issuerDnOf(cert), statusWord: CERT_STATUS_NAMES[cert.status]!,
    });
    push(at, text, false, { kind: 'other', lines: text.split('\n').length });
  };
  // Per request, so that other loggers make up about otherRate of the events.
  const otherChance = otherRate / (1 - otherRate);

  let now = start;
  let session = 0;
  let sid = sessionId(rng, hostIp);
  let logId = 0;
  let fresh = true;
  let malformedKind = 0;
  while (sink.bytes < opts.bytes) {
    // Restart at each 1/sessions of the output, once the current run has logged something.
    if (!fresh && session + 1 < sessions && sink.bytes >= (opts.bytes * (session + 1)) / sessions) {
      // Graceful restart: in-flight requests are logged, then a new servlet instance starts.
      writeDue(Infinity);
      await sink.flush();
      if (sink.bytes >= opts.bytes) break;
      now += 60_000 + rng.int(240_000);
      session++;
      sid = sessionId(rng, hostIp);
      logId = 0;
      fresh = true;
      if (otherRate > 0) push(now, startupEvent(layout, clock, now, 8_000 + rng.int(20_000)), false, { kind: 'other', lines: 1 });
      continue;
    }
    now += Math.floor(-Math.log(1 - rng.next()) * MEAN_GAP_MS);
    if (otherRate > 0 && rng.next() < otherChance) pushOther(now);
    if (!fresh && rng.next() < LOG_ID_GAP_RATE) logId += 1 + rng.int(3);
    const malformed = !fresh && malformedRate > 0 && rng.next() < malformedRate;
    const req = factory.build(sid, logId++, now, { plain: fresh || malformed });
    const at = now + req.replyMs;
    const thread = layout === 'jboss7' || layout === 'wildfly' ? threadName(layout, rng) : '';
    const prefix = linePrefix(layout, clock, at, 'DEBUG', TRX_CATEGORY, thread);
    if (malformed) {
      // In 6.x the whole multi-row event is replaced by the one bad line.
      push(at, prefix + malformedRow(malformedKind++ % 5, req, order, rng), req.utf8, { kind: 'malformed' });
    } else {
      const text = applyFlushMarkers(req.rows.join('\n'), String(req.replyMs), String(req.processMs));
      push(at, prefix + text, req.utf8, { kind: 'request', request: req });
    }
    fresh = false;
    writeDue(now);
    if (sink.full) await sink.flush();
  }
  await sink.flush();
  stats.bytes = sink.bytes;
  return stats;
}
