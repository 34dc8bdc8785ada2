/**
 * Checks the signature of a decoded BasicOCSPResponse with node:crypto.
 *
 * The signer is looked up by ResponderID among the certificates in the response,
 * then among the given CA certificates (a CA may sign its own responses). With
 * CA certificates, a delegated signer must also be issued by one of them and
 * carry id-kp-OCSPSigning, as RFC 6960 §4.2.2.2 (and OpenSSL) require.
 */
import { X509Certificate, createHash, constants, verify, type KeyObject } from 'node:crypto';
import {
  DerError,
  TAG,
  expectTag,
  readBitString,
  readChildren,
  readExplicit,
  readOid,
  readSmallInteger,
  readTlv,
  toHex,
  type Tlv,
} from './der.js';
import { formatName, type BasicResponseInfo } from './ocsp.js';

export interface VerifyResult {
  result: 'valid' | 'invalid' | 'unverifiable';
  reason: string;
}

export interface VerifyOptions {
  caCerts?: X509Certificate[];
}

const OID_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const OID_RSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';

/** Signature algorithm OID → [key type, digest] (null digest: the key decides, as for EdDSA). */
const ALGORITHMS: Record<string, readonly [string, string | null]> = {
  '1.2.840.113549.1.1.5': ['rsa', 'sha1'],
  '1.2.840.113549.1.1.14': ['rsa', 'sha224'],
  '1.2.840.113549.1.1.11': ['rsa', 'sha256'],
  '1.2.840.113549.1.1.12': ['rsa', 'sha384'],
  '1.2.840.113549.1.1.13': ['rsa', 'sha512'],
  '1.2.840.10045.4.1': ['ec', 'sha1'],
  '1.2.840.10045.4.3.1': ['ec', 'sha224'],
  '1.2.840.10045.4.3.2': ['ec', 'sha256'],
  '1.2.840.10045.4.3.3': ['ec', 'sha384'],
  '1.2.840.10045.4.3.4': ['ec', 'sha512'],
  '1.3.101.112': ['ed25519', null],
  '1.3.101.113': ['ed448', null],
};

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

interface Scheme {
  keyType: string;
  digest: string | null;
  pssSaltLength?: number;
}

/** Verifies the response signature; never throws. */
export function verifyOcspResponse(basic: BasicResponseInfo, options: VerifyOptions = {}): VerifyResult {
  const caCerts = options.caCerts ?? [];
  const signer = findResponder(basic, parseCertificates(basic.certs)) ?? findResponder(basic, caCerts);
  if (signer === undefined) return { result: 'unverifiable', reason: 'responder certificate not found' };
  const scheme = signatureScheme(basic);
  if (typeof scheme === 'string') return { result: 'unverifiable', reason: scheme };
  const key = publicKeyOf(signer);
  if (key === undefined) return { result: 'invalid', reason: 'signer public key is unreadable' };
  const keyCheck = checkKeyType(key, scheme);
  if (keyCheck !== undefined) return { result: 'invalid', reason: keyCheck };
  if (!checkSignature(basic, key, scheme)) return { result: 'invalid', reason: 'bad signature' };
  if (options.caCerts === undefined) return { result: 'valid', reason: 'signature verified' };
  return checkAuthorized(signer, caCerts, basic);
}

/**
 * A responder signs many responses with the same certificate: parsed certificates, and what is
 * read from them, are kept (a few hundred at most, as a log has few responders).
 */
const parsedCerts = new Map<string, X509Certificate | null>();
const CERT_CACHE_LIMIT = 256;
/** The certificate parsed last, with its DER: responses from one responder repeat it. */
let lastDer: Buffer | undefined;
let lastCert: X509Certificate | null = null;

function parseCertificates(ders: readonly Uint8Array[]): X509Certificate[] {
  const certs: X509Certificate[] = [];
  for (const der of ders) {
    const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
    // Compared as bytes first: a Map key of the whole certificate costs a string of it per response.
    if (lastDer?.equals(bytes)) {
      if (lastCert) certs.push(lastCert);
      continue;
    }
    const key = bytes.toString('latin1');
    let cert = parsedCerts.get(key);
    if (cert === undefined) {
      try {
        cert = new X509Certificate(der);
      } catch {
        cert = null; // An unparseable included certificate cannot be the signer; keep looking.
      }
      if (parsedCerts.size >= CERT_CACHE_LIMIT) parsedCerts.clear();
      parsedCerts.set(key, cert);
    }
    lastDer = Buffer.from(bytes);
    lastCert = cert;
    if (cert) certs.push(cert);
  }
  return certs;
}

function findResponder(basic: BasicResponseInfo, certs: readonly X509Certificate[]): X509Certificate | undefined {
  const { byName, byKeyHash } = basic.responderId;
  return certs.find((cert) => {
    const fields = certificateFields(cert);
    if (fields === undefined) return false;
    if (byName !== undefined) return fields.subject === byName;
    return byKeyHash !== undefined && fields.keyHash === byKeyHash;
  });
}

interface CertificateFields {
  /** Subject DN, formatted like responder names. */
  subject: string;
  /** SHA-1 of the subjectPublicKey bits, in hex: a ResponderID byKey. */
  keyHash: string;
  /** The subject Name's DER and the subjectPublicKey bits: what a CertID hashes of its issuer. */
  subjectDer: Uint8Array;
  keyBits: Uint8Array;
  /** This certificate's CertID issuer hashes (name, key) by hash algorithm, made on first use. */
  issuerHashes: Map<string, [string, string]>;
}

const fieldsOf = new WeakMap<X509Certificate, CertificateFields | undefined>();

function certificateFields(cert: X509Certificate): CertificateFields | undefined {
  if (fieldsOf.has(cert)) return fieldsOf.get(cert);
  const fields = readCertificateFields(cert);
  fieldsOf.set(cert, fields);
  return fields;
}

function readCertificateFields(cert: X509Certificate): CertificateFields | undefined {
  try {
    const raw = new Uint8Array(cert.raw);
    const [tbs] = readChildren(raw, expectTag(readTlv(raw, 0, raw.length), TAG.SEQUENCE));
    const fields = readChildren(raw, expectTag(tbs, TAG.SEQUENCE));
    // tbsCertificate: [0] version (optional), serial, signature, issuer, validity, subject, spki
    const skip = fields[0]?.class === 'context' ? 1 : 0;
    const name = expectTag(fields[skip + 4], TAG.SEQUENCE);
    const subject = formatName(raw, name);
    const spki = readChildren(raw, expectTag(fields[skip + 5], TAG.SEQUENCE));
    const publicKeyBits = readBitString(raw, expectTag(spki[1], TAG.BIT_STRING)).bytes;
    return {
      subject,
      keyHash: toHex(createHash('sha1').update(publicKeyBits).digest()),
      subjectDer: raw.subarray(name.start, name.end),
      keyBits: publicKeyBits,
      issuerHashes: new Map(),
    };
  } catch (err) {
    if (err instanceof DerError) return undefined;
    throw err;
  }
}

function signatureScheme(basic: BasicResponseInfo): Scheme | string {
  const known = ALGORITHMS[basic.signatureAlgorithm];
  if (known !== undefined) return { keyType: known[0], digest: known[1] };
  if (basic.signatureAlgorithm !== OID_RSA_PSS) return `unsupported signature algorithm ${basic.signatureAlgorithm}`;
  try {
    return pssScheme(basic.signatureParameters);
  } catch (err) {
    if (err instanceof DerError) return 'malformed RSASSA-PSS parameters';
    throw err;
  }
}

/**
 * RSASSA-PSS-params (RFC 4055). Absent parameters mean all defaults, like an
 * empty SEQUENCE. node:crypto uses MGF1 with the message digest, so they must agree.
 */
function pssScheme(params: Uint8Array = new Uint8Array([0x30, 0x00])): Scheme | string {
  let digest = 'sha1';
  let mgfDigest = 'sha1';
  let saltLength = 20;
  for (const field of readChildren(params, expectTag(readTlv(params, 0, params.length), TAG.SEQUENCE))) {
    if (field.class !== 'context') continue;
    const value = readExplicit(params, field);
    if (field.tag === 0) digest = DIGESTS[algorithmOf(params, value)] ?? 'unknown';
    if (field.tag === 1) mgfDigest = mgf1Digest(params, value);
    if (field.tag === 2) saltLength = readSmallInteger(params, value);
    if (field.tag === 3 && readSmallInteger(params, value) !== 1) return 'unsupported RSASSA-PSS trailer field';
  }
  if (digest === 'unknown' || digest !== mgfDigest) return 'unsupported RSASSA-PSS parameters';
  return { keyType: 'rsa', digest, pssSaltLength: saltLength };
}

function algorithmOf(bytes: Uint8Array, node: Tlv): string {
  return readOid(bytes, expectTag(readChildren(bytes, expectTag(node, TAG.SEQUENCE))[0], TAG.OID));
}

function mgf1Digest(bytes: Uint8Array, node: Tlv): string {
  const [oid, hash] = readChildren(bytes, expectTag(node, TAG.SEQUENCE));
  if (oid === undefined || readOid(bytes, oid) !== OID_MGF1 || hash === undefined) return 'unknown-mgf';
  return DIGESTS[algorithmOf(bytes, hash)] ?? 'unknown-mgf';
}

/** X509Certificate parses the key lazily, so a damaged key only throws here. */
const keyOf = new WeakMap<X509Certificate, KeyObject | undefined>();

function publicKeyOf(cert: X509Certificate): KeyObject | undefined {
  if (keyOf.has(cert)) return keyOf.get(cert);
  let key: KeyObject | undefined;
  try {
    key = cert.publicKey;
  } catch {
    key = undefined;
  }
  keyOf.set(cert, key);
  return key;
}

function checkKeyType(key: KeyObject, scheme: Scheme): string | undefined {
  const actual = key.asymmetricKeyType ?? 'unknown';
  const matches = actual === scheme.keyType || (scheme.keyType === 'rsa' && actual === 'rsa-pss');
  return matches ? undefined : `signer key type ${actual} does not match the signature algorithm`;
}

function checkSignature(basic: BasicResponseInfo, key: KeyObject, scheme: Scheme): boolean {
  const pss = scheme.pssSaltLength === undefined
    ? {}
    : { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.pssSaltLength };
  try {
    return verify(scheme.digest, basic.tbsResponseData, { key, ...pss }, basic.signature);
  } catch {
    return false; // OpenSSL rejects some malformed signatures by throwing instead of returning false.
  }
}

/**
 * Whether every SingleResponse is about a certificate `ca` issued, by its CertID's issuer name
 * and key hashes: a CA, or its delegated responder, answers for that CA's certificates only
 * (RFC 6960 §4.2.2.2).
 */
function answersFor(ca: X509Certificate, basic: BasicResponseInfo): boolean {
  const fields = certificateFields(ca);
  if (fields === undefined) return false;
  return basic.responses.every(({ certId }) => {
    if (certId.hashName === 'other') return false;
    let hashes = fields.issuerHashes.get(certId.hashName);
    if (hashes === undefined) {
      const digest = (bytes: Uint8Array): string => toHex(createHash(certId.hashName).update(bytes).digest());
      hashes = [digest(fields.subjectDer), digest(fields.keyBits)];
      fields.issuerHashes.set(certId.hashName, hashes);
    }
    return hashes[0] === certId.issuerNameHash && hashes[1] === certId.issuerKeyHash;
  });
}

/**
 * The signer must have been valid when the response was produced, and be one of the CAs, or be
 * issued by one and allowed to sign OCSP responses; either way for that CA's certificates only.
 */
function checkAuthorized(signer: X509Certificate, caCerts: readonly X509Certificate[], basic: BasicResponseInfo): VerifyResult {
  const producedAt = Date.parse(basic.producedAt);
  if (!(producedAt >= Date.parse(signer.validFrom) && producedAt <= Date.parse(signer.validTo))) {
    return { result: 'invalid', reason: 'signer certificate not valid when the response was produced' };
  }
  if (caCerts.some((ca) => ca.raw.equals(signer.raw))) {
    return answersFor(signer, basic) ? { result: 'valid', reason: 'signed by the CA' } : { result: 'invalid', reason: 'signed by a CA for certificates of another CA' };
  }
  const issuers = caCerts.filter((ca) => {
    const caKey = publicKeyOf(ca);
    try {
      return caKey !== undefined && signer.verify(caKey);
    } catch {
      return false;
    }
  });
  if (issuers.length === 0) return { result: 'invalid', reason: 'signer not issued by the given CA' };
  if (!(signer.keyUsage ?? []).includes(OID_OCSP_SIGNING)) {
    return { result: 'invalid', reason: 'signer lacks the OCSP signing extended key usage' };
  }
  if (!issuers.some((ca) => answersFor(ca, basic))) {
    return { result: 'invalid', reason: 'delegated responder of a CA for certificates of another CA' };
  }
  return { result: 'valid', reason: 'signed by a delegated responder of the CA' };
}
