/**
 * Seeded synthetic EJBCA OCSP audit logs whose OCSPREQUEST / OCSPRESPONSE fields are real,
 * signed DER (formats/ejbca-ocsp-logs.md §2, §4-§7), optionally with the matching 7.0-7.7
 * transaction log. Stats are tallied from what is actually written, by the contract's rules,
 * so they are the numbers certcrunch must report for the output.
 */
import { Rng, weightedTable } from './random.js';
import { CompiledOrder, V, applyFlushMarkers, asReplacement, defaultTrxOrder, defaultValues } from './ejbca-order.js';
import {
  CERT_STATUS_NAMES, FORWARDED_TABLE, Popular, STATUS_NAMES, UNKNOWN_CAS, makeCertPool, makeClients, makeRequestors,
  replyTime, serialHex, sessionId, type CertEntry, type Requestor,
} from './ejbca-values.js';
import { LocalClock, linePrefix, threadName, type TrxLayout } from './ejbca-layout.js';
import { ByteSink, EventQueue, type PendingEvent } from './output.js';
import { compileJavaDatePattern } from './java-date.js';
import {
  buildRequest, buildResponse, damagedHex, errorResponse, issuerFromHex, testPki, type CertIdSpec, type ResponseSpec,
} from './ocsp-blobs.js';

export type AuditForm = 'properties' | 'sample-process-time' | '7.8+';

export interface EjbcaAuditGenOptions {
  bytes: number;
  seed: number;
  form?: AuditForm;
  layout?: TrxLayout;
  /** Share of requests whose record is cut short or (bare layout) followed by a garbage line. */
  malformedRate?: number;
  /** Share of well-formed records whose hex is odd-length or non-hex, or whose DER is truncated. */
  undecodableRate?: number;
  /** Responder runs: SESSION_ID changes and LOG_ID restarts at 0 (default 3). */
  sessions?: number;
  /** Also write the EJBCA 7.0-7.7 default-order transaction log (bare layout) here; not ended. */
  trxOut?: NodeJS.WritableStream;
  /** With trxOut: shares of requests whose trx STATUS or CERT_STATUS disagrees, or that only one log has. */
  mismatchRate?: number;
  trxOnlyRate?: number;
  auditOnlyRate?: number;
}

/** What was written, counted by the contract's rules. */
export interface EjbcaAuditGenStats {
  bytes: number; records: number; malformed: number; decoded: number; undecodable: number;
  byResponseStatus: Record<string, number>; byCertStatus: Record<string, number>;
  signedRequests: number; requestsWithNonce: number;
  /** With trxOut: what `certcrunch reconcile` must say about the pair. */
  reconcile?: { matched: number; mismatched: number; trxOnly: number; auditOnly: number };
}

export const AUDIT_CATEGORY = 'org.cesecore.certificates.ocsp.logging.AuditLogger';

// OCSPRespBuilder codes, weighed as in the trx generator; 3 (tryLater) is never set by EJBCA.
const STATUS_TABLE = weightedTable([[940, 0], [15, 1], [5, 2], [20, 5], [20, 6]]);
const CERT_ID_COUNT = weightedTable([[85, 1], [8, 2], [4, 3], [2, 4], [1, 5]]);
const SIGNED_SHARE = 0.03;
const SHA256_SHARE = 0.15;
const NONCE_SHARE = 0.4; // OpenSSL-style clients send one, browsers do not
const MEAN_GAP_MS = 40;
const LOG_ID_GAP_RATE = 0.01; // pre-signing and unlogged malformed requests consume LOG_IDs
const BATCH = 32; // requests whose responses sign together in the libuv pool
const IN_FLIGHT = 3; // batches signing while the main thread builds the next
const START: Record<AuditForm, number> = {
  properties: Date.UTC(2020, 5, 15, 6), 'sample-process-time': Date.UTC(2020, 5, 15, 6), '7.8+': Date.UTC(2024, 3, 8, 6),
};
const REVOKED_WITHIN_S = 3 * 365 * 86_400;

/** One request as both loggers see it; its blobs are signing while later ones are built. */
interface Exchange {
  sid: string; logId: number; start: number; replyMs: number; processMs: number; status: number;
  ids: CertIdSpec[]; certs: CertEntry[]; requestor: Requestor | undefined; nonce: Buffer | undefined;
  audit: 'ok' | 'cut' | 'garbage' | 'undecodable' | 'absent';
  /** The trx row's STATUS and CERT_STATUS (deliberately wrong for mismatches); undefined: no row. */
  trxStatus: number | undefined; trxCertStatus: number;
  client: string; forwardedFor: string; thread: string; blobs: Promise<[Buffer, Buffer]>;
}

type Event = PendingEvent<{ ex: Exchange; trx: string; trxUtf8: boolean }>;

const bump = (table: Record<string, number>, key: string): void => {
  table[key] = (table[key] ?? 0) + 1;
};

/** The default audit order (spec §2.1 / §2.2) as physical lines, before joining with LF or `\n`. */
function auditLines(form: AuditForm, ex: Exchange, logTime: string, req: string, resp: string): string[] {
  const head = `SESSION_ID:${ex.sid};LOG ID:${ex.logId};"${logTime}";`;
  const times = form === 'sample-process-time'
    ? [`${head}REPLY TIME:${ex.replyMs};`, `TIME TO PROCESS:${ex.processMs};`]
    : [`${head}TIME TO PROCESS:${ex.replyMs};`];
  return [...times, 'OCSP REQUEST:', `"${req}";`, 'OCSP RESPONSE:', `"${resp}";`, `STATUS:${ex.status}`];
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
  const sessions = opts.sessions ?? 3;
  const rates = {
    malformed: opts.malformedRate ?? 0, undecodable: opts.undecodableRate ?? 0, mismatch: withTrx ? (opts.mismatchRate ?? 0.01) : 0,
    trxOnly: withTrx ? (opts.trxOnlyRate ?? 0.005) : 0, auditOnly: withTrx ? (opts.auditOnlyRate ?? 0.005) : 0,
  };
  if (!(opts.bytes >= 0)) throw new RangeError(`bytes must be >= 0, got ${opts.bytes}`);
  for (const [name, rate] of Object.entries(rates)) if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name}Rate must be in [0, 1]`);
  // Requests must reach the audit log, or the byte budget is never met.
  if (!(rates.trxOnly < 1 && rates.trxOnly + rates.auditOnly <= 1)) throw new RangeError('need trxOnlyRate < 1 and trxOnlyRate + auditOnlyRate <= 1');
  if (!(Number.isInteger(sessions) && sessions >= 1)) throw new RangeError('sessions must be an integer >= 1');

  const pki = testPki();
  const rng = new Rng(opts.seed);
  // One CA (the test CA, so CertID hashes are real); unknown-CA requests use the trx generator's foreign CAs.
  const certs = new Popular(makeCertPool(rng, form === '7.8+' ? '7.8+' : '7.0-7.7', 20_000, [1]), 0.8);
  const clients = new Popular(makeClients(rng, 500));
  const requestors = makeRequestors(rng);
  const foreign = UNKNOWN_CAS.map((ca) => ({ sha1: issuerFromHex(ca.sha1), sha256: issuerFromHex(ca.sha256) }));
  const formatLogTime = compileJavaDatePattern(form === '7.8+' ? 'yyyy-MM-dd HH:mm:ss.SSSZ' : 'yyyy-MM-dd:HH:mm:ss:z');
  const trxOrder = new CompiledOrder(defaultTrxOrder('7.0-7.7'), '7.0-7.7');
  const caDn = asReplacement(pki.caDn);
  const hostIp = (10 << 24) | (rng.int(256) << 8) | (1 + rng.int(254));
  const clock = new LocalClock();
  const queue = new EventQueue<Event['data']>();
  const sink = new ByteSink(out);
  const trxSink = opts.trxOut ? new ByteSink(opts.trxOut) : undefined;
  const runStart = START[form];

  const stats: EjbcaAuditGenStats = { bytes: 0, records: 0, malformed: 0, decoded: 0, undecodable: 0, byResponseStatus: {},
    byCertStatus: {}, signedRequests: 0, requestsWithNonce: 0 };
  const rec = { matched: 0, mismatched: 0, trxOnly: 0, auditOnly: 0 };
  if (withTrx) stats.reconcile = rec;

  // Per responder run: ResponderID type, nextUpdate, whether the CA certificate is included.
  let config: Pick<ResponseSpec, 'responderIdByName' | 'validitySeconds' | 'includeChain'> = { responderIdByName: false, includeChain: true };
  const newConfig = (): void => {
    const validity = rng.pick([undefined, 3600, 86_400]);
    config = { responderIdByName: rng.chance(0.3), includeChain: rng.chance(0.9), ...(validity === undefined ? {} : { validitySeconds: validity }) };
  };
  const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => rng.int(256)));

  /** Decides everything about one request with the Rng, then starts signing its blobs. */
  const build = (sid: string, logId: number, start: number, plain: boolean): Exchange => {
    const status = plain ? 0 : STATUS_TABLE[rng.int(STATUS_TABLE.length)]!;
    const count = plain ? 1 : CERT_ID_COUNT[rng.int(CERT_ID_COUNT.length)]!;
    const sha256 = rng.chance(SHA256_SHARE);
    const badNonce = status === 1 && rng.chance(0.5); // IllegalNonceException: over 32 octets
    const md5 = status === 1 && !badNonce; // InvalidAlgorithmException
    const requestor = status !== 5 && rng.chance(SIGNED_SHARE) ? rng.pick(requestors) : undefined;
    const nonce = badNonce || rng.chance(NONCE_SHARE) ? randomBytes(badNonce ? 33 + rng.int(32) : 16) : undefined;
    const picked: CertEntry[] = [];
    const ids: CertIdSpec[] = [];
    for (let tries = 0; picked.length < count && tries < 50; tries++) {
      const cert = certs.pick(rng);
      if (status === 6) {
        ids.push({ issuer: rng.pick(foreign)[sha256 ? 'sha256' : 'sha1'], serial: serialHex(randomBytes(16)) });
      } else {
        if (picked.includes(cert)) continue; // one SingleResponse per distinct CertID
        ids.push({ issuer: md5 ? pki.md5 : sha256 ? pki.sha256 : pki.sha1, serial: cert.serial });
      }
      picked.push(cert);
    }
    const replyMs = replyTime(rng);
    const request = buildRequest({ certIds: ids, ...(nonce ? { nonce } : {}), ...(requestor ? { requestorDn: requestor.reqName, signed: true } : {}) });
    const response = status !== 0 ? errorResponse(status as 1 | 2 | 5 | 6) : buildResponse({
      ...config, producedAt: start + replyMs, ...(nonce ? { nonce } : {}),
      singles: picked.map((cert, i) => ({
        certId: ids[i]!, status: cert.status, reason: cert.reason,
        revokedAt: runStart - (parseInt(cert.serial.slice(-6), 16) % REVOKED_WITHIN_S) * 1000, // fixed per certificate
      })),
    });
    // One draw places the request in one log only (trx-only, audit-only) or in both.
    const side = rng.next();
    const audit = plain ? 'ok' : side < rates.trxOnly ? 'absent'
      : rng.chance(rates.malformed) ? (layout === 'bare' && rng.chance(0.5) ? 'garbage' : 'cut')
        : rng.chance(rates.undecodable) ? 'undecodable' : 'ok';
    const lastStatus = picked[picked.length - 1]!.status;
    let trxStatus = !withTrx || (!plain && side >= 1 - rates.auditOnly) ? undefined : status;
    let trxCertStatus = status === 0 ? lastStatus : 0;
    if (trxStatus !== undefined && !plain && rng.chance(rates.mismatch)) {
      // A wrong CERT_STATUS only shows when the record decodes; otherwise make STATUS differ.
      if (status === 0 && audit !== 'undecodable' && rng.chance(0.5)) trxCertStatus = (lastStatus + 1 + rng.int(2)) % 3;
      else trxStatus = rng.pick([0, 1, 2, 5, 6].filter((s) => s !== status));
    }
    return {
      sid, logId, start, replyMs, processMs: replyMs - rng.int(Math.min(replyMs, 3) + 1), status, ids, certs: picked,
      requestor, nonce, audit, trxStatus, trxCertStatus, client: clients.pick(rng),
      forwardedFor: FORWARDED_TABLE[rng.int(FORWARDED_TABLE.length)]!,
      thread: layout === 'jboss7' || layout === 'wildfly' ? threadName(layout, rng) : '',
      blobs: Promise.all([request, response]),
    };
  };

  /** The 7.0-7.7 trx row: NUM_CERT_ID and the last CertID's fields (spec §3.3, §5); '' when absent. */
  const trxRow = (ex: Exchange, logTime: string): string => {
    if (ex.trxStatus === undefined) return '';
    const v = defaultValues();
    const put = (values: ReadonlyArray<readonly [number, string]>): void => values.forEach(([slot, value]) => { v[slot] = value; });
    put([[V.SESSION_ID, ex.sid], [V.LOG_ID, String(ex.logId)], [V.STATUS, String(ex.trxStatus)], [V.CLIENT_IP, ex.client],
      [V.LOG_TIME, logTime], [V.NUM_CERT_ID, String(ex.ids.length)], [V.FORWARDED_FOR, ex.forwardedFor]]);
    const who = ex.requestor;
    if (who) put([[V.REQ_NAME, who.reqName], [V.SIGN_ISSUER_NAME_DN, who.signIssuerDn], [V.SIGN_SUBJECT_NAME, who.signSubjectDn], [V.SIGN_SERIAL_NO, who.signSerial]]);
    const last = ex.ids[ex.ids.length - 1]!;
    // Error paths leave the defaults, except unknown-CA (6), which has put the CertID fields.
    if (ex.status === 0 || ex.status === 6) {
      put([[V.ISSUER_NAME_HASH, last.issuer.nameHash.toString('hex')], [V.ISSUER_KEY, last.issuer.keyHash.toString('hex')],
        [V.DIGEST_ALGOR, last.issuer.oid], [V.SERIAL_NOHEX, last.serial]]);
    }
    if (ex.status === 0) {
      put([[V.ISSUER_NAME_DN, caDn], [V.CERT_STATUS, String(ex.trxCertStatus)], [V.CERT_PROFILE_ID, ex.certs[ex.certs.length - 1]!.profileId]]);
    }
    return applyFlushMarkers(trxOrder.render(v), String(ex.replyMs), String(ex.processMs));
  };

  /** Renders a signed exchange into its event: audit text (possibly damaged) and trx row. */
  const render = (ex: Exchange, request: Buffer, response: Buffer, seq: number): Event => {
    const at = ex.start + ex.replyMs;
    const logTime = formatLogTime(ex.start);
    let text = '';
    if (ex.audit !== 'absent') {
      const damaged = ex.audit === 'undecodable' ? (rng.chance(0.5) ? 'request' : 'response') : undefined;
      const draw = (n: number): number => rng.int(n);
      const req = damaged === 'request' ? damagedHex(request, draw) : request.toString('hex');
      const resp = damaged === 'response' ? damagedHex(response, draw) : response.toString('hex');
      const lines = auditLines(form, ex, logTime, req, resp);
      let message = lines.join(form === '7.8+' ? '\\n' : '\n');
      if (ex.audit === 'cut' && form !== '7.8+') message = lines.slice(0, 1 + rng.int(lines.length - 1)).join('\n');
      if (ex.audit === 'cut' && form === '7.8+') {
        // One physical line: cut it before its last literal, `";\nSTATUS:`.
        message = message.slice(0, lines[0]!.length + rng.int(message.lastIndexOf('";\\nSTATUS:') - lines[0]!.length));
      }
      text = linePrefix(layout, clock, at, 'DEBUG', AUDIT_CATEGORY, ex.thread) + message;
      if (ex.audit === 'garbage') text += `\n${garbageLine(rng)}`; // after a whole record, never inside one
    }
    return { at, seq, text, utf8: false, data: { ex, trx: trxRow(ex, logTime), trxUtf8: ex.requestor?.ascii === false } };
  };

  const tally = ({ ex }: Event['data']): void => {
    const keyed = ex.audit !== 'absent' && ex.audit !== 'cut'; // a well-formed record: it has a reconcile key
    if (ex.audit === 'cut' || ex.audit === 'garbage') stats.malformed++;
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
    const inTrx = ex.trxStatus !== undefined;
    // Mismatched: STATUS differs, or (both successful, record decodable) the trx CERT_STATUS
    // differs from the SingleResponse of the same CertID, which is the last one.
    const mismatch = ex.trxStatus !== ex.status ||
      (ex.status === 0 && ex.audit !== 'undecodable' && ex.trxCertStatus !== ex.certs[ex.certs.length - 1]!.status);
    if (keyed && inTrx) rec[mismatch ? 'mismatched' : 'matched']++;
    else if (inTrx) rec.trxOnly++;
    else if (keyed) rec.auditOnly++;
  };

  const writeDue = (until: number): void => {
    for (let next = queue.peek(); next !== undefined && next.at <= until && sink.bytes < opts.bytes; next = queue.peek()) {
      queue.pop();
      if (next.text !== '') sink.write(next.text + '\n', false);
      if (trxSink && next.data.trx !== '') trxSink.write(next.data.trx + '\n', next.data.trxUtf8);
      tally(next.data);
      written++;
    }
  };

  // Responses sign in the libuv pool while the next batch is built. Batches are rendered in
  // order, so the Rng sequence, and every byte, does not depend on signing speed.
  const inFlight: Array<{ exchanges: Exchange[]; blobs: Promise<Array<[Buffer, Buffer]>> }> = [];
  let seq = 0;
  let built = 0;
  let written = 0;
  // Bytes once everything built is written, from the average so far: restarts and the end are
  // decided per request, not per batch, so small outputs still get every session.
  const projected = (): number => sink.bytes + (built - written) * (written > 0 ? sink.bytes / written : 5000);
  const settleOldest = async (): Promise<void> => {
    const batch = inFlight.shift()!;
    const blobs = await batch.blobs;
    batch.exchanges.forEach((ex, i) => queue.push(render(ex, blobs[i]![0], blobs[i]![1], seq++)));
    writeDue(batch.exchanges[batch.exchanges.length - 1]!.start);
    if (sink.full) await sink.flush();
    if (trxSink?.full) await trxSink.flush();
  };

  let now = runStart;
  let session = 0;
  let [sid, logId, fresh] = ['', 0, true];
  /** A responder (re)start: new servlet instance, new SESSION_ID, LOG_ID from 0. */
  const startRun = (): void => {
    [sid, logId, fresh] = [sessionId(rng, hostIp), 0, true];
    newConfig();
  };
  startRun();
  const restartDue = (): boolean => !fresh && session + 1 < sessions && projected() >= (opts.bytes * (session + 1)) / sessions;
  while (sink.bytes < opts.bytes) {
    if (restartDue()) {
      // Graceful restart: in-flight requests are logged, then a new servlet instance starts.
      while (inFlight.length > 0) await settleOldest();
      writeDue(Infinity);
      if (sink.bytes >= opts.bytes) break;
      now += 60_000 + rng.int(240_000);
      session++;
      startRun();
      continue;
    }
    if (inFlight.length === 0 || projected() < opts.bytes) {
      const exchanges: Exchange[] = [];
      do {
        now += Math.floor(-Math.log(1 - rng.next()) * MEAN_GAP_MS);
        if (!fresh && rng.chance(LOG_ID_GAP_RATE)) logId += 1 + rng.int(3);
        exchanges.push(build(sid, logId++, now, fresh)); // a run's first request is plain, for format detection
        built++;
        fresh = false;
      } while (exchanges.length < BATCH && projected() < opts.bytes && !restartDue());
      inFlight.push({ exchanges, blobs: Promise.all(exchanges.map((ex) => ex.blobs)) });
    }
    if (inFlight.length >= IN_FLIGHT || projected() >= opts.bytes || restartDue()) await settleOldest();
  }
  await Promise.allSettled(inFlight.map((b) => b.blobs)); // still signing: dropped, the budget is met
  await sink.flush();
  await trxSink?.flush();
  stats.bytes = sink.bytes;
  return stats;
}
