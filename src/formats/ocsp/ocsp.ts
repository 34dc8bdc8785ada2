/**
 * RFC 6960 OCSPRequest / OCSPResponse decoding for audit-log blobs.
 *
 * Lenient where OpenSSL or BouncyCastle are (BER lengths, trailing bytes after
 * the outer SEQUENCE, unknown response types); any structural problem throws a
 * DerError so callers can count the record as undecodable with a reason.
 */
import {
  DerError,
  TAG,
  expectTag,
  readBitString,
  readChildren,
  readEnumerated,
  readExplicit,
  readGeneralizedTime,
  readIntegerHex,
  readOctetHexRecent,
  readOctetString,
  readOid,
  readSmallInteger,
  readString,
  readTlv,
  toHex,
  type Tlv,
} from './der.js';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'other';

export interface CertIdInfo {
  hashAlgorithm: string;
  hashName: HashName;
  issuerNameHash: string;
  issuerKeyHash: string;
  /** Lowercase minimal two's-complement hex, as EJBCA logs SERIAL_NOHEX. */
  serial: string;
}

export interface OcspRequestInfo {
  /** The encoded Version INTEGER (0 = v1). */
  version: number;
  requestorName?: string;
  certIds: CertIdInfo[];
  nonce?: string;
  signed: boolean;
  signatureAlgorithm?: string;
  certs: number;
  trailingBytes: number;
}

export interface SingleResponseInfo {
  certId: CertIdInfo;
  certStatus: 'good' | 'revoked' | 'unknown';
  revocationTime?: string;
  revocationReason?: number;
  thisUpdate: string;
  nextUpdate?: string;
}

export interface BasicResponseInfo {
  responderId: { byName?: string; byKeyHash?: string };
  producedAt: string;
  responses: SingleResponseInfo[];
  nonce?: string;
  signatureAlgorithm: string;
  /** DER of the AlgorithmIdentifier parameters, when present and not NULL (RSASSA-PSS). */
  signatureParameters?: Uint8Array;
  signature: Uint8Array;
  /** The exact bytes of tbsResponseData as received: what the signature covers. */
  tbsResponseData: Uint8Array;
  certs: Uint8Array[];
}

export interface OcspResponseInfo {
  status: number;
  statusName: string;
  basic?: BasicResponseInfo;
  trailingBytes: number;
}

export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

const HASH_NAMES: Record<string, HashName> = {
  '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
};

const STATUS_NAMES: Record<number, string> = {
  0: 'successful', 1: 'malformedRequest', 2: 'internalError', 3: 'tryLater', 5: 'sigRequired', 6: 'unauthorized',
};

const CERT_STATUSES: ReadonlyArray<SingleResponseInfo['certStatus']> = ['good', 'revoked', 'unknown'];

const GENERAL_NAME_TYPES = [
  'otherName', 'rfc822Name', 'dNSName', 'x400Address', 'directoryName',
  'ediPartyName', 'uniformResourceIdentifier', 'iPAddress', 'registeredID',
];

/** Walks the elements of a SEQUENCE in order, with OPTIONAL context-tagged fields. */
class Fields {
  private readonly items: Tlv[];
  private readonly end: number;
  private index = 0;

  constructor(private readonly bytes: Uint8Array, node: Tlv | undefined) {
    this.items = readChildren(bytes, expectTag(node, TAG.SEQUENCE));
    this.end = node?.contentEnd ?? 0;
  }

  /** The next element, which must have this universal tag. */
  next(tag: number): Tlv {
    return expectTag(this.items[this.index++], tag, 'universal', this.end);
  }

  /** The content of the next element if it is the explicit context tag [n]. */
  optional(n: number): Tlv | undefined {
    const item = this.items[this.index];
    if (item === undefined || item.class !== 'context' || item.tag !== n) return undefined;
    this.index++;
    return readExplicit(this.bytes, item);
  }

  /** The next element whatever its tag (for CHOICEs). */
  any(): Tlv {
    const item = this.items[this.index++];
    if (item === undefined) throw new DerError('truncated', this.end, 'missing element');
    return item;
  }
}

function algorithmOid(bytes: Uint8Array, node: Tlv): string {
  return readOid(bytes, new Fields(bytes, node).next(TAG.OID));
}

/** AlgorithmIdentifier parameters other than NULL. */
function algorithmParameters(bytes: Uint8Array, node: Tlv): Uint8Array | undefined {
  const params = readChildren(bytes, node)[1];
  const isNull = params === undefined || (params.class === 'universal' && params.tag === TAG.NULL);
  return isNull ? undefined : bytes.subarray(params.start, params.end);
}

function readCertId(bytes: Uint8Array, node: Tlv): CertIdInfo {
  const f = new Fields(bytes, node);
  const hashAlgorithm = algorithmOid(bytes, f.next(TAG.SEQUENCE));
  return {
    hashAlgorithm,
    hashName: HASH_NAMES[hashAlgorithm] ?? 'other',
    issuerNameHash: readOctetHexRecent(bytes, f.next(TAG.OCTET_STRING)),
    issuerKeyHash: readOctetHexRecent(bytes, f.next(TAG.OCTET_STRING)),
    serial: readIntegerHex(bytes, f.next(TAG.INTEGER)),
  };
}

/** Hex of the nonce extension: the inner OCTET STRING's value when extnValue is one. */
function readNonce(bytes: Uint8Array, extensions: Tlv): string | undefined {
  for (const extension of readChildren(bytes, expectTag(extensions, TAG.SEQUENCE))) {
    const f = new Fields(bytes, extension);
    if (readOid(bytes, f.next(TAG.OID)) !== OID_OCSP_NONCE) continue;
    let value = f.any();
    if (value.class === 'universal' && value.tag === TAG.BOOLEAN) value = f.any();
    return toHex(unwrapOctetString(readOctetString(bytes, value)));
  }
  return undefined;
}

function unwrapOctetString(value: Uint8Array): Uint8Array {
  try {
    const inner = readTlv(value, 0, value.length);
    const isOctets = inner.class === 'universal' && inner.tag === TAG.OCTET_STRING && inner.end === value.length;
    return isOctets ? readOctetString(value, inner) : value;
  } catch (err) {
    if (err instanceof DerError) return value; // not DER inside: RFC 2560 era raw nonce
    throw err;
  }
}

function readGeneralName(bytes: Uint8Array, node: Tlv): string {
  if (node.class !== 'context') throw new DerError('unexpected-tag', node.start, 'expected a GeneralName');
  if (node.tag === 4) return formatName(bytes, readExplicit(bytes, node));
  return GENERAL_NAME_TYPES[node.tag] ?? `[${node.tag}]`;
}

// Attribute names and order as EJBCA's CertTools.stringToBCDNString writes them
// ("CN=x,O=y,C=SE"); unknown attributes keep their relative order, last.
const DN_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ['2.5.4.9', 'STREET'], ['2.5.4.65', 'PSEUDONYM'], ['2.5.4.20', 'TELEPHONENUMBER'],
  ['2.5.4.16', 'POSTALADDRESS'], ['2.5.4.15', 'BUSINESSCATEGORY'], ['2.5.4.17', 'POSTALCODE'],
  ['1.2.840.113549.1.9.8', 'unstructuredAddress'], ['1.2.840.113549.1.9.2', 'unstructuredName'],
  ['1.2.840.113549.1.9.1', 'E'], ['2.5.4.46', 'DN'], ['0.9.2342.19200300.100.1.1', 'UID'],
  ['2.5.4.3', 'CN'], ['2.5.4.41', 'NAME'], ['2.5.4.5', 'SN'], ['2.5.4.42', 'GIVENNAME'],
  ['2.5.4.43', 'INITIALS'], ['2.5.4.4', 'SURNAME'], ['2.5.4.12', 'T'], ['2.5.4.11', 'OU'],
  ['2.5.4.97', 'ORGANIZATIONIDENTIFIER'], ['2.5.4.10', 'O'], ['2.5.4.7', 'L'], ['2.5.4.8', 'ST'],
  ['0.9.2342.19200300.100.1.25', 'DC'], ['2.5.4.6', 'C'],
];
const DN_RANK = new Map(DN_ATTRIBUTES.map(([oid], rank) => [oid, rank]));
const DN_LABEL = new Map(DN_ATTRIBUTES);

/** An X.500 Name as an EJBCA-ordered, RFC 4514-escaped DN string. */
export function formatName(bytes: Uint8Array, name: Tlv): string {
  const rdns = readChildren(bytes, expectTag(name, TAG.SEQUENCE)).map((rdn) => {
    const atvs = readChildren(bytes, expectTag(rdn, TAG.SET)).map((atv) => {
      const f = new Fields(bytes, atv);
      const oid = readOid(bytes, f.next(TAG.OID));
      return { oid, text: `${DN_LABEL.get(oid) ?? oid}=${attributeValue(bytes, f.any())}` };
    });
    const first = atvs[0];
    return { rank: first === undefined ? DN_ATTRIBUTES.length : DN_RANK.get(first.oid) ?? DN_ATTRIBUTES.length,
      text: atvs.map((atv) => atv.text).join('+') };
  });
  return rdns.sort((a, b) => a.rank - b.rank).map((rdn) => rdn.text).join(',');
}

function attributeValue(bytes: Uint8Array, value: Tlv): string {
  const text = readString(bytes, value);
  if (text === undefined) return `#${toHex(bytes.subarray(value.start, value.end))}`;
  return text
    .replace(/[,+"\\<>;=]/g, (c) => `\\${c}`)
    // Control characters as RFC 4514 hex pairs: a name cannot break a line of output.
    .replace(/[\x00-\x1f\x7f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

function outerValue(der: Uint8Array): { outer: Tlv; trailingBytes: number } {
  const outer = readTlv(der, 0, der.length);
  return { outer, trailingBytes: der.length - outer.end };
}

/** Decodes a DER (or BER) OCSPRequest. */
export function decodeOcspRequest(der: Uint8Array): OcspRequestInfo {
  const { outer, trailingBytes } = outerValue(der);
  const request = new Fields(der, outer);
  const tbs = new Fields(der, request.next(TAG.SEQUENCE));
  const versionNode = tbs.optional(0);
  const requestorNode = tbs.optional(1);
  const certIds = readChildren(der, tbs.next(TAG.SEQUENCE)).map((item) => {
    return readCertId(der, new Fields(der, item).next(TAG.SEQUENCE));
  });
  const extensions = tbs.optional(2);
  const signatureNode = request.optional(0);
  const info: OcspRequestInfo = {
    version: versionNode === undefined ? 0 : readSmallInteger(der, versionNode),
    certIds,
    signed: signatureNode !== undefined,
    certs: 0,
    trailingBytes,
  };
  if (requestorNode !== undefined) info.requestorName = readGeneralName(der, requestorNode);
  const nonce = extensions === undefined ? undefined : readNonce(der, extensions);
  if (nonce !== undefined) info.nonce = nonce;
  if (signatureNode !== undefined) {
    const signature = new Fields(der, signatureNode);
    info.signatureAlgorithm = algorithmOid(der, signature.next(TAG.SEQUENCE));
    readBitString(der, signature.next(TAG.BIT_STRING));
    const certs = signature.optional(0);
    info.certs = certs === undefined ? 0 : readChildren(der, expectTag(certs, TAG.SEQUENCE)).length;
  }
  return info;
}

/**
 * Decodes a DER (or BER) OCSPResponse; `basic` is set for id-pkix-ocsp-basic only. Its byte
 * fields (signature, signed data, certificates) are views of `der`, not copies: a log holds
 * millions of responses, each checked and let go. Copy them to keep them past `der`.
 */
export function decodeOcspResponse(der: Uint8Array): OcspResponseInfo {
  const { outer, trailingBytes } = outerValue(der);
  const response = new Fields(der, outer);
  const status = readEnumerated(der, response.next(TAG.ENUMERATED));
  const info: OcspResponseInfo = { status, statusName: STATUS_NAMES[status] ?? String(status), trailingBytes };
  const responseBytes = response.optional(0);
  if (responseBytes === undefined) return info;
  const rb = new Fields(der, responseBytes);
  const responseType = readOid(der, rb.next(TAG.OID));
  const body = rb.next(TAG.OCTET_STRING);
  if (responseType !== OID_OCSP_BASIC) return info;
  // Decode in place when primitive, so error offsets stay relative to the whole blob.
  if (!body.constructed) {
    info.basic = decodeBasic(der, body.contentStart, body.contentEnd);
  } else {
    const joined = readOctetString(der, body);
    info.basic = decodeBasic(joined, 0, joined.length);
  }
  return info;
}

function decodeBasic(bytes: Uint8Array, start: number, end: number): BasicResponseInfo {
  const basic = new Fields(bytes, readTlv(bytes, start, end));
  const tbsNode = basic.next(TAG.SEQUENCE);
  const tbs = new Fields(bytes, tbsNode);
  tbs.optional(0); // version: only v1 exists
  const responderId = readResponderId(bytes, tbs.any());
  const producedAt = readGeneralizedTime(bytes, tbs.next(TAG.GENERALIZED_TIME));
  const responses = readChildren(bytes, tbs.next(TAG.SEQUENCE)).map((item) => readSingleResponse(bytes, item));
  const extensions = tbs.optional(1);
  const algorithm = basic.next(TAG.SEQUENCE);
  const signatureParameters = algorithmParameters(bytes, algorithm);
  const bits = readBitString(bytes, basic.next(TAG.BIT_STRING)).bytes;
  const certsNode = basic.optional(0);
  const certs = certsNode === undefined ? [] : readChildren(bytes, expectTag(certsNode, TAG.SEQUENCE));
  const info: BasicResponseInfo = {
    responderId,
    producedAt,
    responses,
    signatureAlgorithm: algorithmOid(bytes, algorithm),
    signature: bits,
    tbsResponseData: bytes.subarray(tbsNode.start, tbsNode.end),
    certs: certs.map((cert) => bytes.subarray(cert.start, cert.end)),
  };
  if (signatureParameters !== undefined) info.signatureParameters = signatureParameters;
  const nonce = extensions === undefined ? undefined : readNonce(bytes, extensions);
  if (nonce !== undefined) info.nonce = nonce;
  return info;
}

function readResponderId(bytes: Uint8Array, node: Tlv): BasicResponseInfo['responderId'] {
  if (node.class === 'context' && node.tag === 1) return { byName: formatName(bytes, readExplicit(bytes, node)) };
  if (node.class === 'context' && node.tag === 2) {
    return { byKeyHash: readOctetHexRecent(bytes, readExplicit(bytes, node)) };
  }
  throw new DerError('unexpected-tag', node.start, 'expected a ResponderID');
}

function readSingleResponse(bytes: Uint8Array, node: Tlv): SingleResponseInfo {
  const f = new Fields(bytes, node);
  const certId = readCertId(bytes, f.next(TAG.SEQUENCE));
  const status = f.any();
  const certStatus = status.class === 'context' ? CERT_STATUSES[status.tag] : undefined;
  if (certStatus === undefined) throw new DerError('unexpected-tag', status.start, 'expected a CertStatus');
  const single: SingleResponseInfo = {
    certId,
    certStatus,
    ...(certStatus === 'revoked' ? readRevokedInfo(bytes, status) : {}),
    thisUpdate: readGeneralizedTime(bytes, f.next(TAG.GENERALIZED_TIME)),
  };
  const nextUpdate = f.optional(0);
  if (nextUpdate !== undefined) single.nextUpdate = readGeneralizedTime(bytes, nextUpdate);
  return single;
}

/** revoked [1] IMPLICIT RevokedInfo: revocationTime, [0] EXPLICIT CRLReason OPTIONAL. */
function readRevokedInfo(bytes: Uint8Array, node: Tlv): { revocationTime: string; revocationReason?: number } {
  const [time, reason] = readChildren(bytes, node);
  const revocationTime = readGeneralizedTime(bytes, expectTag(time, TAG.GENERALIZED_TIME, 'universal', node.start));
  if (reason === undefined) return { revocationTime };
  return { revocationTime, revocationReason: readEnumerated(bytes, readExplicit(bytes, expectTag(reason, 0, 'context'))) };
}
