import type { LogFormat } from '../scan/task.js';

/** How many leading bytes (decompressed) are read to recognise a file. */
export const SNIFF_BYTES = 64 * 1024;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

const ELFF_DIRECTIVE = /^#\s*(Software|Version|Date|Start-Date|Fields|Remark):/;
const ELFF_DATA = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /;
/** A syslog (RFC 3164) header, as ProxySG logs streamed over syslog carry before each line: "<134>Aug  8 12:30:46 10.8.24.10". */
const RFC3164 = String.raw`(?:<\d{1,3}>)?[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} \S+`;
const SYSLOG_HEADER = new RegExp(`^${RFC3164} +`);
/** A syslog tag after the header ("ProxySG: "), which some senders add. */
const SYSLOG_TAG = /^[^\s#:]+: +/;
/** An RFC 5424 header without structured data: "<134>1 2024-03-01T00:00:01Z host app procid msgid -". */
const SYSLOG_5424 = /^<\d{1,3}>1 +\S+ +\S+ +\S+ +\S+ +\S+ +- +/;

/** A line's text past its first `tokens` runs of non-spaces and the spaces after each, as the ELFF kernels skip them. */
export function afterTokens(line: string, tokens: number): string {
  // As the kernels read it: a count past 64 is none.
  if (tokens <= 0 || tokens > 64) return line;
  const m = new RegExp(`^ *(?:[^ ]+ +){0,${tokens - 1}}[^ ]* *`).exec(line);
  return line.slice(m ? m[0].length : line.length);
}

/**
 * How many tokens of syslog header come before the ELFF text of each line (4, or 5 with a tag;
 * 7 for RFC 5424); 0 when the lines are not wrapped. A file is wrapped when its first line is,
 * and every other line of the head carries a syslog header too: one relayed line in a plain log
 * does not make it one.
 */
export function syslogTokens(head: Uint8Array): number {
  const lines = headLines(head).slice(0, -1).filter((line) => line.trim() !== '');
  const tokens = lines.length > 0 ? headerTokens(lines[0]!) : 0;
  if (tokens === 0) return 0;
  return lines.every((line) => CARRIES_HEADER.test(line)) ? tokens : 0;
}

/** A line that starts with a syslog header, whatever follows (an empty message included). */
const CARRIES_HEADER = new RegExp(`^(?:<\\d{1,3}>1 |${RFC3164}(?: |$))`);

/** The tokens of a line's syslog header when its ELFF text follows, else 0. */
function headerTokens(line: string): number {
  const rfc5424 = SYSLOG_5424.exec(line);
  if (rfc5424 && isElffLine(line.slice(rfc5424[0].length))) return 7;
  const header = SYSLOG_HEADER.exec(line);
  if (!header) return 0;
  const rest = line.slice(header[0].length);
  if (isElffLine(rest)) return 4;
  const tag = SYSLOG_TAG.exec(rest);
  return tag && isElffLine(rest.slice(tag[0].length)) ? 5 : 0;
}

function isElffLine(line: string): boolean {
  return ELFF_DIRECTIVE.test(line) || ELFF_DATA.test(line);
}

function headLines(head: Uint8Array): string[] {
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1').split('\n').slice(0, 200);
}

/**
 * Recognises ELFF from the first bytes of the (decompressed) content. A directive settles it;
 * data lines alone (`date time ...`) only with `dataLines`, as a last resort once the EJBCA
 * formats have been ruled out: a log4j layout with `%d{yyyy-MM-dd HH:mm:ss}` starts alike.
 */
export function sniffFormat(head: Uint8Array, dataLines = true): LogFormat | undefined {
  const lines = headLines(head);
  for (const line of lines) {
    if (ELFF_DIRECTIVE.test(line) || (dataLines && ELFF_DATA.test(line))) return 'proxysg';
  }
  // Wrapped in syslog headers: a directive after one settles it, as a bare directive does.
  const tokens = syslogTokens(head);
  if (tokens > 0 && (dataLines || lines.some((line) => ELFF_DIRECTIVE.test(afterTokens(line, tokens))))) return 'proxysg';
  return undefined;
}

/** A file's first `#Fields` directive and the offset of its line. */
export interface HeadFields {
  line: string;
  start: number;
}

/**
 * The first `#Fields` directive in the head (past each line's syslog header, when `tokens` says
 * there is one), used as the schema guess for ranges past the first.
 */
export function firstFieldsDirective(head: Uint8Array, tokens = 0): HeadFields | undefined {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  const lines = text.split('\n');
  lines.pop(); // the last piece may be cut short
  let start = 0; // latin1: one character a byte
  for (const raw of lines) {
    const line = afterTokens(raw.endsWith('\r') ? raw.slice(0, -1) : raw, tokens);
    if (/^#\s*Fields:/.test(line)) return { line, start };
    start += raw.length + 1;
  }
  return undefined;
}
