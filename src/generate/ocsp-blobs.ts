/**
 * Real DER OCSPRequest / OCSPResponse blobs (RFC 6960) for the synthetic audit log. Responses
 * are signed with the test responder key (ocsp-test-keys.ts); RSA PKCS#1 v1.5 is
 * deterministic, so a seed still fixes every byte. CertIDs carry the real SHA-1 / SHA-256
 * hashes of the test CA's subject DN and public key, so OpenSSL accepts the responses.
 */
import { X509Certificate, createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { TAG, expectTag, readBitString, readChildren, readTlv } from '../formats/ocsp/der.js';
import { formatName } from '../formats/ocsp/ocsp.js';
import {
  bitString, enumerated, explicit, generalizedTime, ia5String, implicit, integerFromHex, nullValue, octetString, oid,
  printableString, raw, sequence, set, utf8String, type Der,
} from './der-writer.js';
import { SHA1_OID, SHA256_OID, type CertIdHashes } from './ejbca-values.js';
import { TEST_CA_CERT_PEM, TEST_RESPONDER_CERT_PEM, TEST_RESPONDER_KEY_PEM } from './ocsp-test-keys.js';

export const MD5_OID = '1.2.840.113549.2.5';
const SHA256_WITH_RSA_OID = '1.2.840.113549.1.1.11';
const OCSP_BASIC_OID = '1.3.6.1.5.5.7.48.1.1';
const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2';

/** The issuer half of a CertID: the hash algorithm and the issuer's name and key hashes. */
export interface IssuerHashes {
  readonly oid: string;
  readonly nameHash: Buffer;
  readonly keyHash: Buffer;
}

export interface CertIdSpec {
  readonly issuer: IssuerHashes;
  /** The serial number as hex (EJBCA's SERIAL_NOHEX form, or any hex of the magnitude). */
  readonly serial: string;
}

export interface TestPki {
  /** The CA subject in EJBCA's normalized form (what ISSUER_NAME_DN logs). */
  readonly caDn: string;
  readonly caCert: Buffer;
  readonly responderCert: Buffer;
  readonly responderName: Buffer;
  /** SHA-1 of the responder's public key BIT STRING: ResponderID byKey. */
  readonly responderKeyHash: Buffer;
  readonly key: KeyObject;
  /** CertID issuer hashes of the CA by digest: SHA-1, SHA-256, and MD5 (which EJBCA refuses). */
  readonly sha1: IssuerHashes;
  readonly sha256: IssuerHashes;
  readonly md5: IssuerHashes;
}

/** A certificate's subject (DER and EJBCA-style text) and its subjectPublicKey BIT STRING contents. */
function subjectAndKey(der: Buffer): { subject: Buffer; subjectDn: string; keyBits: Buffer } {
  const tbs = expectTag(readChildren(der, readTlv(der, 0, der.length))[0], TAG.SEQUENCE);
  const fields = readChildren(der, tbs);
  const skip = fields[0]?.class === 'context' ? 1 : 0; // [0] version
  const subject = expectTag(fields[skip + 4], TAG.SEQUENCE);
  const spki = expectTag(fields[skip + 5], TAG.SEQUENCE);
  const bits = readBitString(der, expectTag(readChildren(der, spki)[1], TAG.BIT_STRING)).bytes;
  return { subject: der.subarray(subject.start, subject.end), subjectDn: formatName(der, subject), keyBits: Buffer.from(bits) };
}

let pki: TestPki | undefined;

/** The test CA and responder, parsed once on first use (not at import: the CLI loads this module). */
export function testPki(): TestPki {
  if (pki !== undefined) return pki;
  const caCert = new X509Certificate(TEST_CA_CERT_PEM).raw;
  const responderCert = new X509Certificate(TEST_RESPONDER_CERT_PEM).raw;
  const ca = subjectAndKey(caCert);
  const responder = subjectAndKey(responderCert);
  const hashes = (algorithm: string, id: string): IssuerHashes => ({
    oid: id,
    nameHash: createHash(algorithm).update(ca.subject).digest(),
    keyHash: createHash(algorithm).update(ca.keyBits).digest(),
  });
  pki = {
    caDn: ca.subjectDn,
    caCert,
    responderCert,
    responderName: responder.subject,
    responderKeyHash: createHash('sha1').update(responder.keyBits).digest(),
    key: createPrivateKey(TEST_RESPONDER_KEY_PEM),
    sha1: hashes('sha1', SHA1_OID),
    sha256: hashes('sha256', SHA256_OID),
    md5: hashes('md5', MD5_OID),
  };
  return pki;
}

/** Issuer hashes logged as hex (the trx generator's CA pools) as CertID bytes. */
export function issuerFromHex(hashes: CertIdHashes): IssuerHashes {
  return { oid: hashes.oid, nameHash: Buffer.from(hashes.nameHash, 'hex'), keyHash: Buffer.from(hashes.keyHash, 'hex') };
}

// Pieces that depend only on the fixed test PKI, encoded once: they are the same in every blob.
const constants = new Map<string, Buffer>();
function constant(key: string, make: () => Buffer): Buffer {
  let value = constants.get(key);
  if (value === undefined) constants.set(key, (value = make()));
  return value;
}

const algorithmId = (id: string): Buffer => constant(`alg:${id}`, () => sequence(oid(id), nullValue()));

// A request and its response carry the same CertIDs: encode each spec once.
const certIdCache = new WeakMap<CertIdSpec, Buffer>();

export function certIdDer(id: CertIdSpec): Buffer {
  let der = certIdCache.get(id);
  if (der === undefined) {
    der = sequence(algorithmId(id.issuer.oid), octetString(id.issuer.nameHash), octetString(id.issuer.keyHash),
      integerFromHex(id.serial));
    certIdCache.set(id, der);
  }
  return der;
}

const ATTRIBUTES: Readonly<Record<string, readonly [string, (value: string) => Buffer]>> = {
  CN: ['2.5.4.3', utf8String], OU: ['2.5.4.11', utf8String], O: ['2.5.4.10', utf8String],
  L: ['2.5.4.7', utf8String], ST: ['2.5.4.8', utf8String], C: ['2.5.4.6', printableString],
  E: ['1.2.840.113549.1.9.1', ia5String],
};

/**
 * A Name from an EJBCA-style DN string (`CN=x,O=y,C=SE`), encoded C first as X.509 names
 * usually are. A comma starts a new RDN only before `KEY=`, so `O=Acme, Inc.` stays one value;
 * `\,`-style escapes are undone.
 */
export function nameFromDn(dn: string): Buffer {
  const rdns = dn.split(/(?<!\\),(?=\s*[A-Za-z]+=)/).map((part) => {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim().toUpperCase();
    const attribute = ATTRIBUTES[key];
    if (eq < 0 || attribute === undefined) throw new RangeError(`unsupported DN attribute in ${JSON.stringify(dn)}`);
    const value = part.slice(eq + 1).replace(/\\(.)/g, '$1');
    return set(sequence(oid(attribute[0]), attribute[1](value)));
  });
  return sequence(...rdns.reverse());
}

/** The nonce extension as OpenSSL and BouncyCastle write it: extnValue wraps an OCTET STRING. */
function nonceExtensions(nonce: Der): Buffer {
  return sequence(sequence(oid(OCSP_NONCE_OID), octetString(octetString(nonce))));
}

/** sha256WithRSAEncryption over `data` with the test key, in the libuv pool (off the main thread). */
export function signWithTestKey(data: Der): Promise<Buffer> {
  const key = testPki().key;
  return new Promise((resolve, reject) => {
    sign('sha256', data, key, (err, signature) => (err ? reject(err) : resolve(signature)));
  });
}

export interface RequestSpec {
  readonly certIds: readonly CertIdSpec[];
  readonly nonce?: Der;
  /** requestorName (a directoryName), as an EJBCA-style DN. */
  readonly requestorDn?: string;
  /**
   * Signs the request. The one test key signs for every requestor and the test responder
   * certificate travels in `certs`: test data only, the signature is checked by no one here.
   */
  readonly signed?: boolean;
}

/** An OCSPRequest; a promise only when it is signed. */
export function buildRequest(spec: RequestSpec): Buffer | Promise<Buffer> {
  const parts: Buffer[] = [];
  if (spec.requestorDn !== undefined) parts.push(explicit(1, explicit(4, nameFromDn(spec.requestorDn))));
  parts.push(sequence(...spec.certIds.map((id) => sequence(certIdDer(id)))));
  if (spec.nonce !== undefined) parts.push(explicit(2, nonceExtensions(spec.nonce)));
  const tbs = sequence(...parts);
  if (spec.signed !== true) return sequence(tbs);
  return signWithTestKey(tbs).then((signature) => sequence(tbs, explicit(0, sequence(
    algorithmId(SHA256_WITH_RSA_OID), bitString(signature), constant('signer', () => explicit(0, sequence(raw(testPki().responderCert))))))));
}

export type CertStatusCode = 0 | 1 | 2;

export interface SingleSpec {
  readonly certId: CertIdSpec;
  /** 0 good, 1 revoked, 2 unknown (CERT_STATUS codes). */
  readonly status: CertStatusCode;
  readonly revokedAt?: number;
  /** RFC 5280 CRLReason code, for revoked answers. */
  readonly reason?: number;
}

export interface ResponseSpec {
  readonly singles: readonly SingleSpec[];
  /** ms since the epoch; also thisUpdate, as EJBCA answers from its database at request time. */
  readonly producedAt: number;
  /** nextUpdate - thisUpdate in seconds; absent when the responder sets no nextUpdate. */
  readonly validitySeconds?: number;
  readonly nonce?: Der;
  readonly responderIdByName: boolean;
  /** certs: the responder certificate, then (EJBCA's includecertchain default) the CA. */
  readonly includeChain: boolean;
}

function singleResponse(single: SingleSpec, thisUpdate: Buffer, nextUpdate: Buffer | undefined): Buffer {
  let status: Buffer;
  if (single.status === 1) {
    const reason = single.reason === undefined ? [] : [explicit(0, enumerated(single.reason))];
    status = implicit(1, sequence(generalizedTime(single.revokedAt ?? 0), ...reason));
  } else {
    status = constant(`status:${single.status}`, () => implicit(single.status === 0 ? 0 : 2, nullValue()));
  }
  const parts = [certIdDer(single.certId), status, thisUpdate];
  if (nextUpdate !== undefined) parts.push(explicit(0, nextUpdate));
  return sequence(...parts);
}

/** tbsResponseData: the bytes the signature covers. */
export function responseData(spec: ResponseSpec): Buffer {
  const p = testPki();
  const produced = generalizedTime(spec.producedAt);
  const next = spec.validitySeconds === undefined ? undefined : generalizedTime(spec.producedAt + spec.validitySeconds * 1000);
  const parts = [
    spec.responderIdByName
      ? constant('byName', () => explicit(1, raw(p.responderName)))
      : constant('byKey', () => explicit(2, octetString(p.responderKeyHash))),
    produced,
    sequence(...spec.singles.map((single) => singleResponse(single, produced, next))),
  ];
  if (spec.nonce !== undefined) parts.push(explicit(1, nonceExtensions(spec.nonce)));
  return sequence(...parts);
}

/** A successful OCSPResponse around a signed BasicOCSPResponse. */
export async function buildResponse(spec: ResponseSpec): Promise<Buffer> {
  const p = testPki();
  const tbs = responseData(spec);
  const signature = await signWithTestKey(tbs);
  const certs = spec.includeChain
    ? constant('chain', () => explicit(0, sequence(raw(p.responderCert), raw(p.caCert))))
    : constant('signer', () => explicit(0, sequence(raw(p.responderCert))));
  const basic = sequence(tbs, algorithmId(SHA256_WITH_RSA_OID), bitString(signature), certs);
  return sequence(enumerated(0), explicit(0, sequence(oid(OCSP_BASIC_OID), octetString(basic))));
}

/**
 * The hex of a blob damaged so that no decoder accepts it: the last hex digit dropped (odd
 * length), one character made non-hex, or the DER truncated. `draw(n)` picks in [0, n).
 */
export function damagedHex(der: Buffer, draw: (n: number) => number): string {
  const hex = der.toString('hex');
  const kind = draw(3);
  if (kind === 0) return hex.slice(0, -1);
  if (kind === 1) {
    const at = draw(hex.length);
    return hex.slice(0, at) + 'gxzG-'[draw(5)]! + hex.slice(at + 1);
  }
  return der.subarray(0, 1 + draw(der.length - 1)).toString('hex');
}

/** The unsigned 5-byte error answers: 30030a0101 malformedRequest, …02, …05, …06. */
export function errorResponse(status: 1 | 2 | 3 | 5 | 6): Buffer {
  return sequence(enumerated(status));
}
