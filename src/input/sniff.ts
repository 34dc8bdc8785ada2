import type { LogFormat } from '../scan/task.js';

/** How many leading bytes (decompressed) are read to recognise a file. */
export const SNIFF_BYTES = 64 * 1024;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

const ELFF_DIRECTIVE = /^#\s*(Software|Version|Date|Start-Date|Fields|Remark):/;
const ELFF_DATA = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /;

/**
 * Recognises ELFF from the first bytes of the (decompressed) content. A directive settles it;
 * data lines alone (`date time ...`) only with `dataLines`, as a last resort once the EJBCA
 * formats have been ruled out: a log4j layout with `%d{yyyy-MM-dd HH:mm:ss}` starts alike.
 */
export function sniffFormat(head: Uint8Array, dataLines = true): LogFormat | undefined {
  const lines = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1').split('\n').slice(0, 200);
  for (const line of lines) {
    if (ELFF_DIRECTIVE.test(line) || (dataLines && ELFF_DATA.test(line))) return 'proxysg';
  }
  return undefined;
}

/** A file's first `#Fields` directive and the offset of its line. */
export interface HeadFields {
  line: string;
  start: number;
}

/** The first `#Fields` directive in the head, used as the schema guess for ranges past the first. */
export function firstFieldsDirective(head: Uint8Array): HeadFields | undefined {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  const lines = text.split('\n');
  lines.pop(); // the last piece may be cut short
  let start = 0; // latin1: one character a byte
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (/^#\s*Fields:/.test(line)) return { line, start };
    start += raw.length + 1;
  }
  return undefined;
}
