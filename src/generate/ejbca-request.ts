/**
 * Simulates what EJBCA's OCSP request path puts into the TransactionLogger value map and
 * which rows it writes: 6.x writes one row per CertID, 7.0+ one row carrying the last
 * CertID's fields (spec §3.3, §3.5, §5).
 */
import { Rng, weightedTable } from './random.js';
import { CompiledOrder, V, defaultValues, type TrxEra } from './ejbca-order.js';
import {
  FORWARDED_TABLE, Popular, UNKNOWN_CAS, makeCas, makeCertPool, makeClients, makeRequestors, replyTime,
  serialHex, type CaProfile, type CertEntry, type Requestor,
} from './ejbca-values.js';
import { compileJavaDatePattern } from './java-date.js';

/** OCSPRespBuilder codes; 3 (tryLater) is never set by EJBCA. */
const STATUS_TABLE = weightedTable([[940, 0], [15, 1], [5, 2], [20, 5], [20, 6]]);
const CERT_ID_COUNT = weightedTable([[85, 1], [8, 2], [4, 3], [2, 4], [1, 5]]);
const SIGNED_SHARE = 0.03;
const SHA256_SHARE = 0.15;

export interface TrxRequest {
  /** The value map after the last CertID, already in appendReplacement form. */
  readonly values: string[];
  /** Rendered rows before flush() replaces the time markers. */
  readonly rows: string[];
  readonly status: number;
  readonly certIds: number;
  /** CERT_STATUS and REV_REASON of each written row (successful requests only). */
  readonly rowCertStatus: number[];
  readonly rowReasons: number[];
  readonly replyMs: number;
  readonly processMs: number;
  readonly utf8: boolean;
  /** The first requested certificate, for other loggers' messages. */
  readonly firstCert: CertEntry;
}

export interface RequestOptions {
  /** Successful single-CertID request (the first of a session, and the base of malformed rows). */
  readonly plain: boolean;
}

export class TrxRequestFactory {
  private readonly cas: CaProfile[];
  private readonly certs: Popular<CertEntry>;
  private readonly clients: Popular<string>;
  private readonly requestors: Requestor[];
  private readonly formatLogTime: (epochMs: number) => string;
  private readonly multiRow: boolean;

  constructor(
    private readonly rng: Rng,
    era: TrxEra,
    private readonly order: CompiledOrder,
    logDate: string,
    clientCount: number,
  ) {
    const { cas, weights } = makeCas();
    this.cas = cas;
    this.certs = new Popular(makeCertPool(rng, era, 20_000, weights), 0.8);
    this.clients = new Popular(makeClients(rng, clientCount));
    this.requestors = makeRequestors(rng);
    this.formatLogTime = compileJavaDatePattern(logDate);
    this.multiRow = era === '6.x';
  }

  pickCert(): CertEntry {
    return this.certs.pick(this.rng);
  }

  issuerDnOf(cert: CertEntry): string {
    return this.cas[cert.ca]!.responderIssuerDn;
  }

  build(sessionId: string, logId: number, startMs: number, opts: RequestOptions): TrxRequest {
    const rng = this.rng;
    const v = defaultValues();
    const status = opts.plain ? 0 : STATUS_TABLE[rng.int(STATUS_TABLE.length)]!;
    const certIds = opts.plain ? 1 : CERT_ID_COUNT[rng.int(CERT_ID_COUNT.length)]!;
    v[V.SESSION_ID] = sessionId;
    v[V.LOG_ID] = String(logId);
    v[V.STATUS] = String(status);
    v[V.CLIENT_IP] = this.clients.pick(rng);
    v[V.LOG_TIME] = this.formatLogTime(startMs);
    v[V.PROCESS_TIME] = 'PROCESS_TIME'; // getOcspResponse starts the process timer
    v[V.NUM_CERT_ID] = String(certIds);
    v[V.FORWARDED_FOR] = FORWARDED_TABLE[rng.int(FORWARDED_TABLE.length)]!;
    let utf8 = false;
    // sigRequired answers an unsigned request, so it never carries a requestor.
    if (status !== 5 && rng.chance(SIGNED_SHARE)) {
      const who = rng.pick(this.requestors);
      v[V.REQ_NAME] = who.reqName;
      v[V.REQ_NAME_RAW] = who.reqNameRaw;
      v[V.SIGN_ISSUER_NAME_DN] = who.signIssuerDn;
      v[V.SIGN_SUBJECT_NAME] = who.signSubjectDn;
      v[V.SIGN_SERIAL_NO] = who.signSerial;
      utf8 = !who.ascii;
    }
    const sha256 = rng.chance(SHA256_SHARE);
    const rows: string[] = [];
    const rowCertStatus: number[] = [];
    const rowReasons: number[] = [];
    let firstCert: CertEntry | undefined;
    if (status === 0) {
      for (let k = 0; k < certIds; k++) {
        const cert = this.certs.pick(rng);
        firstCert ??= cert;
        this.putCert(v, cert, sha256);
        if (this.multiRow || k === certIds - 1) {
          rows.push(this.order.render(v));
          rowCertStatus.push(cert.status);
          rowReasons.push(cert.reason);
        }
      }
    } else {
      firstCert = this.certs.pick(rng);
      if (status === 6) {
        // Only unknown CAs and no default responder: the CertID fields are put, nothing else.
        const ca = rng.pick(UNKNOWN_CAS);
        const hashes = sha256 ? ca.sha256 : ca.sha1;
        v[V.ISSUER_NAME_HASH] = hashes.nameHash;
        v[V.ISSUER_KEY] = hashes.keyHash;
        v[V.DIGEST_ALGOR] = hashes.oid;
        v[V.SERIAL_NOHEX] = serialHex(Uint8Array.from({ length: 16 }, () => rng.int(256)));
      }
      rows.push(this.order.render(v)); // the error path's single writeln()
    }
    const replyMs = replyTime(rng);
    const processMs = replyMs - rng.int(Math.min(replyMs, 3) + 1);
    return {
      values: v, rows, status, certIds, rowCertStatus, rowReasons, replyMs, processMs, utf8,
      firstCert: firstCert ?? this.certs.pick(rng),
    };
  }

  private putCert(v: string[], cert: CertEntry, sha256: boolean): void {
    const ca = this.cas[cert.ca]!;
    const hashes = sha256 ? ca.sha256 : ca.sha1;
    v[V.ISSUER_NAME_DN] = ca.responderIssuerDn;
    v[V.ISSUER_NAME_DN_RAW] = ca.responderIssuerDnRaw;
    v[V.OCSP_CERT_ISSUER_NAME_DN] = ca.responderIssuerDn;
    v[V.OCSP_CERT_ISSUER_NAME_DN_RAW] = ca.responderIssuerDnRaw;
    v[V.ISSUER_NAME_HASH] = hashes.nameHash;
    v[V.ISSUER_KEY] = hashes.keyHash;
    v[V.DIGEST_ALGOR] = hashes.oid;
    v[V.SERIAL_NOHEX] = cert.serial;
    v[V.CERT_STATUS] = String(cert.status);
    v[V.CERT_PROFILE_ID] = cert.profileId;
    v[V.REV_REASON] = String(cert.reason);
  }
}
