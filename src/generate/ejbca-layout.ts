/**
 * The log4j / JBoss / WildFly wrapping around EJBCA's trx messages (spec §6), plus the
 * lines other loggers write into the same file when trx logging shares server.log.
 * Prefix times are JVM local time, a fixed +01:00 here, taken at flush.
 */
import { weightedTable, type Rng } from './random.js';
import type { TrxEra } from './ejbca-order.js';

export type TrxLayout = 'bare' | 'docs' | 'jboss7' | 'wildfly';

export const TRX_CATEGORY = 'org.cesecore.certificates.ocsp.logging.TransactionLogger';
const LOCAL_OFFSET_MS = 3_600_000;
const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Formats `%d` stamps: `yyyy-MM-dd HH:mm:ss,SSS` (log4j ISO8601 / WildFly) or `HH:mm:ss,SSS`. */
export class LocalClock {
  private day = NaN;
  private date = '';

  stamp(epochMs: number, withDate: boolean): string {
    const local = epochMs + LOCAL_OFFSET_MS;
    const day = Math.floor(local / DAY_MS);
    const ms = local - day * DAY_MS;
    const time = `${PAD2[Math.floor(ms / 3_600_000)]}:${PAD2[Math.floor(ms / 60_000) % 60]}:` +
      `${PAD2[Math.floor(ms / 1000) % 60]},${PAD3[ms % 1000]}`;
    if (!withDate) return time;
    if (day !== this.day) {
      this.day = day;
      this.date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    }
    return `${this.date} ${time}`;
  }
}

/** Worker thread names as the container prints `%t`. */
export function threadName(layout: TrxLayout, rng: Rng): string {
  const n = 1 + rng.int(rng.chance(0.7) ? 8 : 64);
  return layout === 'jboss7' ? `http-/0.0.0.0:8080-${n}` : `default task-${n}`;
}

/** `%-5p [%c] ` plus `(%t) ` for the JBoss 7 / WildFly formatters; '' for the bare layout. */
export function linePrefix(layout: TrxLayout, clock: LocalClock, epochMs: number, level: string,
  category: string, thread: string): string {
  switch (layout) {
    case 'bare': return '';
    case 'docs': return `${clock.stamp(epochMs, true)} ${level.padEnd(5)} [${category}] `;
    case 'jboss7': return `${clock.stamp(epochMs, false)} ${level.padEnd(5)} [${category}] (${thread}) `;
    case 'wildfly': return `${clock.stamp(epochMs, true)} ${level.padEnd(5)} [${category}] (${thread}) `;
  }
}

/** Facts about a request that other loggers' messages may mention. */
export interface OtherContext {
  readonly serial: string;
  readonly issuerDn: string;
  readonly statusWord: string;
}

interface OtherMessage {
  readonly level: string;
  readonly category: (era: TrxEra) => string;
  readonly text: (ctx: OtherContext) => string;
}

const SERVLET = (): string => 'org.ejbca.ui.web.protocol.OCSPServlet';
const GENERATOR = (era: TrxEra): string => (era === '6.x'
  ? 'org.cesecore.certificates.ocsp.OcspResponseGeneratorSessionBean'
  : 'org.ejbca.core.ejb.ocsp.OcspResponseGeneratorSessionBean');

// Representative server.log noise. Only the "Error processing OCSP request. Message: ..."
// wording is from EJBCA's resources (spec §3.5: unlogged malformed requests show up only
// there); the others are stand-ins. The status line prints the serial with
// BigInteger.toString(16), so without the `00` padding of SERIAL_NOHEX.
const statusLine: OtherMessage = { level: 'INFO', category: GENERATOR, text: (c) =>
  `Adding status information (${c.statusWord}) for certificate with serial '${c.serial.replace(/^0+(?=.)/, '')}' from issuer '${c.issuerDn}'` };
const noEntities: OtherMessage = { level: 'INFO', category: SERVLET, text: () =>
  'Error processing OCSP request. Message: The OCSP request does not contain any simpleRequest entities.' };
const badDer: OtherMessage = { level: 'INFO', category: SERVLET, text: () =>
  'Error processing OCSP request. Message: corrupted stream - out of bounds length found: 48 >= 23' };
const unidOff: OtherMessage = { level: 'WARN', category: () => 'org.ejbca.core.protocol.ocsp.extension.unid.OCSPUnidExtension',
  text: () => 'Unid extension is not configured, ignoring request extension.' };
// Stack traces give unprefixed continuation lines that belong to the other logger, not to trx.
const groupReference: OtherMessage = { level: 'ERROR', category: SERVLET, text: () => [
  'Error processing OCSP request.',
  'java.lang.IllegalArgumentException: Illegal group reference',
  '\tat java.base/java.util.regex.Matcher.appendExpandedReplacement(Matcher.java:1068)',
  '\tat java.base/java.util.regex.Matcher.appendReplacement(Matcher.java:998)',
  '\tat org.cesecore.certificates.ocsp.logging.PatternLogger.interpolate(PatternLogger.java:143)',
].join('\n') };
const OTHER_MESSAGES = weightedTable<OtherMessage>([[10, statusLine], [4, noEntities], [2, badDer], [2, unidOff],
  [1, groupReference]]);

/** One event of another logger (possibly with a stack trace), without its final newline. */
export function otherLoggerEvent(rng: Rng, era: TrxEra, layout: TrxLayout, clock: LocalClock,
  epochMs: number, ctx: OtherContext): string {
  const message = OTHER_MESSAGES[rng.int(OTHER_MESSAGES.length)]!;
  return linePrefix(layout, clock, epochMs, message.level, message.category(era), threadName(layout, rng)) +
    message.text(ctx);
}

/** The container's "started" line after a responder restart. */
export function startupEvent(layout: TrxLayout, clock: LocalClock, epochMs: number, bootMs: number): string {
  switch (layout) {
    case 'docs':
      return linePrefix(layout, clock, epochMs, 'INFO', 'org.jboss.bootstrap.microcontainer.ServerImpl', '') +
        `JBoss (Microcontainer) [5.1.0.GA (build: SVNTag=JBoss_5_1_0_GA date=200905221053)] Started in ${Math.floor(bootMs / 1000)}s:${bootMs % 1000}ms`;
    case 'jboss7':
      return linePrefix(layout, clock, epochMs, 'INFO', 'org.jboss.as', 'Controller Boot Thread') +
        `JBAS015874: JBoss EAP 6.4.0.GA (AS 7.5.0.Final-redhat-21) started in ${bootMs}ms - Started 2411 of 2520 services (188 services are lazy, passive or on-demand)`;
    default:
      return linePrefix(layout, clock, epochMs, 'INFO', 'org.jboss.as', 'Controller Boot Thread') +
        `WFLYSRV0025: WildFly Full 26.1.3.Final (WildFly Core 18.1.2.Final) started in ${bootMs}ms - Started 1134 of 1345 services (430 services are lazy, passive or on-demand)`;
  }
}
