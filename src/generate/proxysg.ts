/**
 * Seeded synthetic Blue Coat / Symantec ProxySG ELFF access logs in the
 * `bcreporterssl_v2` layout, for tests, bundled examples and throughput benchmarks.
 * Host and client pools are built once per seed; each record is a single template
 * string over precomputed pieces so gigabyte outputs stay cheap to produce.
 */
import { Rng, Zipf, drawDistinct, weightedTable } from './random.js';
import { ByteSink } from './output.js';

export interface ProxySgGenOptions {
  bytes: number;
  seed: number;
  malformedRate?: number;
  fieldsChange?: boolean;
  hosts?: number;
  clients?: number;
  startTime?: Date;
}

const CRLF = '\r\n';
const PROXY_IP = '10.0.0.42';
const HTTP_SHARE = 0.15;
const SPECIAL_RATE = 3 / 5000; // embedded quote, UTF-8 and Latin-1 categories, ~1 in 5000 each
const ZIPF_EXPONENT = 1.1;

const FIELDS_V2 = ('date time c-ip x-exception-id sc-filter-result cs-categories sc-status s-action cs-method ' +
  'rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-extension s-ip sc-bytes cs-bytes x-virus-id ' +
  'x-rs-certificate-observed-errors x-cs-ocsp-error x-rs-ocsp-error x-rs-connection-negotiated-cipher-strength ' +
  'x-rs-certificate-hostname x-rs-certificate-hostname-category cs-threat-risk x-rs-certificate-hostname-threat-risk'
).split(' ');
// Mid-file layout change: cs-host moves after c-ip and x-virus-id disappears (25 columns).
const FIELDS_MOVED = ['date', 'time', 'c-ip', 'cs-host',
  ...FIELDS_V2.slice(3).filter((f) => f !== 'cs-host' && f !== 'x-virus-id')];

const BENIGN_CATEGORIES = ['Technology/Internet', 'Search Engines/Portals', 'Web Ads/Analytics',
  'Content Delivery Networks', 'Business/Economy', 'Financial Services', 'News', 'Social Networking',
  'Shopping', 'Software Downloads'];
const RISKY_CATEGORIES = ['Suspicious', 'Malicious Sources/Malnets', 'Phishing'];
const UNKNOWN_CATEGORIES = ['Uncategorized', 'none', 'unavailable'];
// Weighted by repetition: expired and untrusted issuers dominate real traffic.
const CERT_ERROR_TOKENS = ['expired', 'expired', 'expired', 'untrusted_issuer', 'untrusted_issuer',
  'hostname_mismatch', 'hostname_mismatch', 'self_signed', 'revoked', 'not_yet_valid'];
const SPECIAL_CATEGORIES = ['"Books"Fiction;News"', '"Actualités;News"', '"Actualités"'];

const WORDS = ('alpha cloud data shop news media global secure micro tech blue red green fast smart web mail ' +
  'photo video music game travel bank pay market health learn open star sun river stone pixel byte north ' +
  'metro city home live world prime nova zen apex echo delta orbit quantum trade fiber spark atlas').split(' ');
const TLDS = 'com com com com net net org io de co.uk fr info xyz top ru jp com.au nl'.split(' ');
const SUBDOMAINS = 'www www www cdn api static img login mail update assets m download ads telemetry edge auth'.split(' ');
const PUBLIC_PREFIXES = ['203.0.113', '198.51.100', '185.199', '45.33', '104.16', '151.101'];

const HTML = 'text/html;%20charset=UTF-8';
/** "x-exception-id sc-filter-result" and "sc-status s-action cs-method rs(Content-Type)". */
interface Outcome { readonly pre: string; readonly post: string }
const CERT_DENIED: Outcome = { pre: 'ssl_server_cert_untrusted_issuer DENIED', post: `503 TCP_DENIED CONNECT ${HTML}` };

const o = (pre: string, post: string): Outcome => ({ pre, post });
const HTTPS_OUTCOMES = weightedTable<Outcome>([
  [70, o('- OBSERVED', '200 TCP_TUNNELED CONNECT -')], [6, o('- OBSERVED', '200 TUNNELED CONNECT -')],
  [5, o('- OBSERVED', `200 TCP_NC_MISS GET ${HTML}`)], [3, o('- OBSERVED', '200 TCP_NC_MISS POST -')],
  [3, o('- OBSERVED', `302 TCP_NC_MISS GET ${HTML}`)], [3, o('- PROXIED', `200 TCP_HIT GET ${HTML}`)],
  [2, o('- PROXIED', '200 TCP_ACCELERATED GET -')], [3, o('policy_denied DENIED', `403 TCP_DENIED CONNECT ${HTML}`)],
  [1, o('tenant.content_filter_denied DENIED', `403 DENIED GET ${HTML}`)],
  [2, o('tcp_error OBSERVED', '503 TCP_TUNNELED CONNECT -')], [2, o('- OBSERVED', '0 TCP_TUNNELED unknown -')],
]);
const HTTP_OUTCOMES = weightedTable<Outcome>([
  [60, o('- OBSERVED', `200 TCP_NC_MISS GET ${HTML}`)], [15, o('- OBSERVED', `200 TCP_HIT GET ${HTML}`)],
  [8, o('- OBSERVED', '200 TCP_NC_MISS POST -')], [8, o('- OBSERVED', `302 TCP_NC_MISS GET ${HTML}`)],
  [5, o('policy_denied DENIED', `403 TCP_DENIED GET ${HTML}`)],
  [2, o('tenant.content_filter_denied DENIED', `403 DENIED GET ${HTML}`)],
  [2, o('tcp_error OBSERVED', '503 TCP_NC_MISS GET -')],
]);
const CIPHERS = weightedTable([[85, 'high'], [9, 'medium'], [4, 'low'], [2, 'none']]);
const EXTENSIONS = weightedTable([[10, '-'], [2, 'html'], [2, 'js'], [1, 'css'], [2, 'png'], [1, 'jpg'],
  [1, 'php'], [1, 'json'], [1, 'exe']]);
const RARE_OCSP = ['ocsp_responder_unreachable -', '- ocsp_responder_unreachable', '- revoked'];
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

interface HostProfile {
  readonly name: string;
  readonly categories: string; // already quoted
  readonly certErrors: string | null; // quoted error tokens, or null for healthy hosts
  readonly noErrors: string; // '"none"' or 'none', fixed per host like a real appliance config
  readonly port: string;
  readonly httpsTail: string; // cert hostname, its category, cs-threat-risk, cert threat risk
  readonly httpTail: string;
}

function pickCategories(rng: Rng, risky: boolean): string {
  if (!risky && rng.chance(0.08)) return `"${rng.pick(UNKNOWN_CATEGORIES)}"`;
  const wanted = 1 + (rng.chance(0.3) ? 1 : 0) + (rng.chance(0.1) ? 1 : 0);
  const chosen = new Set<string>();
  if (risky || rng.chance(0.01)) chosen.add(rng.pick(RISKY_CATEGORIES));
  while (chosen.size < wanted) chosen.add(rng.pick(BENIGN_CATEGORIES));
  return `"${[...chosen].join(';')}"`;
}

function threatRisk(rng: Rng, risky: boolean): string {
  const u = rng.next();
  if (u < 0.04) return 'unavailable';
  if (u < 0.07) return '-';
  if (risky) return String(5 + rng.int(6));
  const r = rng.next();
  return String(1 + Math.floor(r * r * r * 7)); // cubic skew: mostly 1-2
}

function certErrorSet(rng: Rng): string {
  const tokens = [rng.pick(CERT_ERROR_TOKENS)];
  if (rng.chance(0.25)) {
    const second = rng.pick(CERT_ERROR_TOKENS);
    if (second !== tokens[0]) tokens.push(second);
  }
  let text = tokens.join(rng.chance(0.7) ? ',' : ';');
  if (rng.chance(0.1)) text = text.charAt(0).toUpperCase() + text.slice(1);
  else if (rng.chance(0.03)) text = text.toUpperCase();
  return `"${text}"`;
}

function registrableDomain(rng: Rng): string {
  let label = rng.pick(WORDS);
  if (rng.chance(0.6)) label += (rng.chance(0.3) ? '-' : '') + rng.pick(WORDS);
  if (rng.chance(0.1)) label += String(rng.int(100));
  return `${label}.${rng.pick(TLDS)}`;
}

function makeHost(rng: Rng): HostProfile {
  let name: string;
  let certHost: string;
  if (rng.chance(0.03)) {
    name = `${rng.pick(PUBLIC_PREFIXES)}.${rng.int(256)}.${1 + rng.int(254)}`;
    certHost = rng.chance(0.5) ? name : `*.${registrableDomain(rng)}`;
  } else {
    const parent = registrableDomain(rng);
    name = rng.chance(0.3) ? parent : `${rng.pick(SUBDOMAINS)}.${parent}`;
    const u = rng.next();
    certHost = u < 0.6 ? `*.${parent}` : u < 0.85 ? name : `*.${registrableDomain(rng)}`;
    // A few MixedCase names, possibly equal to another host up to case: the analyzer must fold case.
    if (rng.chance(0.02)) name = name.split('.').map((l) => l.charAt(0).toUpperCase() + l.slice(1)).join('.');
  }
  const hasCertErrors = rng.chance(0.08);
  // Error hosts lean risky, but some look like ordinary sites that merely let a cert expire.
  const risky = hasCertErrors ? rng.chance(0.65) : rng.chance(0.03);
  const categories = pickCategories(rng, risky);
  const risk = threatRisk(rng, risky);
  const certCategories = rng.chance(0.85) ? categories : pickCategories(rng, false);
  const v = rng.next();
  const certRisk = v < 0.85 ? risk : v < 0.95 ? rng.pick(['-', 'unavailable']) : String(1 + rng.int(5));
  return {
    name,
    categories,
    certErrors: hasCertErrors ? certErrorSet(rng) : null,
    noErrors: rng.chance(0.5) ? '"none"' : 'none',
    port: rng.chance(0.03) ? '8443' : '443',
    httpsTail: `${certHost} ${certCategories} ${risk} ${certRisk}`,
    httpTail: `- - ${risk} -`,
  };
}

function makeClient(rng: Rng): string {
  const u = rng.next();
  if (u < 0.6) return `10.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
  if (u < 0.97) return `192.168.${rng.int(256)}.${1 + rng.int(254)}`;
  return `2001:db8::${(1 + rng.int(0xffff)).toString(16)}`;
}

function formatStamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

function headerBlock(stamp: string, fields: readonly string[]): string {
  return [
    '#Software: SGOS 6.7.5.14', '#Version: 1.0', `#Start-Date: ${stamp}`, `#Date: ${stamp}`,
    `#Fields: ${fields.join(' ')}`, '#Remark: 2610140037 "SG-42" "10.0.0.42" "bcreporterssl_v2"',
  ].join(CRLF) + CRLF;
}

class RecordBuilder {
  /** How the last built record must be encoded. */
  encoding: 'ascii' | 'utf8' | 'latin1' = 'ascii';
  stamp: string;
  private specialCount = 0;
  private sec: number;
  private dayStart: number;
  private date: string;
  private readonly hostRank: Zipf;
  private readonly clientRank: Zipf;

  constructor(
    private readonly rng: Rng,
    private readonly hosts: readonly HostProfile[],
    private readonly clients: readonly string[],
    start: Date,
  ) {
    this.hostRank = new Zipf(hosts.length, ZIPF_EXPONENT);
    this.clientRank = new Zipf(clients.length, ZIPF_EXPONENT);
    this.sec = Math.floor(start.getTime() / 1000);
    this.dayStart = this.sec - (((this.sec % 86400) + 86400) % 86400);
    this.date = formatStamp(start).slice(0, 10);
    this.stamp = formatStamp(new Date(this.sec * 1000));
  }

  private advanceClock(): void {
    const step = this.rng.int(3);
    if (step === 0) return;
    this.sec += step;
    if (this.sec - this.dayStart >= 86400) {
      this.dayStart += 86400;
      this.date = formatStamp(new Date(this.dayStart * 1000)).slice(0, 10);
    }
    const s = this.sec - this.dayStart;
    this.stamp = `${this.date} ${PAD2[(s / 3600) | 0]}:${PAD2[((s / 60) | 0) % 60]}:${PAD2[s % 60]}`;
  }

  /** One record without line ending; `plain` suppresses the rare special categories. */
  build(moved: boolean, plain: boolean): string {
    const rng = this.rng;
    const host = this.hosts[this.hostRank.sample(rng)]!;
    const client = this.clients[this.clientRank.sample(rng)]!;
    const stamp = this.stamp;
    this.advanceClock();
    let categories = host.categories;
    this.encoding = 'ascii';
    if (!plain && rng.next() < SPECIAL_RATE) {
      const kind = this.specialCount++ % 3;
      categories = SPECIAL_CATEGORIES[kind]!;
      this.encoding = kind === 0 ? 'ascii' : kind === 1 ? 'utf8' : 'latin1';
    }
    let outcome: Outcome, scheme: string, port: string, ext: string;
    let certErrors: string, cipher: string, tail: string;
    if (rng.next() < HTTP_SHARE) {
      outcome = HTTP_OUTCOMES[rng.int(HTTP_OUTCOMES.length)]!;
      scheme = 'http'; port = '80'; ext = EXTENSIONS[rng.int(EXTENSIONS.length)]!;
      certErrors = '-'; cipher = 'none'; tail = host.httpTail;
    } else {
      scheme = 'https'; port = host.port; ext = '-'; tail = host.httpsTail;
      cipher = CIPHERS[rng.int(CIPHERS.length)]!;
      if (host.certErrors !== null && rng.next() < 0.9) {
        certErrors = host.certErrors;
        outcome = rng.next() < 0.15 ? CERT_DENIED : HTTPS_OUTCOMES[rng.int(HTTPS_OUTCOMES.length)]!;
      } else {
        certErrors = host.noErrors;
        outcome = HTTPS_OUTCOMES[rng.int(HTTPS_OUTCOMES.length)]!;
      }
    }
    const ocsp = rng.next() < 0.002 ? RARE_OCSP[rng.int(RARE_OCSP.length)]! : '- -';
    const r = rng.next();
    const scBytes = (r * r * r * 2_000_000) | 0;
    const csBytes = 100 + ((rng.next() * 4000) | 0);
    return moved
      ? `${stamp} ${client} ${host.name} ${outcome.pre} ${categories} ${outcome.post} ${scheme} ${port} ${ext} ${PROXY_IP} ${scBytes} ${csBytes} ${certErrors} ${ocsp} ${cipher} ${tail}`
      : `${stamp} ${client} ${outcome.pre} ${categories} ${outcome.post} ${scheme} ${host.name} ${port} ${ext} ${PROXY_IP} ${scBytes} ${csBytes} - ${certErrors} ${ocsp} ${cipher} ${tail}`;
  }
}

/** Garbage line: printable ASCII and high Latin-1 bytes, no space/quote/CR/LF, never starts with '#'. */
function garbageLine(rng: Rng): string {
  const codes: number[] = [];
  const length = 20 + rng.int(100);
  while (codes.length < length) {
    const c = rng.chance(0.85) ? 0x21 + rng.int(0x5e) : 0xa1 + rng.int(0x5f);
    if (c === 0x22 || (c === 0x23 && codes.length === 0)) continue;
    codes.push(c);
  }
  return String.fromCharCode(...codes);
}

/** Kind 0 drops the last field (one column short); kind 1 ends the line inside the categories quote. */
function breakRecord(line: string, kind: number): string {
  if (kind === 0) return line.slice(0, line.lastIndexOf(' ')); // the last field never holds a space
  const open = line.indexOf('"'); // categories is the first quoted field of a plain record
  const close = line.indexOf('"', open + 1);
  return line.slice(0, open + 1 + Math.max(1, (close - open - 1) >> 1)).trimEnd();
}

/**
 * Writes at least `opts.bytes` bytes of log (ending on a line boundary) to `out`,
 * honouring backpressure. The stream is not ended, so callers may append or reuse it.
 */
export async function generateProxySg(
  opts: ProxySgGenOptions,
  out: NodeJS.WritableStream,
): Promise<{ bytes: number; records: number; malformed: number }> {
  const malformedRate = opts.malformedRate ?? 0;
  const hostCount = opts.hosts ?? 20_000;
  const clientCount = opts.clients ?? 5_000;
  if (!(opts.bytes >= 0)) throw new RangeError(`bytes must be >= 0, got ${opts.bytes}`);
  if (!(malformedRate >= 0 && malformedRate <= 1)) throw new RangeError(`malformedRate must be in [0, 1]`);
  if (!(hostCount >= 1 && clientCount >= 1)) throw new RangeError('hosts and clients must be >= 1');
  const start = opts.startTime ?? new Date(Date.UTC(2024, 2, 1));
  if (Number.isNaN(start.getTime())) throw new RangeError('startTime is an invalid Date');

  const rng = new Rng(opts.seed);
  const hosts = drawDistinct(hostCount, () => makeHost(rng), (h) => h.name);
  const clients = drawDistinct(clientCount, () => makeClient(rng), (c) => c);
  const builder = new RecordBuilder(rng, hosts, clients, start);
  const writer = new ByteSink(out);
  writer.write(headerBlock(builder.stamp, FIELDS_V2), false);

  const switchAt = opts.fieldsChange === true ? Math.floor(opts.bytes / 2) : Infinity;
  let moved = false;
  let records = 0;
  let malformed = 0;
  while (writer.bytes < opts.bytes) {
    if (!moved && writer.bytes >= switchAt) {
      moved = true;
      writer.write(headerBlock(builder.stamp, FIELDS_MOVED), false);
      continue;
    }
    if (malformedRate > 0 && rng.next() < malformedRate) {
      const kind = malformed++ % 3;
      const bad = kind === 2 ? garbageLine(rng) : breakRecord(builder.build(moved, true), kind);
      writer.write(bad + CRLF, false);
    } else {
      const line = builder.build(moved, false) + CRLF;
      writer.write(line, builder.encoding === 'utf8');
    }
    records++;
    if (writer.full) await writer.flush();
  }
  await writer.flush();
  return { bytes: writer.bytes, records, malformed };
}
