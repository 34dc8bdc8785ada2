/**
 * Value pools for synthetic EJBCA OCSP transaction logs: CAs and their CertID hashes,
 * certificates (serial, status, revocation reason, profile), signing requestors, clients,
 * session ids and reply times. Everything is drawn from the caller's Rng, so a seed fixes it.
 */
import { createHash } from 'node:crypto';
import { Rng, Zipf, weightedTable } from './random.js';
import { asReplacement, type TrxEra } from './ejbca-order.js';

export const SHA1_OID = '1.3.14.3.2.26';
export const SHA256_OID = '2.16.840.1.101.3.4.2.1';

/** RFC 5280 CRLReason names by code (7 is unused). */
export const REASON_NAMES: Readonly<Record<number, string>> = {
  0: 'unspecified', 1: 'keyCompromise', 2: 'cACompromise', 3: 'affiliationChanged', 4: 'superseded',
  5: 'cessationOfOperation', 6: 'certificateHold', 8: 'removeFromCRL', 9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

export const STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'successful', 1: 'malformedRequest', 2: 'internalError', 3: 'tryLater', 5: 'sigRequired',
  6: 'unauthorized',
};

export const CERT_STATUS_NAMES = ['good', 'revoked', 'unknown'] as const;

/** CertID hashes of one issuer under one digest, as logged (lowercase hex). */
export interface CertIdHashes {
  readonly oid: string;
  readonly nameHash: string;
  readonly keyHash: string;
}

export interface CaProfile {
  /** ISSUER_NAME_DN as logged: the issuer of the responder's signing certificate (spec §5). */
  readonly responderIssuerDn: string;
  /** ISSUER_NAME_DN_RAW: the same name in JDK form. */
  readonly responderIssuerDnRaw: string;
  readonly sha1: CertIdHashes;
  readonly sha256: CertIdHashes;
}

const hex = (algorithm: string, text: string): string => createHash(algorithm).update(text).digest('hex');

function hashesFor(label: string, algorithm: 'sha1' | 'sha256', oid: string): CertIdHashes {
  return { oid, nameHash: hex(algorithm, `name:${label}`), keyHash: hex(algorithm, `key:${label}`) };
}

function makeCa(label: string, issuerDn: string, issuerDnRaw: string): CaProfile {
  return {
    responderIssuerDn: asReplacement(issuerDn),
    responderIssuerDnRaw: asReplacement(issuerDnRaw),
    sha1: hashesFor(label, 'sha1', SHA1_OID),
    sha256: hashesFor(label, 'sha256', SHA256_OID),
  };
}

/**
 * Three CAs: the sample ManagementCA (self-signed, so it is its own responder issuer), an
 * issuing CA that signs its own responses (so the logged DN is its parent's), and a CA
 * with an OCSP key binding whose normalized DN escapes a comma (logged without the `\`).
 */
export function makeCas(): { cas: CaProfile[]; weights: number[] } {
  const management = makeCa('ManagementCA', 'CN=ManagementCA,O=EJBCA Sample,C=SE',
    'CN=ManagementCA, O=EJBCA Sample, C=SE');
  // The spec's example CertID (§7) uses these SHA-1 hashes for ManagementCA.
  const cas = [
    { ...management, sha1: { oid: SHA1_OID, nameHash: 'a9d7641581b76da92fcd48afa8fcb1e81af04f25',
      keyHash: '6faee9603858141d52e86c3c24dd3f609604265d' } },
    makeCa('Example Issuing CA G2', 'CN=Example Root CA,O=Example Org,C=DE', 'CN=Example Root CA, O=Example Org, C=DE'),
    makeCa('Acme Device CA', 'CN=Acme Device CA,O=Acme\\, Inc.,C=US', 'CN=Acme Device CA, O="Acme, Inc.", C=US'),
  ];
  return { cas, weights: [2, 6, 3] };
}

/** CertID hashes of CAs this responder does not serve (requests for them are unauthorized). */
export const UNKNOWN_CAS: readonly CaProfile[] = ['Foreign CA 1', 'Foreign CA 2'].map((label) =>
  makeCa(label, '0', '0'));

/** BigInteger.toByteArray() of a positive magnitude, hex: minimal, `00` prefix when the top bit is set. */
export function serialHex(bytes: Uint8Array): string {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  if (start === bytes.length) return '00';
  const body = Buffer.from(bytes.subarray(start)).toString('hex');
  return bytes[start]! >= 0x80 ? `00${body}` : body;
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

export interface CertEntry {
  readonly ca: number;
  readonly serial: string;
  readonly status: 0 | 1 | 2;
  /** REV_REASON as logged: -1 good, the CRL reason when revoked, 6 for unknown certificates. */
  readonly reason: number;
  readonly profileId: string;
}

const HOT_CERTS = 100;
const CERT_STATUS_TABLE = weightedTable<0 | 1 | 2>([[92, 0], [6, 1], [2, 2]]);
const REASON_TABLE = weightedTable([[8, 0], [26, 1], [1, 2], [4, 3], [30, 4], [26, 5], [3, 6], [1, 8],
  [1, 9], [1, 10]]);
// 1 and 9 are EJBCA's fixed ENDUSER and OCSPSIGNER profiles; the large ids are custom profiles.
const PROFILE_TABLE = weightedTable([[40, '1'], [30, '1436329341'], [20, '868914617'], [5, '9'], [5, '2']]);

/**
 * Certificates that clients ask about, most popular first (a Zipf rank picks them). EJBCA 6
 * CAs used 8-octet serials; from 7.0 new CAs default to 20 octets, older CAs keep 8.
 */
export function makeCertPool(rng: Rng, era: TrxEra, n: number, caWeights: readonly number[]): CertEntry[] {
  const caTable = weightedTable(caWeights.map((w, i) => [w, i] as const));
  const pool: CertEntry[] = [];
  while (pool.length < n) {
    const octets = era === '6.x' || rng.chance(0.25) ? 8 : 20;
    // The busiest certificates are live ones, which also keeps the status mix stable per seed.
    const status = pool.length < HOT_CERTS ? 0 : CERT_STATUS_TABLE[rng.int(CERT_STATUS_TABLE.length)]!;
    pool.push({
      ca: caTable[rng.int(caTable.length)]!,
      serial: serialHex(randomBytes(rng, octets)),
      status,
      reason: status === 1 ? REASON_TABLE[rng.int(REASON_TABLE.length)]! : status === 2 ? 6 : -1,
      profileId: status === 2 ? '0' : PROFILE_TABLE[rng.int(PROFILE_TABLE.length)]!,
    });
  }
  // A few tiny serials exercise the `01` / `0080` encodings, at moderately popular ranks.
  for (const small of [[0x01], [0x80], [0x7f, 0xff]]) {
    const rank = Math.min(n - 1, HOT_CERTS + rng.int(HOT_CERTS));
    pool[rank] = { ca: 0, serial: serialHex(Uint8Array.from(small)), status: 0, reason: -1, profileId: '1' };
  }
  return pool;
}

export interface Requestor {
  readonly reqName: string;
  readonly reqNameRaw: string;
  readonly signIssuerDn: string;
  readonly signSubjectDn: string;
  readonly signSerial: string;
  readonly ascii: boolean;
}

function makeRequestor(rng: Rng, subject: string, issuer: string): Requestor {
  // REQ_NAME_RAW is "4: " + X500Name.toString(), whose RDNs come in encoded order (C first).
  const raw = `4: ${subject.split(/(?<!\\),/).reverse().join(',')}`;
  return {
    reqName: asReplacement(subject),
    reqNameRaw: asReplacement(raw),
    signIssuerDn: asReplacement(issuer),
    signSubjectDn: asReplacement(subject),
    signSerial: serialHex(randomBytes(rng, 8)),
    ascii: /^[\x20-\x7e]*$/.test(subject),
  };
}

/** Relying parties that sign their requests (requestorName is their subject DN). */
export function makeRequestors(rng: Rng): Requestor[] {
  return [
    makeRequestor(rng, 'CN=OCSP Client 01,O=Example Org,C=DE', 'CN=Example Issuing CA G2,OU=PKI Services,O=Example Org,C=DE'),
    makeRequestor(rng, 'CN=monitor,O=EJBCA Sample,C=SE', 'CN=ManagementCA,O=EJBCA Sample,C=SE'),
    makeRequestor(rng, 'CN=relying-party.example.com,O=Acme\\, Inc.,C=US', 'CN=Acme Device CA,O=Acme\\, Inc.,C=US'),
    makeRequestor(rng, 'CN=Jörg Müller,OU=Security,O=Example Org,C=DE', 'CN=Example Issuing CA G2,OU=PKI Services,O=Example Org,C=DE'),
  ];
}

/** Remote addresses as HttpServletRequest.getRemoteAddr() prints them (IPv6 uncompressed). */
export function makeClients(rng: Rng, n: number): string[] {
  const clients: string[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; clients.length < n; attempt++) {
    const u = rng.next();
    let ip: string;
    if (u < 0.02) ip = rng.chance(0.3) ? '0:0:0:0:0:0:0:1' : `2001:db8:0:0:0:0:${rng.int(0x10000).toString(16)}:${(1 + rng.int(0xffff)).toString(16)}`;
    else if (u < 0.55) ip = `10.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
    else if (u < 0.8) ip = `172.${16 + rng.int(16)}.${rng.int(256)}.${1 + rng.int(254)}`;
    else ip = `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${1 + rng.int(254)}`;
    if (seen.has(ip) && attempt < n * 20) continue;
    seen.add(ip);
    clients.push(ip);
  }
  return clients;
}

/**
 * FORWARDED_FOR after getCleanXForwardedFor: lowercased, chars outside [0-9a-f.,: ] become
 * `?` (so a proxy's "unknown" logs as `???????`); empty without the header.
 */
export const FORWARDED_TABLE = weightedTable([[880, ''], [60, '198.51.100.7, 10.0.0.1'], [25, '203.0.113.45'],
  [15, '192.0.2.33, 10.1.2.3'], [10, '2001:db8::17'], [6, '???????'], [4, '198.51.100.7, ???????']]);

/** GUIDGenerator: hex8(time ^ nanos), hex8(host IPv4), hex8(identityHashCode), hex8(Random.nextInt()). */
export function sessionId(rng: Rng, hostIp: number): string {
  const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
  return hex8(rng.u32()) + hex8(hostIp) + hex8(rng.u32() >>> 1) + hex8(rng.u32());
}

/** REPLY_TIME in ms: log-normal around 6 ms (mostly 1-50 ms) with a rare 1-30 s tail. */
export function replyTime(rng: Rng): number {
  if (rng.chance(0.003)) return Math.round(1000 * Math.pow(30, rng.next()));
  const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return Math.max(0, Math.round(Math.exp(Math.log(6) + 0.8 * z)));
}

/** A Zipf-ranked picker over a fixed list. */
export class Popular<T> {
  private readonly rank: Zipf;
  constructor(readonly items: readonly T[], exponent = 1.1) {
    this.rank = new Zipf(items.length, exponent);
  }
  pick(rng: Rng): T {
    return this.items[this.rank.sample(rng)]!;
  }
}
