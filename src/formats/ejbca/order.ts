/**
 * EJBCA's OCSP log "order" templates (ocsp.trx-log-order / ocsp.audit-log-order):
 * the known variables, the shipped defaults per version era, and a compiler that
 * splits a template into literal text and field names (see
 * shared/formats/ejbca-ocsp-logs.md §2, §3.1 and §5).
 */

/** Variables the TransactionLogger always has a value for (constructor defaults). */
export const TRX_VARIABLES: ReadonlySet<string> = new Set([
  'SESSION_ID',
  'LOG_ID',
  'STATUS',
  'CLIENT_IP',
  'REQ_NAME',
  'REQ_NAME_RAW',
  'SIGN_ISSUER_NAME_DN',
  'SIGN_SUBJECT_NAME',
  'SIGN_SERIAL_NO',
  'LOG_TIME',
  'REPLY_TIME',
  'PROCESS_TIME',
  'NUM_CERT_ID',
  'ISSUER_NAME_DN',
  'ISSUER_NAME_DN_RAW',
  'OCSP_CERT_ISSUER_NAME_DN',
  'OCSP_CERT_ISSUER_NAME_DN_RAW',
  'ISSUER_NAME_HASH',
  'ISSUER_KEY',
  'DIGEST_ALGOR',
  'SERIAL_NOHEX',
  'CERT_STATUS',
  'CERT_PROFILE_ID',
  'FORWARDED_FOR',
  'REV_REASON',
]);

/** Variables the AuditLogger fills, including the per-CertID ones (spec §5). */
export const AUDIT_VARIABLES: ReadonlySet<string> = new Set([
  'SESSION_ID',
  'LOG_ID',
  'LOG_TIME',
  'REPLY_TIME',
  'PROCESS_TIME',
  'OCSPREQUEST',
  'OCSPRESPONSE',
  'STATUS',
  'ISSUER_NAME_HASH',
  'ISSUER_KEY',
  'SERIAL_NOHEX',
]);

export type TrxOrderEra = '6.0-6.3' | '6.3.3-7.8.0' | 'sample-process-time' | '7.8.1+';
export type AuditOrderEra = 'properties' | 'sample-process-time' | '7.8+';

const TRX_HEAD =
  '${SESSION_ID};${LOG_ID};${STATUS};${REQ_NAME}"${CLIENT_IP}";"${SIGN_ISSUER_NAME_DN}";' +
  '"${SIGN_SUBJECT_NAME}";${SIGN_SERIAL_NO};"${LOG_TIME}";${REPLY_TIME};';
const TRX_MIDDLE = '${NUM_CERT_ID};0;0;0;0;0;0;0;"${ISSUER_NAME_DN}";${ISSUER_NAME_HASH};${ISSUER_KEY};';
const TRX_TAIL = '${DIGEST_ALGOR};${SERIAL_NOHEX};${CERT_STATUS}';
const TRX_PROFILE_XFF = ';${CERT_PROFILE_ID};${FORWARDED_FOR}';

/** Default trx orders as runtime strings (after .properties unescaping), spec §2.1–2.3. */
export const TRX_ORDER_DEFAULTS: Readonly<Record<TrxOrderEra, string>> = {
  '6.0-6.3': TRX_HEAD + TRX_MIDDLE + TRX_TAIL,
  '6.3.3-7.8.0': TRX_HEAD + TRX_MIDDLE + TRX_TAIL + TRX_PROFILE_XFF,
  'sample-process-time': TRX_HEAD + '${PROCESS_TIME};' + TRX_MIDDLE + TRX_TAIL + TRX_PROFILE_XFF,
  '7.8.1+': TRX_HEAD + TRX_MIDDLE + '"${OCSP_CERT_ISSUER_NAME_DN}";' + TRX_TAIL + TRX_PROFILE_XFF,
};

const AUDIT_PROPERTIES =
  'SESSION_ID:${SESSION_ID};LOG ID:${LOG_ID};"${LOG_TIME}";TIME TO PROCESS:${REPLY_TIME};\n' +
  'OCSP REQUEST:\n"${OCSPREQUEST}";\nOCSP RESPONSE:\n"${OCSPRESPONSE}";\nSTATUS:${STATUS}';

/** Default audit orders, spec §2.1/§2.2; '7.8+' has backslash-n, not LF. */
export const AUDIT_ORDER_DEFAULTS: Readonly<Record<AuditOrderEra, string>> = {
  properties: AUDIT_PROPERTIES,
  'sample-process-time':
    'SESSION_ID:${SESSION_ID};LOG ID:${LOG_ID};"${LOG_TIME}";REPLY TIME:${REPLY_TIME};\n' +
    'TIME TO PROCESS:${PROCESS_TIME};\nOCSP REQUEST:\n"${OCSPREQUEST}";\n' +
    'OCSP RESPONSE:\n"${OCSPRESPONSE}";\nSTATUS:${STATUS}',
  '7.8+': AUDIT_PROPERTIES.replaceAll('\n', '\\n'),
};

/** The default `ocsp.trx-log-pattern` / `ocsp.audit-log-pattern` (a Java regex). */
export const DEFAULT_ORDER_PATTERN = '\\$\\{(.+?)\\}';

export interface CompiledOrder {
  source: string;
  /** literals[0] precedes fields[0]; literals[i + 1] follows fields[i]. */
  literals: string[];
  fields: string[];
}

/** Copies a character class starting at `[`; returns the index after its `]`. */
function copyClass(src: string, from: number, pattern: string): [string, number] {
  let i = from + 1;
  if (src[i] === '^') i++;
  if (src[i] === ']') i++;
  for (; i < src.length && src[i] !== ']'; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '[' || src.startsWith('&&', i)) {
      throw new Error(`Unsupported Java character class syntax in log pattern "${pattern}"`);
    }
  }
  return [src.slice(from, i + 1), i + 1];
}

const QUANTIFIER_END = new Set(['*', '+', '?', '}']);

/**
 * Translates the Java regex constructs a user might plausibly write into JS
 * syntax: `\Q…\E` quoting, `\A`/`\z`/`\Z`, possessive quantifiers, atomic groups
 * and leading inline flags. Everything else is shared syntax.
 */
function javaRegexToJs(pattern: string): RegExp {
  let src = pattern;
  let flags = 'g';
  const inline = /^\(\?([ims]+)\)/.exec(src);
  if (inline) {
    flags += inline[1]!;
    src = src.slice(inline[0].length);
  }
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      if (e === 'Q') {
        const close = src.indexOf('\\E', i + 2);
        const quoted = src.slice(i + 2, close < 0 ? src.length : close);
        out += quoted.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = close < 0 ? src.length : close + 2;
        continue;
      }
      out += e === 'A' ? '^' : e === 'z' || e === 'Z' ? '$' : c + e;
      i += 2;
    } else if (c === '[') {
      const [cls, next] = copyClass(src, i, pattern);
      out += cls;
      i = next;
    } else if (c === '+' && i > 0 && QUANTIFIER_END.has(src[i - 1]!) && src[i - 2] !== '\\') {
      i++; // possessive quantifier: JS has none, greedy matches the same templates
    } else if (src.startsWith('(?>', i)) {
      out += '(?:';
      i += 3;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return new RegExp(out, flags);
  } catch (err) {
    throw new Error(`Unsupported log pattern "${pattern}": ${(err as Error).message}`);
  }
}

/** Number of capturing groups in a compiled regex. */
function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`).exec('')!.length - 1;
}

/**
 * Splits an order template into literals and known fields, as PatternLogger
 * interpolates it: a match whose group 1 is a known variable becomes a field,
 * anything else (unknown `${NAME}`) stays in the literal text.
 * @throws Error when the pattern has no capture group, or two fields touch.
 */
export function compileOrder(
  order: string,
  known: ReadonlySet<string>,
  pattern: string = DEFAULT_ORDER_PATTERN,
): CompiledOrder {
  const re = javaRegexToJs(pattern);
  if (groupCount(re) < 1) {
    throw new Error(`Log pattern "${pattern}" has no capture group for the variable name`);
  }
  const literals: string[] = [];
  const fields: string[] = [];
  let literal = '';
  let pos = 0;
  for (let m = re.exec(order); m !== null; m = re.exec(order)) {
    // Like Java's Matcher.find, step past empty matches.
    if (m[0] === '') re.lastIndex++;
    const name = m[1];
    if (name === undefined || !known.has(name)) continue;
    literal += order.slice(pos, m.index);
    pos = m.index + m[0].length;
    const previous = fields[fields.length - 1];
    if (previous !== undefined && literal === '') {
      throw new Error(
        `Ambiguous log order: \${${previous}} and \${${name}} are adjacent with no text between them`,
      );
    }
    literals.push(literal);
    fields.push(name);
    literal = '';
  }
  literals.push(order.slice(pos));
  return { source: order, literals, fields };
}

export interface EjbcaLogSettings {
  trxOrder: string;
  trxPattern: string;
  auditOrder: string;
  auditPattern: string;
  logDate: string;
  logTimeZone: string;
}

/** Java's String.trim(): every char <= U+0020 at either end. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Backward compatibility in getTransactionLogOrder/getAuditLogOrder (EJBCA 3.9+). */
function unescapeQuotes(order: string): string {
  return order.replaceAll('\\"', '"');
}

/**
 * The logging settings found in an ocsp.properties map. Values are trimmed
 * because EJBCA reads the file through commons-configuration, which trims them.
 * Keys that are absent are left out, so callers can layer them over defaults.
 */
export function settingsFromProperties(props: Map<string, string>): Partial<EjbcaLogSettings> {
  const get = (key: string): string | undefined => {
    const v = props.get(key);
    return v === undefined ? undefined : javaTrim(v);
  };
  const out: Partial<EjbcaLogSettings> = {};
  const trxOrder = get('ocsp.trx-log-order');
  if (trxOrder !== undefined) out.trxOrder = unescapeQuotes(trxOrder);
  const trxPattern = get('ocsp.trx-log-pattern');
  if (trxPattern !== undefined) out.trxPattern = trxPattern;
  const auditOrder = get('ocsp.audit-log-order');
  if (auditOrder !== undefined) out.auditOrder = unescapeQuotes(auditOrder);
  const auditPattern = get('ocsp.audit-log-pattern');
  if (auditPattern !== undefined) out.auditPattern = auditPattern;
  // The old docs name ocsp.trx-log-log-date, which EJBCA never reads; honour it
  // only when the real key is missing, since the user clearly meant it.
  const logDate = get('ocsp.log-date') ?? get('ocsp.trx-log-log-date');
  if (logDate !== undefined) out.logDate = logDate;
  const zone = get('ocsp.log-timezone');
  if (zone !== undefined) out.logTimeZone = zone;
  return out;
}
