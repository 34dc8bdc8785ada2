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
