/**
 * A readable description of one OCSP request or response, in the spirit of
 * `openssl ocsp -text`, for `certcrunch decode`. Throws DerError when undecodable.
 */
import { TAG, readTlv, toHex } from './der.js';
import {
  decodeOcspRequest,
  decodeOcspResponse,
  type BasicResponseInfo,
  type CertIdInfo,
  type OcspRequestInfo,
  type OcspResponseInfo,
  type SingleResponseInfo,
} from './ocsp.js';

export interface OcspDescription {
  kind: 'request' | 'response';
  text: string;
  json: unknown;
}

const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** RFC 5280 CRLReason names (7 is unused). */
const REASON_NAMES: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** Describes a request or a response; a response starts with its ENUMERATED status. */
export function describeOcsp(der: Uint8Array): OcspDescription {
  if (startsWithEnumerated(der)) {
    const info = decodeOcspResponse(der);
    return { kind: 'response', text: responseText(info).join('\n'), json: responseJson(info) };
  }
  const info = decodeOcspRequest(der);
  return { kind: 'request', text: requestText(info).join('\n'), json: info };
}

function startsWithEnumerated(der: Uint8Array): boolean {
  const outer = readTlv(der, 0, der.length);
  if (!outer.constructed || outer.length === 0) return false;
  const first = readTlv(der, outer.contentStart, outer.contentEnd);
  return first.class === 'universal' && first.tag === TAG.ENUMERATED;
}

function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_NAMES[oid] ?? oid;
}

function revocationReasonName(reason: number): string {
  return REASON_NAMES[reason] ?? `reason ${reason}`;
}

function requestText(info: OcspRequestInfo): string[] {
  const lines = ['OCSP Request Data:', `    Version: ${info.version + 1} (0x${info.version.toString(16)})`];
  if (info.requestorName !== undefined) lines.push(`    Requestor Name: ${info.requestorName}`);
  lines.push('    Requestor List:');
  for (const certId of info.certIds) lines.push(...certIdText(certId, '        '));
  if (info.nonce !== undefined) lines.push('    Request Extensions:', `        OCSP Nonce: ${info.nonce}`);
  if (info.signatureAlgorithm !== undefined) {
    lines.push(`    Signature Algorithm: ${signatureAlgorithmName(info.signatureAlgorithm)}`);
  }
  lines.push(`    Signed: ${info.signed ? 'yes' : 'no'}`, `    Certificates: ${info.certs}`);
  return withTrailing(lines, info.trailingBytes);
}

function responseText(info: OcspResponseInfo): string[] {
  const lines = ['OCSP Response Data:', `    OCSP Response Status: ${info.statusName} (0x${info.status.toString(16)})`];
  const basic = info.basic;
  if (basic !== undefined) lines.push('    Response Type: Basic OCSP Response', ...basicText(basic));
  else if (info.status === 0) lines.push('    Response Type: not a Basic OCSP Response (not decoded)');
  return withTrailing(lines, info.trailingBytes);
}

function basicText(basic: BasicResponseInfo): string[] {
  const { byName, byKeyHash } = basic.responderId;
  const lines = [
    `    Responder Id: ${byName ?? `key hash ${byKeyHash ?? ''}`}`,
    `    Produced At: ${basic.producedAt}`,
    '    Responses:',
  ];
  for (const single of basic.responses) lines.push(...singleText(single), '');
  if (basic.nonce !== undefined) lines.push('    Response Extensions:', `        OCSP Nonce: ${basic.nonce}`);
  lines.push(
    `    Signature Algorithm: ${signatureAlgorithmName(basic.signatureAlgorithm)}`,
    `    Certificates: ${basic.certs.length}`,
  );
  return lines;
}

function singleText(single: SingleResponseInfo): string[] {
  const lines = [...certIdText(single.certId, '    '), `    Cert Status: ${single.certStatus}`];
  if (single.revocationTime !== undefined) lines.push(`    Revocation Time: ${single.revocationTime}`);
  if (single.revocationReason !== undefined) {
    const reason = single.revocationReason;
    lines.push(`    Revocation Reason: ${revocationReasonName(reason)} (0x${reason.toString(16)})`);
  }
  lines.push(`    This Update: ${single.thisUpdate}`);
  if (single.nextUpdate !== undefined) lines.push(`    Next Update: ${single.nextUpdate}`);
  return lines;
}

function certIdText(certId: CertIdInfo, indent: string): string[] {
  const hash = certId.hashName === 'other' ? certId.hashAlgorithm : certId.hashName;
  return [
    `${indent}Certificate ID:`,
    `${indent}  Hash Algorithm: ${hash}`,
    `${indent}  Issuer Name Hash: ${certId.issuerNameHash}`,
    `${indent}  Issuer Key Hash: ${certId.issuerKeyHash}`,
    `${indent}  Serial Number: ${certId.serial}`,
  ];
}

function withTrailing(lines: string[], trailingBytes: number): string[] {
  if (trailingBytes > 0) lines.push(`    Trailing Bytes: ${trailingBytes}`);
  return lines;
}

/** The decoded response with bytes as hex; tbsResponseData is left out (it is the signed part of the input). */
function responseJson(info: OcspResponseInfo): unknown {
  if (info.basic === undefined) return info;
  const { tbsResponseData: _signed, signature, signatureParameters, certs, ...rest } = info.basic;
  return {
    ...info,
    basic: {
      ...rest,
      ...(signatureParameters === undefined ? {} : { signatureParameters: toHex(signatureParameters) }),
      signature: toHex(signature),
      certs: certs.map(toHex),
    },
  };
}
