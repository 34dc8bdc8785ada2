/**
 * A reader for `.properties` files (EJBCA's `ocsp.properties`) with the rules of
 * java.util.Properties.load: the order strings users copy from the sample file are
 * full of escapes (`\\$\\{`, `\"`, `\n`) and must decode exactly as Java decodes them.
 */

/** Whitespace as Properties.load sees it: space, tab, form feed. */
function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

function skipBlanks(s: string, from: number): number {
  let i = from;
  while (i < s.length && isBlank(s[i])) i++;
  return i;
}

/** Number of backslashes ending `s`; an odd count means the line continues. */
function trailingBackslashes(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n;
}

/**
 * Joins natural lines into logical lines: drops blank and comment lines, skips
 * leading whitespace, and follows continuations (odd trailing backslashes).
 * A comment line never continues, as in Java.
 */
function logicalLines(text: string): string[] {
  const natural = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  let i = 0;
  while (i < natural.length) {
    const first = natural[i++]!;
    const start = skipBlanks(first, 0);
    if (start === first.length) continue;
    const c = first[start];
    if (c === '#' || c === '!') continue;
    let line = first.slice(start);
    while (trailingBackslashes(line) % 2 === 1) {
      line = line.slice(0, -1);
      // At end of input Java simply drops the dangling backslash.
      if (i >= natural.length) break;
      const next = natural[i++]!;
      const rest = next.slice(skipBlanks(next, 0));
      // An empty continuation line ends the logical line.
      if (rest === '') break;
      line += rest;
    }
    out.push(line);
  }
  return out;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** Decodes `\t \n \r \f \uXXXX`; any other `\x` is `x` (Properties.loadConvert). */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i++]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[i++];
    if (e === undefined) break;
    if (e === 'u') {
      const hex = s.slice(i, i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new Error(`Malformed \\uxxxx encoding in properties text: "\\u${hex}"`);
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[e] ?? e;
    }
  }
  return out;
}

/** Index where the key ends: the first unescaped `=`, `:` or whitespace. */
function keyEnd(line: string): number {
  let escaped = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (!escaped && (c === '=' || c === ':' || isBlank(c))) return i;
    escaped = c === '\\' ? !escaped : false;
  }
  return line.length;
}

/** Index where the value starts: after blanks, at most one `=`/`:`, then blanks. */
function valueStart(line: string, end: number): number {
  let i = end;
  let hasSeparator = false;
  if (line[i] === '=' || line[i] === ':') {
    hasSeparator = true;
    i++;
  }
  i = skipBlanks(line, i);
  if (!hasSeparator && (line[i] === '=' || line[i] === ':')) {
    i = skipBlanks(line, i + 1);
  }
  return i;
}

/**
 * Parses properties text the way java.util.Properties.load does.
 * Later duplicates of a key replace earlier ones.
 * @throws Error on a malformed `\uXXXX` escape, as Java throws.
 */
export function parseJavaProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const end = keyEnd(line);
    const key = unescape(line.slice(0, end));
    const value = unescape(line.slice(valueStart(line, end)));
    props.set(key, value);
  }
  return props;
}
