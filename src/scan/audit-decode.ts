import type { AuditStats } from '../aggregate/audit.js';
import { decodeOcspRequest, decodeOcspResponse, type OcspResponseInfo } from '../formats/ocsp/ocsp.js';
import { certIdDigest, type ReconcileSide } from '../aggregate/reconcile.js';

const CERT_STATUS_CODES: ReadonlyMap<string, number> = new Map([['good', 0], ['revoked', 1], ['unknown', 2]]);
import { verifyOcspResponse, type VerifyOptions } from '../formats/ocsp/verify.js';
import { HexStatus, type Kernel } from '../native/types.js';

/** A well-formed record: its short fields as text, its hex blobs as [start, end) of the batch's text. */
export interface AuditRecord {
  sessionId: string | undefined;
  logId: string | undefined;
  status: string | undefined;
  requestStart: number;
  requestEnd: number;
  responseStart: number;
  responseEnd: number;
}

/**
 * Decodes the hex blobs of a batch of audit records in one kernel call, then their DER, and
 * counts what the responder answered. A record whose hex or DER is bad is counted as
 * undecodable with its reason.
 */
export class AuditDecoder {
  private out = new Uint8Array(1 << 16);
  private starts = new Uint32Array(0);
  private ends = new Uint32Array(0);
  private results = new Int32Array(0);

  constructor(
    private readonly kernel: Kernel,
    private readonly stats: AuditStats,
    /** Signature checks, with the CA certificates signers must chain to; undefined: not checked. */
    private readonly verify: VerifyOptions | undefined,
    /** Every record keyed by request, when the run also reads transaction logs. */
    readonly reconcile?: ReconcileSide,
  ) {}

  /** `text` holds the records' hex, where their spans say. */
  decodeAll(records: readonly AuditRecord[], text: Buffer): void {
    const count = 2 * records.length;
    if (count === 0) return;
    if (this.starts.length < count) {
      this.starts = new Uint32Array(2 * count);
      this.ends = new Uint32Array(2 * count);
      this.results = new Int32Array(8 * count);
    }
    let size = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      this.starts[2 * i] = r.requestStart;
      this.ends[2 * i] = r.requestEnd;
      this.starts[2 * i + 1] = r.responseStart;
      this.ends[2 * i + 1] = r.responseEnd;
      size += r.requestEnd - r.requestStart + r.responseEnd - r.responseStart;
    }
    if (this.out.length < size / 2 + 1) this.out = new Uint8Array(size);
    const results = this.results;
    this.kernel.decodeHexSpans(text, this.starts, this.ends, count, this.out, results);
    records.forEach((record, i) => {
      const request = this.bytes(results, 2 * i);
      const response = this.bytes(results, 2 * i + 1);
      let decoded: OcspResponseInfo | undefined;
      if (typeof request === 'string') this.stats.undecodable.add(`request ${request}`);
      else if (typeof response === 'string') this.stats.undecodable.add(`response ${response}`);
      else decoded = this.decodeDer(request, response);
      if (this.reconcile) this.addReconcile(record, decoded);
    });
  }

  private addReconcile(record: AuditRecord, response: OcspResponseInfo | undefined): void {
    const { sessionId, logId, status } = record;
    if (sessionId === undefined || logId === undefined || status === undefined) return;
    const base = { sessionId, logId: Number(logId), status: Number(status), responseStatus: response ? response.status : -1 };
    const singles = response?.basic?.responses ?? [];
    if (singles.length === 0) return this.reconcile!.add(base);
    for (const single of singles) {
      const id = single.certId;
      this.reconcile!.add({
        ...base,
        certId: certIdDigest(id.hashAlgorithm, id.issuerNameHash, id.issuerKeyHash, id.serial),
        certStatus: CERT_STATUS_CODES.get(single.certStatus) ?? -1,
        reason: single.revocationReason ?? -1,
      });
    }
  }

  /** Bytes of decoded span i (a view, valid until the next block), or why there are none. */
  private bytes(results: Int32Array, i: number): Uint8Array | string {
    const status = results[i * 4]!;
    if (status === HexStatus.OddLength) return 'hex odd length';
    if (status === HexStatus.NonHex) return 'hex non-hex character';
    if (status !== HexStatus.Ok) return 'hex not decoded';
    const start = results[i * 4 + 2]!;
    const length = results[i * 4 + 3]!;
    if (length === 0) return 'empty';
    return this.out.subarray(start, start + length);
  }

  /** Counts a record's request and response; the decoded response, undefined when either is undecodable. */
  private decodeDer(request: Uint8Array, response: Uint8Array): OcspResponseInfo | undefined {
    let req;
    let resp;
    try {
      req = decodeOcspRequest(request);
    } catch (err) {
      this.stats.undecodable.add(`request DER ${reasonOf(err)}`);
      return undefined;
    }
    try {
      resp = decodeOcspResponse(response);
    } catch (err) {
      this.stats.undecodable.add(`response DER ${reasonOf(err)}`);
      return undefined;
    }
    this.stats.decoded++;
    if (req.signed) this.stats.signedRequests++;
    if (req.nonce !== undefined) this.stats.requestsWithNonce++;
    this.stats.byResponseStatus.add(resp.statusName);
    if (!resp.basic) return resp;
    for (const single of resp.basic.responses) this.stats.byCertStatus.add(single.certStatus);
    this.stats.signatures.add(this.verify ? verifyOcspResponse(resp.basic, this.verify).result : 'not checked');
    return resp;
  }
}

function reasonOf(err: unknown): string {
  const reason = (err as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : 'error';
}
