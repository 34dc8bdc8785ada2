/**
 * EJBCA's PatternLogger mechanics for transaction-log rows: the era's default
 * ocsp.trx-log-order, `${NAME}` substitution with java.util.regex semantics, and the
 * REPLY_TIME / PROCESS_TIME markers that flush() replaces in the finished text.
 */

export type TrxEra = '6.x' | '7.0-7.7' | '7.8+';

/** Variables the TransactionLogger puts into its value map; the index is the slot in a row's values. */
export const TRX_VARS = [
  'SESSION_ID', 'LOG_ID', 'STATUS', 'REQ_NAME', 'REQ_NAME_RAW', 'CLIENT_IP', 'SIGN_ISSUER_NAME_DN',
  'SIGN_SUBJECT_NAME', 'SIGN_SERIAL_NO', 'LOG_TIME', 'REPLY_TIME', 'PROCESS_TIME', 'NUM_CERT_ID',
  'ISSUER_NAME_DN', 'ISSUER_NAME_DN_RAW', 'OCSP_CERT_ISSUER_NAME_DN', 'OCSP_CERT_ISSUER_NAME_DN_RAW',
  'ISSUER_NAME_HASH', 'ISSUER_KEY', 'DIGEST_ALGOR', 'SERIAL_NOHEX', 'CERT_STATUS', 'CERT_PROFILE_ID',
  'FORWARDED_FOR', 'REV_REASON',
] as const;
export type TrxVar = (typeof TRX_VARS)[number];

/** Slot of each variable, e.g. `V.STATUS`. */
export const V = Object.fromEntries(TRX_VARS.map((name, i) => [name, i])) as { readonly [K in TrxVar]: number };

/** OCSP_CERT_ISSUER_NAME_DN came with 7.8.1 (ECA-9256); older eras keep `${...}` literally. */
function knownIn(era: TrxEra, name: TrxVar): boolean {
  return era === '7.8+' || !name.startsWith('OCSP_CERT_ISSUER_NAME_DN');
}

/**
 * The TransactionLogger constructor defaults (spec §5). LOG_ID, LOG_TIME and REPLY_TIME are
 * always overwritten per request; PROCESS_TIME holds its marker because getOcspResponse sets it.
 */
export function defaultValues(): string[] {
  const values = TRX_VARS.map(() => '0');
  values[V.PROCESS_TIME] = '-1';
  values[V.REPLY_TIME] = 'REPLY_TIME';
  values[V.FORWARDED_FOR] = '';
  values[V.REV_REASON] = '-1';
  return values;
}

const HEAD = '${SESSION_ID};${LOG_ID};${STATUS};${REQ_NAME}"${CLIENT_IP}";"${SIGN_ISSUER_NAME_DN}";' +
  '"${SIGN_SUBJECT_NAME}";${SIGN_SERIAL_NO};"${LOG_TIME}";${REPLY_TIME};';
const MIDDLE = '${NUM_CERT_ID};0;0;0;0;0;0;0;"${ISSUER_NAME_DN}";${ISSUER_NAME_HASH};${ISSUER_KEY};';
const TAIL = '${DIGEST_ALGOR};${SERIAL_NOHEX};${CERT_STATUS};${CERT_PROFILE_ID};${FORWARDED_FOR}';

/**
 * Runtime default order of an era (spec §2.1-2.3): 6.x and 7.0-7.7 share the Sept-2015
 * properties default; 7.8+ inserts OCSP_CERT_ISSUER_NAME_DN. `processTime` gives the
 * ocsp.properties.sample variant with `${PROCESS_TIME};` after `${REPLY_TIME};`.
 */
export function defaultTrxOrder(era: TrxEra, processTime = false): string {
  const ocspIssuer = era === '7.8+' ? '"${OCSP_CERT_ISSUER_NAME_DN}";' : '';
  return HEAD + (processTime ? '${PROCESS_TIME};' : '') + MIDDLE + ocspIssuer + TAIL;
}

/**
 * What Matcher.appendReplacement makes of a value: a backslash escapes the next character
 * and disappears (so `O=Acme\, Inc.` logs as `O=Acme, Inc.`); a `$` would throw in Java,
 * which loses the row, so values here must not contain one.
 */
export function asReplacement(value: string): string {
  if (value.includes('$')) throw new RangeError(`value would throw "Illegal group reference": ${value}`);
  return value.replace(/\\(.)/gs, '$1');
}

/** Java's `.` excludes these line terminators too; the order pattern is `\$\{(.+?)\}`. */
const VARIABLE = /\$\{([^\n\r\u0085\u2028\u2029]+?)\}/g;

/** An order split into literal text and value slots, compiled once per file. */
export class CompiledOrder {
  /** Literal text (string) or a value slot (number), in order. */
  readonly segments: ReadonlyArray<string | number>;
  private readonly present: boolean[];
  /** Segment index of the last non-empty literal, or -1: cutting before it truncates a row. */
  readonly lastLiteral: number;
  /** Every character used by the order's literal text, for garbage that contains none. */
  readonly literalChars: ReadonlySet<string>;

  constructor(order: string, era: TrxEra) {
    // Properties-era getters also turn a leftover \" into " (OcspConfiguration, "EJBCA 3.9" comment).
    const text = era === '7.8+' ? order : order.replaceAll('\\"', '"');
    const segments: Array<string | number> = [];
    const present = TRX_VARS.map(() => false);
    const pushLiteral = (s: string): void => {
      if (s === '') return;
      const last = segments[segments.length - 1];
      if (typeof last === 'string') segments[segments.length - 1] = last + s;
      else segments.push(s);
    };
    let at = 0;
    for (const match of text.matchAll(VARIABLE)) {
      pushLiteral(text.slice(at, match.index));
      const slot = TRX_VARS.indexOf(match[1] as TrxVar);
      if (slot >= 0 && knownIn(era, TRX_VARS[slot]!)) {
        segments.push(slot);
        present[slot] = true;
      } else {
        pushLiteral(match[0]); // unknown names stay literally in the log
      }
      at = match.index + match[0].length;
    }
    pushLiteral(text.slice(at));
    this.segments = segments;
    this.present = present;
    this.lastLiteral = segments.findLastIndex((s) => typeof s === 'string');
    this.literalChars = new Set(segments.filter((s): s is string => typeof s === 'string').join(''));
  }

  has(slot: number): boolean {
    return this.present[slot] === true;
  }

  /** One row, like PatternLogger.interpolate() (values are already in replacement form). */
  render(values: readonly string[]): string {
    let row = '';
    for (const s of this.segments) row += typeof s === 'string' ? s : values[s]!;
    return row;
  }

  /** The row up to (not including) its last literal; '' when the order has no literal. */
  renderHead(values: readonly string[]): string {
    let row = '';
    for (let i = 0; i < this.lastLiteral; i++) {
      const s = this.segments[i]!;
      row += typeof s === 'string' ? s : values[s]!;
    }
    return row;
  }
}

/**
 * flush(): every literal REPLY_TIME in the buffered text becomes the elapsed ms, then every
 * PROCESS_TIME (its marker is always set by the request path simulated here).
 */
export function applyFlushMarkers(text: string, replyTime: string, processTime: string): string {
  let out = text.includes('REPLY_TIME') ? text.replaceAll('REPLY_TIME', replyTime) : text;
  if (out.includes('PROCESS_TIME')) out = out.replaceAll('PROCESS_TIME', processTime);
  return out;
}
