import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DerError,
  readChildren,
  readGeneralizedTime,
  readInteger,
  readEnumerated,
  readIntegerHex,
  readOid,
  readSmallInteger,
  readTlv,
  toHex,
  readOctetHexRecent,
  type Tlv,
} from '../../../src/formats/ocsp/der.js';
import { describeOcsp } from '../../../src/formats/ocsp/describe.js';
import { decodeHex } from '../../../src/formats/ocsp/hex.js';
import { decodeOcspRequest, decodeOcspResponse, type CertIdInfo } from '../../../src/formats/ocsp/ocsp.js';
import { verifyOcspResponse } from '../../../src/formats/ocsp/verify.js';

// Fixtures come from make-fixtures.sh (openssl CLI); the .txt files are OpenSSL's own reading.
const dir = fileURLToPath(new URL('../../fixtures/ocsp/', import.meta.url));
const names = readdirSync(dir).filter((name) => name.endsWith('.der')).sort();
const requestNames = names.filter((name) => name.startsWith('req-'));
const responseNames = names.filter((name) => name.startsWith('resp-'));
const der = (name: string): Uint8Array => new Uint8Array(readFileSync(dir + name));
const pem = (name: string): X509Certificate => new X509Certificate(readFileSync(dir + name));
const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

/** OpenSSL's text up to the first certificate dump, with its wrapped hex lines joined. */
function opensslText(name: string): { head: string; certificates: number } {
  const full = readFileSync(dir + name.replace(/\.der$/, '.txt'), 'latin1').replace(/\\\n/g, '');
  const cut = full.search(/^Certificate:$/m);
  return { head: cut < 0 ? full : full.slice(0, cut), certificates: full.match(/^Certificate:$/gm)?.length ?? 0 };
}

function field(block: string, label: string): string | undefined {
  return new RegExp(`^\\s*${label}: *(.*)$`, 'm').exec(block)?.[1]?.trim();
}

const certIdBlocks = (head: string): string[] => head.split(/^\s*Certificate ID:$/m).slice(1);
const nonceOf = (head: string): string | undefined => /OCSP Nonce: *\n\s*([0-9A-F]+)/.exec(head)?.[1];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Jan  1 00:00:00 2020 GMT" → ISO. */
function opensslTime(text: string | undefined): string | undefined {
  const m = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d{4}) GMT$/.exec(text ?? '');
  if (!m) return undefined;
  const [, mon = '', day, h, mi, s, y] = m;
  return new Date(Date.UTC(Number(y), MONTHS.indexOf(mon), Number(day), Number(h), Number(mi), Number(s))).toISOString();
}

/** "C = SE, O = Org, CN = x" (encoding order) → "CN=x,O=Org,C=SE" (EJBCA order). */
const ejbcaDn = (text: string): string => text.split(', ').map((part) => part.replace(' = ', '=')).reverse().join(',');

/** OpenSSL prints serials as minimal unsigned hex; EJBCA adds 00 when the top bit is set. */
function ejbcaSerial(text: string): string {
  const hex = text.toLowerCase();
  return parseInt(hex[0] ?? '0', 16) >= 8 ? `00${hex}` : hex;
}

const SIGNATURE_OIDS: Record<string, string> = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  rsassaPss: '1.2.840.113549.1.1.10',
  'ecdsa-with-SHA256': '1.2.840.10045.4.3.2',
};

function expectCertId(certId: CertIdInfo | undefined, block: string): void {
  expect(certId?.hashName).toBe(field(block, 'Hash Algorithm'));
  expect(certId?.issuerNameHash).toBe(field(block, 'Issuer Name Hash')?.toLowerCase());
  expect(certId?.issuerKeyHash).toBe(field(block, 'Issuer Key Hash')?.toLowerCase());
  expect(certId?.serial).toBe(ejbcaSerial(field(block, 'Serial Number') ?? ''));
}

/** Only DerError may escape a decoder. */
function decodeOrDerError(run: () => unknown): 'ok' | 'der-error' {
  try {
    run();
    return 'ok';
  } catch (err) {
    if (err instanceof DerError) return 'der-error';
    throw err;
  }
}

/** A copy of `bytes` with one bit inverted. */
function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Re-encodes every constructed value with indefinite lengths (BER), leaving primitives as they are. */
function toIndefinite(bytes: Uint8Array, node: Tlv): number[] {
  if (!node.constructed) return [...bytes.subarray(node.start, node.end)];
  let idEnd = node.start + 1;
  if (((bytes[node.start] ?? 0) & 0x1f) === 0x1f) while ((bytes[idEnd++] ?? 0) & 0x80);
  const inner = readChildren(bytes, node).flatMap((child) => toIndefinite(bytes, child));
  return [...bytes.subarray(node.start, idEnd), 0x80, ...inner, 0x00, 0x00];
}

/** The reason of the DerError `run` throws ('none' if it returns); anything else fails the test. */
function derReason(run: () => unknown): string {
  try {
    run();
    return 'none';
  } catch (err) {
    if (err instanceof DerError) return err.reason;
    throw err;
  }
}

// The audit example of spec §7 (ejbca-ocsp-logs.md): an OpenSSL-made response for serial 0x8A3F1C2D4E5F60718293.
const SPEC_RESPONSE =
  '308201bb0a0100a08201b4308201b006092b0601050507300101048201a13082019d308186a21604146faee9603858141d52e86c3c24dd3f609604265d180f32303236313132343230343131355a305b30593044300906052b0e03021a05000414a9d7641581b76da92fcd48afa8fcb1e81af04f2504146faee9603858141d52e86c3c24dd3f609604265d020b008a3f1c2d4e5f607182938000180f32303236313132343230343131355a300d06092a864886f70d01010b050003820101007691d9310becfae221b4339b480c3c289e92e6dc2a044684982a8e381d9ad8780f7f63a72fd8144ad1772aea273dea7466f717547521824a95465520340e175589f0a7c11f600a1c5e677281fc0eca2c36bd9e42f1dbb5d053dc40f7b00a54925c70411a5c53f23a63126dbd797d5395902ed13d9d58b34a98137c319ea9f63da470e62627053272751a65951d269c1ec35bbd7f00052132bcb54864f4b7d1f598520815bd2688919bcf744cbfbc37df0c84fd0198b9d7bec8f5669b1e695757a88b6eab2d0398eccc0fede3cd1227cef99ead185444dd91e8c5a1aa71b7c505ba809d84eadde0a748a70cdcd85f26c59610bed264d3c0437867ba31c1fe6b9c';

describe('fixtures', () => {
  it('are all there', () => {
    expect(requestNames).toHaveLength(5);
    expect(responseNames).toHaveLength(10);
  });
});

describe('decodeOcspRequest matches openssl ocsp -req_text', () => {
  it.each(requestNames)('%s', (name) => {
    const info = decodeOcspRequest(der(name));
    const { head, certificates } = opensslText(name);
    expect(info.version).toBe(Number(/Version: \d+ \(0x(\d+)\)/.exec(head)?.[1]));
    const blocks = certIdBlocks(head);
    expect(info.certIds).toHaveLength(blocks.length);
    blocks.forEach((block, i) => expectCertId(info.certIds[i], block));
    expect(info.nonce).toBe(nonceOf(head)?.slice(4).toLowerCase());
    const requestor = field(head, 'Requestor Name');
    expect(info.requestorName).toBe(requestor === undefined ? undefined : ejbcaDn(requestor.replace(/^DirName:/, '')));
    const signature = field(head, 'Signature Algorithm');
    expect(info.signed).toBe(signature !== undefined);
    expect(info.signatureAlgorithm).toBe(signature === undefined ? undefined : SIGNATURE_OIDS[signature]);
    expect(info.certs).toBe(certificates);
    expect(info.trailingBytes).toBe(0);
  });

  it('keeps the EJBCA serial form: leading 00 when the top bit is set', () => {
    const serials = decodeOcspRequest(der('req-multi.der')).certIds.map((id) => id.serial);
    expect(serials).toEqual(['1001', '0080f2', '1003', '1004', '1005', '008a3f1c2d4e5f60718293']);
  });

  it('decodes the spec §7 example request', () => {
    const hex = '304c304a304830463044300906052b0e03021a05000414a9d7641581b76da92fcd48afa8fcb1e81af04f2504146faee9603858141d52e86c3c24dd3f609604265d020b008a3f1c2d4e5f60718293';
    expect(decodeOcspRequest(fromHex(hex))).toEqual({
      version: 0,
      certIds: [{
        hashAlgorithm: '1.3.14.3.2.26',
        hashName: 'sha1',
        issuerNameHash: 'a9d7641581b76da92fcd48afa8fcb1e81af04f25',
        issuerKeyHash: '6faee9603858141d52e86c3c24dd3f609604265d',
        serial: '008a3f1c2d4e5f60718293',
      }],
      signed: false,
      certs: 0,
      trailingBytes: 0,
    });
  });
});

describe('decodeOcspResponse matches openssl ocsp -resp_text', () => {
  it.each(responseNames)('%s', (name) => {
    const info = decodeOcspResponse(der(name));
    const { head, certificates } = opensslText(name);
    const error = /^Responder Error: (\w+) \((\d+)\)/.exec(head);
    if (error) {
      expect(info.statusName.toLowerCase()).toBe(error[1]);
      expect(info.status).toBe(Number(error[2]));
      expect(info.basic).toBeUndefined();
      return;
    }
    const status = /OCSP Response Status: (\w+) \(0x([0-9a-f]+)\)/.exec(head);
    expect(info.statusName).toBe(status?.[1]);
    expect(info.status).toBe(parseInt(status?.[2] ?? '', 16));
    const basic = info.basic;
    expect(basic).toBeDefined();
    if (basic === undefined) return;
    const responder = field(head, 'Responder Id') ?? '';
    if (/^[0-9A-F]{40}$/.test(responder)) expect(basic.responderId).toEqual({ byKeyHash: responder.toLowerCase() });
    else expect(basic.responderId).toEqual({ byName: ejbcaDn(responder) });
    expect(basic.producedAt).toBe(opensslTime(field(head, 'Produced At')));
    const blocks = certIdBlocks(head);
    expect(basic.responses).toHaveLength(blocks.length);
    blocks.forEach((block, i) => {
      const single = basic.responses[i];
      expectCertId(single?.certId, block);
      expect(single?.certStatus).toBe(field(block, 'Cert Status'));
      expect(single?.revocationTime).toBe(opensslTime(field(block, 'Revocation Time')));
      const reason = /Revocation Reason: \w+ \(0x([0-9a-f]+)\)/.exec(block)?.[1];
      expect(single?.revocationReason).toBe(reason === undefined ? undefined : parseInt(reason, 16));
      expect(single?.thisUpdate).toBe(opensslTime(field(block, 'This Update')));
      expect(single?.nextUpdate).toBe(opensslTime(field(block, 'Next Update')));
    });
    expect(basic.nonce).toBe(nonceOf(head)?.slice(4).toLowerCase());
    expect(basic.signatureAlgorithm).toBe(SIGNATURE_OIDS[field(head, 'Signature Algorithm') ?? '']);
    expect(basic.certs).toHaveLength(certificates);
    expect(info.trailingBytes).toBe(0);
  });

  it('covers every RFC 5280 reason the index uses, and unknown', () => {
    const singles = decodeOcspResponse(der('resp-multi.der')).basic?.responses ?? [];
    expect(singles.map((s) => [s.certStatus, s.revocationReason])).toEqual([
      ['good', undefined], ['revoked', 1], ['revoked', 4], ['revoked', 5], ['revoked', 6], ['unknown', undefined],
    ]);
  });

  it('decodes the spec §7 example response and error response', () => {
    const basic = decodeOcspResponse(fromHex(SPEC_RESPONSE)).basic;
    expect(basic?.responderId).toEqual({ byKeyHash: '6faee9603858141d52e86c3c24dd3f609604265d' });
    expect(basic?.producedAt).toBe('2026-11-24T20:41:15.000Z');
    expect(basic?.responses[0]).toMatchObject({ certStatus: 'good', thisUpdate: '2026-11-24T20:41:15.000Z' });
    expect(basic?.responses[0]?.certId.serial).toBe('008a3f1c2d4e5f60718293');
    expect(basic?.certs).toEqual([]);
    expect(verifyOcspResponse(basic!).result).toBe('unverifiable');
    expect(decodeOcspResponse(fromHex('30030a0106'))).toEqual({ status: 6, statusName: 'unauthorized', trailingBytes: 0 });
  });

  it('leaves out basic for other response types without failing', () => {
    // responseBytes with responseType 1.2.3 and an opaque body
    const info = decodeOcspResponse(fromHex('300f0a0100a00a300806022a030402beef'));
    expect(info).toEqual({ status: 0, statusName: 'successful', trailingBytes: 0 });
  });
});

describe('verifyOcspResponse', () => {
  const ca = pem('ca.pem');
  const root = pem('root.pem');
  const signed = responseNames.filter((name) => decodeOcspResponse(der(name)).basic !== undefined);
  const basicOf = (name: string) => decodeOcspResponse(der(name)).basic!;
  const withCerts = signed.filter((name) => basicOf(name).certs.length > 0);

  it.each(withCerts)('%s is valid with the included signer', (name) => {
    expect(verifyOcspResponse(basicOf(name)).result).toBe('valid');
  });

  it.each(signed)('%s agrees with OpenSSL given the issuing CA', (name) => {
    const verdict = readFileSync(`${dir}openssl-verify.txt`, 'latin1').match(new RegExp(`^${name} (OK|FAIL)$`, 'm'))?.[1];
    const { result } = verifyOcspResponse(basicOf(name), { caCerts: [ca] });
    expect(result === 'valid' ? 'OK' : 'FAIL').toBe(verdict);
  });

  it.each(withCerts)('%s is invalid after a bit flip in the signature or the signed data', (name) => {
    const basic = basicOf(name);
    const signature = flipBit(basic.signature, basic.signature.length * 4);
    expect(verifyOcspResponse({ ...basic, signature })).toEqual({ result: 'invalid', reason: 'bad signature' });
    const tbsResponseData = flipBit(basic.tbsResponseData, basic.tbsResponseData.length * 8 - 20);
    expect(verifyOcspResponse({ ...basic, tbsResponseData })).toEqual({ result: 'invalid', reason: 'bad signature' });
  });

  it('is unverifiable without the signer certificate and no CA', () => {
    expect(verifyOcspResponse(basicOf('resp-no-certs.der'))).toEqual({ result: 'unverifiable', reason: 'responder certificate not found' });
    expect(verifyOcspResponse(basicOf('resp-ca-signed.der')).result).toBe('unverifiable');
  });

  it('finds a CA that signs its own responses by key hash', () => {
    expect(verifyOcspResponse(basicOf('resp-ca-signed.der'), { caCerts: [ca] }).result).toBe('valid');
  });

  it('rejects a signer the given CA did not issue, or one without id-kp-OCSPSigning', () => {
    expect(verifyOcspResponse(basicOf('resp-multi.der'), { caCerts: [root] }))
      .toEqual({ result: 'invalid', reason: 'signer not issued by the given CA' });
    expect(verifyOcspResponse(basicOf('resp-no-ocsp-eku.der'), { caCerts: [ca] }).result).toBe('invalid');
  });

  it('rejects a CA, or its delegated responder, answering for certificates of another CA (RFC 6960 4.2.2.2)', () => {
    // The signature covers tbsResponseData as received; the decoded CertIDs are what is checked.
    const otherIssuer = (name: string) => {
      const basic = basicOf(name);
      return { ...basic, responses: basic.responses.map((r) => ({ ...r, certId: { ...r.certId, issuerKeyHash: '00'.repeat(r.certId.issuerKeyHash.length / 2) } })) };
    };
    expect(verifyOcspResponse(basicOf('resp-multi.der'), { caCerts: [ca] }).result).toBe('valid');
    expect(verifyOcspResponse(otherIssuer('resp-multi.der'), { caCerts: [ca] }))
      .toEqual({ result: 'invalid', reason: 'delegated responder of a CA for certificates of another CA' });
    expect(verifyOcspResponse(otherIssuer('resp-ca-signed.der'), { caCerts: [ca] }))
      .toEqual({ result: 'invalid', reason: 'signed by a CA for certificates of another CA' });
  });

  it('rejects a signer whose certificate was not valid when the response was produced', () => {
    for (const producedAt of ['2200-01-01T00:00:00Z', '1999-01-01T00:00:00Z']) {
      expect(verifyOcspResponse({ ...basicOf('resp-multi.der'), producedAt }, { caCerts: [ca] }))
        .toEqual({ result: 'invalid', reason: 'signer certificate not valid when the response was produced' });
    }
  });

  it('says unverifiable for an unsupported signature algorithm', () => {
    const basic = { ...basicOf('resp-multi.der'), signatureAlgorithm: '1.2.3.4' };
    expect(verifyOcspResponse(basic)).toEqual({ result: 'unverifiable', reason: 'unsupported signature algorithm 1.2.3.4' });
  });
});

describe('hostile input', () => {
  const response = der('resp-multi.der');
  const request = der('req-signed.der');

  it('rejects every truncation of a real response and request with a DerError', () => {
    // A hang would be caught by the test timeout; speed itself is for bench/.
    for (const [blob, decode] of [[response, decodeOcspResponse], [request, decodeOcspRequest]] as const) {
      for (let length = 0; length < blob.length; length++) {
        expect(decodeOrDerError(() => decode(blob.subarray(0, length)))).toBe('der-error');
      }
    }
  });

  it('survives 200 seeded random bit flips per blob: DerError or a result, never a hang', () => {
    const random = mulberry32(0x5eed);
    const outcomes = { ok: 0, 'der-error': 0 };
    for (const blob of [response, request, der('resp-ec.der'), der('resp-sha384-sha512.der')]) {
      for (let i = 0; i < 200; i++) {
        const flipped = flipBit(blob, Math.floor(random() * blob.length * 8));
        outcomes[decodeOrDerError(() => describeOcsp(flipped))]++;
        decodeOrDerError(() => {
          const basic = decodeOcspResponse(flipped).basic;
          if (basic) expect(['valid', 'invalid', 'unverifiable']).toContain(verifyOcspResponse(basic).result);
        });
      }
    }
    expect(outcomes.ok + outcomes['der-error']).toBe(800);
  });

  it('decodes a BER indefinite-length outer SEQUENCE the same', () => {
    for (const name of requestNames) {
      const blob = der(name);
      const outer = readTlv(blob, 0, blob.length);
      const ber = new Uint8Array([0x30, 0x80, ...blob.subarray(outer.contentStart, outer.contentEnd), 0x00, 0x00]);
      expect(decodeOcspRequest(ber)).toEqual(decodeOcspRequest(blob));
    }
    const outer = readTlv(response, 0, response.length);
    const ber = new Uint8Array([0x30, 0x80, ...response.subarray(outer.contentStart, outer.contentEnd), 0x00, 0x00]);
    const basic = decodeOcspResponse(ber).basic!;
    expect(basic).toEqual(decodeOcspResponse(response).basic);
    expect(verifyOcspResponse(basic).result).toBe('valid');
  });

  it('decodes a request with every constructed value in indefinite form the same', () => {
    for (const name of requestNames) {
      const blob = der(name);
      const ber = new Uint8Array(toIndefinite(blob, readTlv(blob, 0, blob.length)));
      expect(ber.length).toBeGreaterThan(blob.length);
      expect(decodeOcspRequest(ber)).toEqual(decodeOcspRequest(blob));
    }
  });

  it('counts trailing bytes after the outer SEQUENCE', () => {
    const blob = der('req-sha1-nonce.der');
    const padded = new Uint8Array([...blob, 0x00, 0x00, 0xff]);
    expect(decodeOcspRequest(padded)).toEqual({ ...decodeOcspRequest(blob), trailingBytes: 3 });
  });

  it('stops deep indefinite nesting quickly with too-deep', () => {
    const deep = new Uint8Array(2000).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80));
    for (const decode of [decodeOcspRequest, decodeOcspResponse, describeOcsp]) {
      expect(derReason(() => decode(deep))).toBe('too-deep');
    }
  });
});

describe('der reader', () => {
  it('reads high tag numbers, long and non-minimal lengths', () => {
    expect(readTlv(fromHex('9f810000'), 0, 4)).toMatchObject({ tag: 128, class: 'context', constructed: false, length: 0 });
    expect(readTlv(fromHex('04820001aa'), 0, 5)).toMatchObject({ headerLength: 4, length: 1, end: 5 });
    // BER: any number of length octets, the leading ones zero (X.690 8.1.3.5), as OpenSSL reads them.
    expect(readTlv(fromHex('0485000000000100'), 0, 8)).toMatchObject({ headerLength: 7, length: 1, end: 8 });
  });

  it.each([
    ['04850100000000', 'bad-length'],
    ['04ff00', 'bad-length'],
    ['0403aabb', 'truncated'],
    ['0480aa0000', 'bad-length'],
    ['3080020100', 'truncated'],
    ['30800201000001', 'bad-length'],
    ['1f8080808001', 'bad-tag'],
    ['', 'truncated'],
  ])('rejects %s with %s', (hex, reason) => {
    const bytes = fromHex(hex);
    expect(derReason(() => readTlv(bytes, 0, bytes.length))).toBe(reason);
  });

  it('reads INTEGERs as bigint and as EJBCA hex', () => {
    const integer = (hex: string) => {
      const bytes = fromHex(hex);
      const node = readTlv(bytes, 0, bytes.length);
      return [readInteger(bytes, node), readIntegerHex(bytes, node)];
    };
    expect(integer('020101')).toEqual([1n, '01']);
    expect(integer('020100')).toEqual([0n, '00']);
    expect(integer('0203008a3f')).toEqual([0x8a3fn, '008a3f']);
    expect(integer('0203000001')).toEqual([1n, '01']);
    expect(integer('0202ff7f')).toEqual([-129n, 'ff7f']);
    expect(integer('0203ffff80')).toEqual([-128n, '80']);
  });

  it('reads small INTEGERs and ENUMERATEDs of every length as numbers, like the bigint path', () => {
    for (let length = 1; length <= 7; length++) {
      for (const fill of [0x00, 0x01, 0x7f, 0x80, 0xa5, 0xff]) {
        const content = Array.from({ length }, (_, i) => (i === 0 ? fill : (fill * 31 + i * 17) & 0xff));
        const int = new Uint8Array([0x02, length, ...content]);
        const reference = BigInt.asIntN(8 * length, BigInt(`0x${Buffer.from(content).toString('hex')}`));
        expect(readInteger(int, readTlv(int, 0, int.length)), `${length} ${fill}`).toBe(reference);
        const enumerated = new Uint8Array([0x0a, length, ...content]);
        const small = () => readSmallInteger(int, readTlv(int, 0, int.length));
        const enumValue = () => readEnumerated(enumerated, readTlv(enumerated, 0, enumerated.length));
        if (reference > BigInt(Number.MAX_SAFE_INTEGER) || reference < BigInt(Number.MIN_SAFE_INTEGER)) {
          expect([derReason(small), derReason(enumValue)]).toEqual(['bad-value', 'bad-value']);
        } else {
          expect([small(), enumValue()], `${length} ${fill}`).toEqual([Number(reference), Number(reference)]);
        }
      }
    }
    const empty = fromHex('0200');
    expect(derReason(() => readSmallInteger(empty, readTlv(empty, 0, empty.length)))).toBe('bad-value');
  });

  it('writes hex as Buffer does, and the recent-hash cache follows the bytes, not the buffer', () => {
    for (let length = 0; length <= 100; length += 7) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 73 + length) & 0xff);
      expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
    }
    // An OCTET STRING of 20 bytes at offset 3 of a buffer that is reused.
    const reused = new Uint8Array(23).fill(0xab);
    reused.set([0x04, 0x14], 1);
    const hash = readTlv(reused, 1, reused.length);
    expect(readOctetHexRecent(reused, hash)).toBe('ab'.repeat(20));
    reused.fill(0xcd, 3); // the same buffer, new bytes: as a decoded block's is
    expect(readOctetHexRecent(reused, hash)).toBe('cd'.repeat(20));
    reused[22] = 0xce; // differs in its last byte only
    expect(readOctetHexRecent(reused, hash)).toBe(`${'cd'.repeat(19)}ce`);
  });

  it('reads OIDs and GeneralizedTime', () => {
    const oid = fromHex('06092a864886f70d01010b');
    expect(readOid(oid, readTlv(oid, 0, oid.length))).toBe('1.2.840.113549.1.1.11');
    const uuid = fromHex('0615698183e8b7c5fb9ef5a9f0b2a7c8bbcbc6fdb3c403');
    expect(readOid(uuid, readTlv(uuid, 0, uuid.length))).toMatch(/^2\.25\.\d+$/);
    const time = (text: string) => {
      const bytes = new Uint8Array([0x18, text.length, ...Buffer.from(text, 'latin1')]);
      return readGeneralizedTime(bytes, readTlv(bytes, 0, bytes.length));
    };
    expect(time('20240229120000Z')).toBe('2024-02-29T12:00:00.000Z');
    expect(time('20240229120000.25Z')).toBe('2024-02-29T12:00:00.250Z');
    expect(time('20240229120000+0200')).toBe('2024-02-29T10:00:00.000Z');
    expect(derReason(() => time('20230229120000Z'))).toBe('bad-value');
    expect(derReason(() => time('2024022912000Z'))).toBe('bad-value');
  });

  it('reads DER-form times as Date does, leap days and month ends included, and rejects impossible ones', () => {
    const time = (text: string) => {
      const bytes = new Uint8Array([0x18, text.length, ...Buffer.from(text, 'latin1')]);
      return readGeneralizedTime(bytes, readTlv(bytes, 0, bytes.length));
    };
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    let checked = 0;
    for (const year of [0, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          for (const [h, m, sec] of [[0, 0, 0], [23, 59, 59], [24, 0, 0], [12, 60, 0], [12, 0, 60]]) {
            const text = `${pad(year, 4)}${pad(month)}${pad(day)}${pad(h!)}${pad(m!)}${pad(sec!)}Z`;
            const date = new Date(0);
            date.setUTCFullYear(year, month - 1, day);
            date.setUTCHours(h!, m!, sec!, 0);
            const possible = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
              date.getUTCHours() === h && date.getUTCMinutes() === m && date.getUTCSeconds() === sec;
            if (possible) expect(time(text)).toBe(date.toISOString());
            else expect(derReason(() => time(text))).toBe('bad-value');
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(9 * 14 * 7 * 5);
  });
});

describe('decodeHex', () => {
  it('decodes either case', () => {
    expect(decodeHex('30030a0106')).toEqual({ bytes: fromHex('30030a0106') });
    expect(decodeHex('0aFf')).toEqual({ bytes: fromHex('0aff') });
    expect(decodeHex('')).toEqual({ bytes: new Uint8Array() });
  });

  it('reports odd length and non-hex characters with their offset', () => {
    expect(decodeHex('30030')).toEqual({ error: 'odd-length', offset: 4 });
    expect(decodeHex('3003 0a')).toEqual({ error: 'non-hex', offset: 4 });
    expect(decodeHex('zz0')).toEqual({ error: 'non-hex', offset: 0 });
  });
});

describe('describeOcsp', () => {
  it('describes a response like openssl ocsp -text', () => {
    const { kind, text, json } = describeOcsp(der('resp-multi.der'));
    expect(kind).toBe('response');
    for (const line of [
      'OCSP Response Status: successful (0x0)',
      'Responder Id: CN=Test OCSP Responder,O=Certcrunch Test,C=SE',
      'Hash Algorithm: sha1',
      'Serial Number: 0080f2',
      'Cert Status: revoked',
      'Revocation Time: 2020-01-01T00:00:00.000Z',
      'Revocation Reason: keyCompromise (0x1)',
      'Revocation Reason: certificateHold (0x6)',
      'Revocation Reason: cessationOfOperation (0x5)',
      'Cert Status: unknown',
      'Signature Algorithm: sha256WithRSAEncryption',
      'Certificates: 2',
    ]) expect(text).toContain(line);
    expect(JSON.parse(JSON.stringify(json))).toMatchObject({ status: 0, basic: { certs: [expect.any(String), expect.any(String)] } });
  });

  it('describes requests and error responses', () => {
    const request = describeOcsp(der('req-signed.der'));
    expect(request.kind).toBe('request');
    expect(request.text).toContain('Requestor Name: CN=good.example,O=Certcrunch Test,C=SE');
    expect(request.text).toMatch(/OCSP Nonce: [0-9a-f]{32}/);
    expect(describeOcsp(fromHex('30030a0101')).text).toContain('OCSP Response Status: malformedRequest (0x1)');
  });
});
