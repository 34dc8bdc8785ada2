import { compileJavaDateFormat } from './log-date.js';

/** How one transaction-log file was written; plain data, sent to the scan workers. */
export interface TrxSettings {
  /** ocsp.trx-log-order as EJBCA uses it (escapes already resolved). */
  order: string;
  /** ocsp.trx-log-pattern (a Java regex). */
  pattern: string;
  /** The log4j ConversionPattern wrapping each message. */
  layout: string;
  /** ocsp.log-date; undefined: each era's default is tried. */
  logDate?: string;
  /** ocsp.log-timezone (properties era); GMT by default, as EJBCA. */
  logTimeZone?: string;
}

/** LOG_TIME formats of the eras: properties era, then the 7.8+ database default. */
export const DEFAULT_LOG_DATES = ['yyyy-MM-dd:HH:mm:ss:z', 'yyyy-MM-dd HH:mm:ss.SSSZ'];

/** LOG_TIME text → epoch ms (NaN when it fits none of the formats). */
export function logTimeParser(settings: TrxSettings): (text: string) => number {
  const zone = settings.logTimeZone ?? 'GMT';
  const parsers = (settings.logDate ? [settings.logDate] : DEFAULT_LOG_DATES).map((p) => compileJavaDateFormat(p, zone));
  return (text) => {
    for (const parse of parsers) {
      const ms = parse(text);
      if (!Number.isNaN(ms)) return ms;
    }
    return NaN;
  };
}

/**
 * Character positions of the seconds and milliseconds in LOG_TIME values written with `pattern`,
 * when everything before them has a fixed width; [] otherwise. They never change the hour (zone
 * offsets are whole minutes), so the scanners may read them as '0'.
 */
export function secondsMask(pattern: string | undefined): number[] {
  if (pattern === undefined) return [];
  const mask: number[] = [];
  let at = 0;
  for (const part of pattern.match(/'[^']*'|([a-zA-Z])\1*|[^a-zA-Z']+/g) ?? []) {
    if (part.startsWith("'")) {
      at += part === "''" ? 1 : part.length - 2;
    } else if (!/^[a-zA-Z]/.test(part)) {
      at += part.length;
    } else if (/^(s+|S+)$/.test(part) && part.length >= 2) {
      for (let i = 0; i < part.length; i++) mask.push(at + i);
      at += part.length;
    } else if (/^(yyyy|MM|dd|HH|hh|mm|kk|KK)$/.test(part)) {
      at += part.length;
    } else {
      break; // a variable-width part: positions after it are unknown
    }
  }
  return mask.filter((m) => m < 64);
}
