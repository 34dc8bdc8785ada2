/**
 * Seeded synthetic EJBCA OCSP audit logs whose OCSPREQUEST / OCSPRESPONSE fields are real,
 * signed DER (formats/ejbca-ocsp-logs.md §2, §4-§7), optionally with the matching 7.0-7.7
 * transaction log for reconciliation. Stats are tallied from what is actually written and
 * follow the contract's counting rules, so they are the numbers certcrunch must report.
 */
import { Rng, weightedTable } from './random.js';
import { CompiledOrder, V, applyFlushMarkers, asReplacement, defaultTrxOrder, defaultValues } from './ejbca-order.js';
import {
  CERT_STATUS_NAMES, FORWARDED_TABLE, Popular, STATUS_NAMES, UNKNOWN_CAS, makeCertPool, makeClients, makeRequestors,
  replyTime, serialHex, sessionId, type CertEntry, type Requestor,
} from './ejbca-values.js';
import { LocalClock, linePrefix, threadName, type TrxLayout } from './ejbca-layout.js';
import { ByteSink, EventQueue, type PendingEvent } from './trx-output.js';
import { compileJavaDatePattern } from './java-date.js';
import {
  buildRequest, buildResponse, errorResponse, issuerFromHex, testPki, type CertIdSpec, type IssuerHashes, type ResponseSpec,
} from './ocsp-blobs.js';

export type AuditForm = 'properties' | 'sample-process-time' | '7.8+';

export interface EjbcaAuditGenOptions {
  bytes: number;
  seed: number;
  form?: AuditForm;
  layout?: TrxLayout;
  /** Share of requests with a record cut short or (bare layout) a garbage line after it. */
  malformedRate?: number;
  /** Share of well-formed records whose hex is odd-length or non-hex, or whose DER is truncated. */
  undecodableRate?: number;
  /** Responder runs: SESSION_ID changes and LOG_ID restarts at 0. */
  sessions?: number;
  /** Also write the 7.0-7.7 default-order transaction log (bare layout) here; not ended. */
  trxOut?: NodeJS.WritableStream;
  /** With trxOut: share of requests whose trx STATUS or CERT_STATUS disagrees with the audit. */
  mismatchRate?: number;
  trxOnlyRate?: number;
  auditOnlyRate?: number;
}

export interface EjbcaAuditGenStats {
  bytes: number;
  records: number;
  malformed: number;
  decoded: number;
  undecodable: number;
  byResponseStatus: Record<string, number>;
  byCertStatus: Record<string, number>;
  signedRequests: number;
  requestsWithNonce: number;
  reconcile?: { matched: number; mismatched: number; trxOnly: number; auditOnly: number };
}

export const AUDIT_CATEGORY = 'org.cesecore.certificates.ocsp.logging.AuditLogger';

// OCSPRespBuilder codes as the trx generator weighs them; 3 (tryLater) is never set by EJBCA.
const STATUS_TABLE = weightedTable([[940, 0], [15, 1], [5, 2], [20, 5], [20, 6]]);
const CERT_ID_COUNT = weightedTable([[85, 1], [8, 2], [4, 3], [2, 4], [1, 5]]);
const SIGNED_SHARE = 0.03;
const SHA256_SHARE = 0.15;
const NONCE_SHARE = 0.4; // OpenSSL-style clients send one, browsers do not
const MEAN_GAP_MS = 40;
const LOG_ID_GAP_RATE = 0.01;
const BATCH = 32; // requests signed together in the libuv pool
const IN_FLIGHT = 3; // batches signing while the main thread builds the next
const DEFAULT_START: Record<AuditForm, number> = {
  properties: Date.UTC(2020, 5, 15, 6), 'sample-process-time': Date.UTC(2020, 5, 15, 6), '7.8+': Date.UTC(2024, 3, 8, 6),
};
const REVOKED_WITHIN_S = 3 * 365 * 86_400;

/** One request as both loggers see it, before its blobs are rendered. */
interface Exchange {
  sid: string; logId: number; start: number; replyMs: number; processMs: number; status: number;
  ids: CertIdSpec[]; certs: CertEntry[]; requestor: Requestor | undefined; nonce: Buffer | undefined;
  audit: 'ok' | 'cut' | 'garbage' | 'undecodable' | 'absent';
  trx: 'ok' | 'status' | 'certStatus' | 'absent';
  client: string; forwardedFor: string; thread: string; blobs: Promise<[Buffer, Buffer]>;
}

type Written = PendingEvent<{ ex: Exchange; trx: string; trxUtf8: boolean }>;

const bump = (table: Record<string, number>, key: string): void => {
  table[key] = (table[key] ?? 0) + 1;
};

/** The audit order's physical lines (spec §2.1 / §2.2 defaults), before any joining. */
function auditLines(form: AuditForm, ex: Exchange, logTime: string, req: string, resp: string): string[] {
  const head = `SESSION_ID:${ex.sid};LOG ID:${ex.logId};"${logTime}";`;
  const times = form === 'sample-process-time'
    ? [`${head}REPLY TIME:${ex.replyMs};`, `TIME TO PROCESS:${ex.processMs};`]
    : [`${head}TIME TO PROCESS:${ex.replyMs};`];
  return [...times, 'OCSP REQUEST:', `"${req}";`, 'OCSP RESPONSE:', `"${resp}";`, `STATUS:${ex.status}`];
}

/** Damages one blob's hex: odd length, a non-hex character, or DER cut short (kind cycles). */
function spoil(hex: string, der: Buffer, kind: number, rng: Rng): string {
  if (kind === 0) return hex.slice(0, -1);
  if (kind === 1) {
    const at = rng.int(hex.length);
    return hex.slice(0, at) + rng.pick(['g', 'x', 'z', 'G', '-']) + hex.slice(at + 1);
  }
  return der.subarray(0, 1 + rng.int(der.length - 1)).toString('hex');
}

/** A line no reader can take for a record (bare layout only: prefixed layouts read it as a continuation). */
function garbageLine(rng: Rng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_/+=.:()[]#@!?*&%^~<>|';
  let text = rng.pick(['java.lang.', 'at org.', '#', '<', 'null', ']]']);
  for (let n = 10 + rng.int(70); n > 0; n--) text += alphabet[rng.int(alphabet.length)];
  return text.trimEnd();
}

/**
 * Writes at least `opts.bytes` bytes of audit log to `out` (and the trx log to `opts.trxOut`),
 * ending on a record boundary and honouring backpressure. Streams are not ended.
 */
export async function generateEjbcaAudit(opts: EjbcaAuditGenOptions, out: NodeJS.WritableStream): Promise<EjbcaAuditGenStats> {
  const form = opts.form ?? 'properties';
  const layout = opts.layout ?? 'bare';
  const withTrx = opts.trxOut !== undefined;
  const rates = {
    malformed: opts.malformedRate ?? 0, undecodable: opts.undecodableRate ?? 0,
    mismatch: withTrx ? (opts.mismatchRate ?? 0.01) : 0, trxOnly: withTrx ? (opts.trxOnlyRate ?? 0.005) : 0,
    auditOnly: withTrx ? (opts.auditOnlyRate ?? 0.005) : 0,
  };
  const sessions = opts.sessions ?? 3;
  if (!(opts.bytes >= 0)) throw new RangeError(`bytes must be >= 0, got ${opts.bytes}`);
  for (const [name, rate] of Object.entries(rates)) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name}Rate must be in [0, 1]`);
  }
  // Every request must reach the audit log now and then, or the byte budget is never met.
  if (!(rates.trxOnly < 1 && rates.trxOnly + rates.auditOnly <= 1)) throw new RangeError('trxOnlyRate must be < 1 and trxOnlyRate + auditOnlyRate <= 1');
  if (!(Number.isInteger(sessions) && sessions >= 1)) throw new RangeError('sessions must be an integer >= 1');

  const pki = testPki();
  const rng = new Rng(opts.seed);
  const certs = new Popular(makeCertPool(rng, form === '7.8+' ? '7.8+' : '7.0-7.7', 20_000, [1]), 0.8);
  const clients = new Popular(makeClients(rng, 500));
  const requestors = makeRequestors(rng);
  const foreign = UNKNOWN_CAS.map((ca) => ({ sha1: issuerFromHex(ca.sha1), sha256: issuerFromHex(ca.sha256) }));
  const formatLogTime = compileJavaDatePattern(form === '7.8+' ? 'yyyy-MM-dd HH:mm:ss.SSSZ' : 'yyyy-MM-dd:HH:mm:ss:z');
  const trxOrder = new CompiledOrder(defaultTrxOrder('7.0-7.7'), '7.0-7.7');
  const caDn = asReplacement(pki.caDn);
  const hostIp = (10 << 24) | (rng.int(256) << 8) | (1 + rng.int(254));
  const clock = new LocalClock();
  const queue = new EventQueue<{ ex: Exchange; trx: string; trxUtf8: boolean }>();
  const sink = new ByteSink(out);
  const trxSink = opts.trxOut ? new ByteSink(opts.trxOut) : undefined;
  const lineBreak = form === '7.8+' ? '\\n' : '\n';

  const stats: EjbcaAuditGenStats = {
    bytes: 0, records: 0, malformed: 0, decoded: 0, undecodable: 0, byResponseStatus: {}, byCertStatus: {},
    signedRequests: 0, requestsWithNonce: 0,
  };
  const rec = { matched: 0, mismatched: 0, trxOnly: 0, auditOnly: 0 };
  if (withTrx) stats.reconcile = rec;

  // Per responder run: how it answers (ResponderID type, nextUpdate, whether the chain is included).
  let config: Pick<ResponseSpec, 'responderIdByName' | 'validitySeconds' | 'includeChain'> = { responderIdByName: false, includeChain: true };
  const newConfig = (): void => {
    const validity = rng.pick([undefined, 3600, 86_400]);
    config = { responderIdByName: rng.chance(0.3), includeChain: rng.chance(0.8), ...(validity === undefined ? {} : { validitySeconds: validity }) };
  };

  /** Decides everything about one request with the Rng, then starts signing its blobs. */
  const build = (sid: string, logId: number, start: number, plain: boolean): Exchange => {
    const status = plain ? 0 : STATUS_TABLE[rng.int(STATUS_TABLE.length)]!;
    const count = plain ? 1 : CERT_ID_COUNT[rng.int(CERT_ID_COUNT.length)]!;
    const sha256 = rng.chance(SHA256_SHARE);
    const badNonce = status === 1 && rng.chance(0.5); // IllegalNonceException: over 32 octets
    const md5 = status === 1 && !badNonce; // InvalidAlgorithmException
    const requestor = status !== 5 && rng.chance(SIGNED_SHARE) ? rng.pick(requestors) : undefined;
    const nonce = badNonce || rng.chance(NONCE_SHARE) ? Buffer.from(Array.from({ length: badNonce ? 33 + rng.int(32) : 16 }, () => rng.int(256))) : undefined;
    const picked: CertEntry[] = [];
    const ids: CertIdSpec[] = [];
    for (let tries = 0; picked.length < count && tries < 50; tries++) {
      const cert = certs.pick(rng);
      if (status !== 6 && picked.includes(cert)) continue; // one SingleResponse per distinct CertID
      const issuer: IssuerHashes = status === 6 ? rng.pick(foreign)[sha256 ? 'sha256' : 'sha1'] : md5 ? pki.md5 : sha256 ? pki.sha256 : pki.sha1;
      picked.push(cert);
      ids.push({ issuer, serial: status === 6 ? serialHex(Uint8Array.from({ length: 16 }, () => rng.int(256))) : cert.serial });
    }
    const replyMs = replyTime(rng);
    const request = buildRequest({ certIds: ids, ...(nonce ? { nonce } : {}), ...(requestor ? { requestorDn: requestor.reqName, signed: true } : {}) });
    const response = status !== 0 ? errorResponse(status as 1 | 2 | 5 | 6) : buildResponse({
      ...config, producedAt: start + replyMs, ...(nonce ? { nonce } : {}),
      singles: picked.map((cert, i) => ({
        certId: ids[i]!, status: cert.status, reason: cert.reason,
        revokedAt: start - (parseInt(cert.serial.slice(-6), 16) % REVOKED_WITHIN_S) * 1000 - 86_400_000,
      })),
    });
    const side = rng.next();
    const audit = plain || side < rates.trxOnly ? (plain ? 'ok' : 'absent')
      : rng.chance(rates.malformed) ? (layout === 'bare' && rng.chance(0.5) ? 'garbage' : 'cut')
        : rng.chance(rates.undecodable) ? 'undecodable' : 'ok';
    const trx = !withTrx || (!plain && side >= 1 - rates.auditOnly) ? 'absent'
      : !plain && rng.chance(rates.mismatch) ? (status === 0 && audit !== 'undecodable' && rng.chance(0.5) ? 'certStatus' : 'status') : 'ok';
    return {
      sid, logId, start, replyMs, processMs: replyMs - rng.int(Math.min(replyMs, 3) + 1), status, ids, certs: picked,
      requestor, nonce, audit, trx, client: clients.pick(rng), forwardedFor: FORWARDED_TABLE[rng.int(FORWARDED_TABLE.length)]!,
      thread: layout === 'jboss7' || layout === 'wildfly' ? threadName(layout, rng) : '',
      blobs: Promise.all([request, response]),
    };
  };

  /** The 7.0-7.7 trx row: NUM_CERT_ID and the last CertID's fields (spec §3.3, §5). */
  const trxRow = (ex: Exchange, logTime: string): { text: string; status: number; certStatus: number } => {
    const v = defaultValues();
    let status = ex.status;
    if (ex.trx === 'status') status = rng.pick([0, 1, 2, 5, 6].filter((s) => s !== ex.status));
    v[V.SESSION_ID] = ex.sid;
    v[V.LOG_ID] = String(ex.logId);
    v[V.STATUS] = String(status);
    v[V.CLIENT_IP] = ex.client;
    v[V.LOG_TIME] = logTime;
    v[V.NUM_CERT_ID] = String(ex.ids.length);
    v[V.FORWARDED_FOR] = ex.forwardedFor;
    if (ex.requestor) {
      v[V.REQ_NAME] = ex.requestor.reqName;
      v[V.SIGN_ISSUER_NAME_DN] = ex.requestor.signIssuerDn;
      v[V.SIGN_SUBJECT_NAME] = ex.requestor.signSubjectDn;
      v[V.SIGN_SERIAL_NO] = ex.requestor.signSerial;
    }
    const last = ex.ids[ex.ids.length - 1]!;
    const cert = ex.certs[ex.certs.length - 1]!;
    let certStatus = 0;
    if (ex.status === 0 || ex.status === 6) {
      v[V.ISSUER_NAME_HASH] = last.issuer.nameHash.toString('hex');
      v[V.ISSUER_KEY] = last.issuer.keyHash.toString('hex');
      v[V.DIGEST_ALGOR] = last.issuer.oid;
      v[V.SERIAL_NOHEX] = last.serial;
    }
    if (ex.status === 0) {
      certStatus = ex.trx === 'certStatus' ? (cert.status + 1 + rng.int(2)) % 3 : cert.status;
      v[V.ISSUER_NAME_DN] = caDn;
      v[V.CERT_STATUS] = String(certStatus);
      v[V.CERT_PROFILE_ID] = cert.profileId;
    }
    return { text: applyFlushMarkers(trxOrder.render(v), String(ex.replyMs), String(ex.processMs)), status, certStatus };
  };

  /** Renders a signed exchange into its queued event (audit text, trx row) and tallies its fate. */
  const finish = (ex: Exchange, request: Buffer, response: Buffer, seq: number): Written => {
    const at = ex.start + ex.replyMs;
    const logTime = formatLogTime(ex.start);
    let text = '';
    if (ex.audit !== 'absent') {
      let req = request.toString('hex');
      let resp = response.toString('hex');
      if (ex.audit === 'undecodable') {
        const kind = rng.int(3);
        if (rng.chance(0.5)) req = spoil(req, request, kind, rng);
        else resp = spoil(resp, response, kind, rng);
      }
      const lines = auditLines(form, ex, logTime, req, resp);
      let message = lines.join(lineBreak);
      if (ex.audit === 'cut') {
        // Multi-line: drop the last line(s). One line: cut before the last literal (`";\nSTATUS:`).
        if (lineBreak === '\n') message = lines.slice(0, 1 + rng.int(lines.length - 1)).join('\n');
        else message = message.slice(0, lines[0]!.length + rng.int(message.lastIndexOf('";\\nSTATUS:') - lines[0]!.length));
      }
      text = linePrefix(layout, clock, at, 'DEBUG', AUDIT_CATEGORY, ex.thread) + message;
      if (ex.audit === 'garbage') text += `\n${garbageLine(rng)}`;
    }
    const row = ex.trx === 'absent' ? undefined : trxRow(ex, logTime);
    return { at, seq, text, utf8: false, data: { ex, trx: row?.text ?? '', trxUtf8: ex.requestor?.ascii === false } };
  };

  const tally = (event: Written): void => {
    const { ex } = event.data;
    if (ex.audit === 'cut' || ex.audit === 'garbage') stats.malformed++;
    const keyed = ex.audit !== 'absent' && ex.audit !== 'cut';
    if (keyed) stats.records++;
    if (ex.audit === 'undecodable') stats.undecodable++;
    else if (keyed) {
      stats.decoded++;
      bump(stats.byResponseStatus, STATUS_NAMES[ex.status]!);
      if (ex.status === 0) for (const cert of ex.certs) bump(stats.byCertStatus, CERT_STATUS_NAMES[cert.status]);
      if (ex.requestor) stats.signedRequests++;
      if (ex.nonce) stats.requestsWithNonce++;
    }
    if (!withTrx) return;
    // The contract's rules: a key in both logs matches unless STATUS differs or, both successful
    // and the record decodable, the trx CERT_STATUS differs from the same CertID's answer.
    if (keyed && ex.trx !== 'absent') {
      if (ex.trx === 'ok') rec.matched++;
      else rec.mismatched++;
    } else if (ex.trx !== 'absent') rec.trxOnly++;
    else if (keyed) rec.auditOnly++;
  };

  const writeDue = (until: number): void => {
    for (let next = queue.peek(); next !== undefined && next.at <= until && sink.bytes < opts.bytes; next = queue.peek()) {
      queue.pop();
      if (next.text !== '') sink.write(next.text + '\n', false);
      if (trxSink && next.data.trx !== '') trxSink.write(next.data.trx + '\n', next.data.trxUtf8);
      tally(next);
    }
  };
  const flushFull = async (): Promise<void> => {
    if (sink.full) await sink.flush();
    if (trxSink?.full) await trxSink.flush();
  };

  // Batches sign in the libuv pool while the next is built; finishing them in order keeps the
  // Rng sequence, and so every byte, independent of signing speed.
  const inFlight: Array<{ exchanges: Exchange[]; blobs: Promise<Array<[Buffer, Buffer]>> }> = [];
  let seq = 0;
  const settleOldest = async (): Promise<void> => {
    const batch = inFlight.shift()!;
    const blobs = await batch.blobs;
    batch.exchanges.forEach((ex, i) => queue.push(finish(ex, blobs[i]![0], blobs[i]![1], seq++)));
    writeDue(batch.exchanges[batch.exchanges.length - 1]!.start);
    await flushFull();
  };

  let now = DEFAULT_START[form];
  let session = 0;
  let sid = sessionId(rng, hostIp);
  let logId = 0;
  let fresh = true;
  newConfig();
  while (sink.bytes < opts.bytes) {
    if (!fresh && session + 1 < sessions && sink.bytes >= (opts.bytes * (session + 1)) / sessions) {
      // Graceful restart: in-flight requests are logged, then a new servlet instance starts.
      while (inFlight.length > 0) await settleOldest();
      writeDue(Infinity);
      if (sink.bytes >= opts.bytes) break;
      now += 60_000 + rng.int(240_000);
      session++;
      sid = sessionId(rng, hostIp);
      logId = 0;
      fresh = true;
      newConfig();
      continue;
    }
    const exchanges: Exchange[] = [];
    for (let i = 0; i < BATCH; i++) {
      now += Math.floor(-Math.log(1 - rng.next()) * MEAN_GAP_MS);
      if (!fresh && rng.chance(LOG_ID_GAP_RATE)) logId += 1 + rng.int(3);
      exchanges.push(build(sid, logId++, now, fresh));
      fresh = false;
    }
    inFlight.push({ exchanges, blobs: Promise.all(exchanges.map((ex) => ex.blobs)) });
    if (inFlight.length >= IN_FLIGHT) await settleOldest();
  }
  // Batches still signing are dropped: the byte budget is already met.
  await Promise.allSettled(inFlight.map((b) => b.blobs));
  await sink.flush();
  await trxSink?.flush();
  stats.bytes = sink.bytes;
  return stats;
}
