/**
 * log4j 1.x / JBoss-logging ConversionPatterns compiled into a matcher for the
 * prefix a logger writes before each message, so EJBCA's OCSP trx/audit
 * messages can be found inside server.log-style files (spec §6).
 */

export interface CompiledLayout {
  pattern: string;
  /** Anchored at the line start; matches everything before the message. */
  prefix: RegExp;
  /** Group of `prefix` holding `%c`, when the layout logs the category. */
  categoryGroup: number | undefined;
  hasPrefix: boolean;
  /** Literal text the layout writes after the message on its last line (e.g. ' ' in `%m %n`). */
  suffix: string;
}

export type KnownLayout = 'bare' | 'docs' | 'jboss7' | 'wildfly';

export const KNOWN_LAYOUTS: Record<KnownLayout, string> = {
  bare: '%m%n',
  docs: '%d %-5p [%c] %m%n',
  jboss7: '%d{HH:mm:ss,SSS} %-5p [%c] (%t) %s%E%n',
  wildfly: '%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n',
};

interface Conversion {
  kind: 'conversion';
  char: string;
  leftAlign: boolean;
  minWidth: number;
  maxWidth: number | undefined;
  option: string | undefined;
}

type Element = { kind: 'literal'; text: string } | Conversion;

/** log4j's named %d formats. */
const NAMED_DATES: Readonly<Record<string, string>> = {
  ISO8601: 'yyyy-MM-dd HH:mm:ss,SSS',
  ABSOLUTE: 'HH:mm:ss,SSS',
  DATE: 'dd MMM yyyy HH:mm:ss,SSS',
};

/** log4j and java.util.logging level names, as JBoss prints them. */
const LEVELS = [
  'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL',
  'SEVERE', 'WARNING', 'CONFIG', 'FINE', 'FINER', 'FINEST', 'ALL', 'OFF',
];

/** Conversions whose text is free-form: matched lazily up to what follows. */
const FREE_TEXT: Readonly<Record<string, string>> = {
  c: '\\S+?', C: '\\S+?', t: '.*?', x: '.*?', X: '.*?', F: '.*?', M: '.*?', l: '.*?',
  r: '\\d+', L: '(?:\\d+|\\?)', h: '\\S+?', H: '\\S+?', N: '\\S*?', k: '\\S*?', i: '\\d+',
};

const MESSAGE = new Set(['m', 's']);
const AFTER_MESSAGE = new Set(['n', 'e', 'E']);

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Reads one `%…` conversion at `i` (just after the `%`); returns it and the next index. */
function readConversion(pattern: string, start: number): [Conversion, number] {
  const m = /^(-?)(\d*)(?:\.(\d+))?([a-zA-Z])(?:\{([^}]*)\})?/.exec(pattern.slice(start));
  if (!m) throw new Error(`Bad conversion at position ${start - 1} in layout "${pattern}"`);
  const conversion: Conversion = {
    kind: 'conversion',
    char: m[4]!,
    leftAlign: m[1] === '-',
    minWidth: m[2] ? Number(m[2]) : 0,
    maxWidth: m[3] ? Number(m[3]) : undefined,
    option: m[5],
  };
  return [conversion, start + m[0].length];
}

function parseLayout(pattern: string): Element[] {
  const elements: Element[] = [];
  let literal = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c !== '%') {
      literal += c;
      i++;
    } else if (pattern[i + 1] === '%') {
      literal += '%';
      i += 2;
    } else {
      if (literal) elements.push({ kind: 'literal', text: literal });
      literal = '';
      const [conversion, next] = readConversion(pattern, i + 1);
      elements.push(conversion);
      i = next;
    }
  }
  if (literal) elements.push({ kind: 'literal', text: literal });
  return elements;
}

/** A loose regex for text printed with a SimpleDateFormat pattern. */
function dateRegex(format: string): string {
  let out = '';
  const tokens = format.match(/'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+/g) ?? [];
  for (const token of tokens) {
    const letter = token[0]!;
    const n = token.length;
    if (letter === "'") out += escapeRegex(n === 2 ? "'" : token.slice(1, -1).replace(/''/g, "'"));
    else if (!/[A-Za-z]/.test(letter)) out += escapeRegex(token);
    else if (letter === 'y' && n === 2) out += '\\d{2}';
    else if ('ydHhkKmsSDFwWu'.includes(letter) || (letter === 'M' && n < 3)) out += `\\d{${n},}`;
    else if (letter === 'Z') out += '[+-]\\d{4}';
    else if (letter === 'X') out += '(?:Z|[+-]\\d{2}(?::?\\d{2})?)';
    else if (letter === 'z') out += n >= 4 ? '.+?' : '[A-Za-z0-9:+-]+';
    else out += '[^\\s\\d]+';
  }
  return out;
}

/** Applies log4j padding/truncation to one possible rendering of a conversion. */
function pad(text: string, c: Conversion): string[] {
  const cut =
    c.maxWidth !== undefined && text.length > c.maxWidth
      ? [text.slice(text.length - c.maxWidth), text.slice(0, c.maxWidth)]
      : [text];
  const fill = (s: string): string => ' '.repeat(Math.max(0, c.minWidth - s.length));
  return cut.map((s) => (c.leftAlign ? s + fill(s) : fill(s) + s));
}

function levelRegex(c: Conversion): string {
  const options = [...new Set(LEVELS.flatMap((l) => pad(l, c)))].sort((a, b) => b.length - a.length);
  return `(?:${options.map(escapeRegex).join('|')})`;
}

/** Regex for free-form content, with padding spaces on the padded side. */
function withPadding(core: string, c: Conversion): string {
  if (c.minWidth === 0) return core;
  return c.leftAlign ? `${core} *` : ` *${core}`;
}

function conversionRegex(c: Conversion, captureCategory: boolean, pattern: string): string {
  if (c.char === 'd') {
    const format = c.option === undefined ? NAMED_DATES['ISO8601']! : NAMED_DATES[c.option] ?? c.option;
    return withPadding(`(?:${dateRegex(format)})`, c);
  }
  if (c.char === 'p') return levelRegex(c);
  const core = FREE_TEXT[c.char];
  if (core === undefined) {
    throw new Error(`Unsupported conversion %${c.char} before the message in layout "${pattern}"`);
  }
  return withPadding(captureCategory ? `(${core})` : `(?:${core})`, c);
}

/** Literal text after the message, up to the line end; other conversions there are unsupported. */
function suffixOf(rest: readonly Element[], pattern: string): string {
  let suffix = '';
  for (const e of rest) {
    if (e.kind === 'literal') suffix += e.text;
    else if (e.char === 'n') break;
    else if (!AFTER_MESSAGE.has(e.char)) {
      throw new Error(`Unsupported conversion %${e.char} after the message in layout "${pattern}"`);
    }
  }
  return suffix;
}

/**
 * Compiles a ConversionPattern. Only the part before `%m`/`%s` becomes a regex;
 * what follows (`%n`, `%e`, literal text) only describes how a line ends.
 * @throws Error for layouts without a message, a line break before it, or
 * conversions this matcher does not know.
 */
export function compileLayout(pattern: string): CompiledLayout {
  const elements = parseLayout(pattern);
  const at = elements.findIndex((e) => e.kind === 'conversion' && MESSAGE.has(e.char));
  if (at < 0) throw new Error(`Layout "${pattern}" has no %m or %s message conversion`);
  let source = '^';
  let categoryGroup: number | undefined;
  for (const e of elements.slice(0, at)) {
    if (e.kind === 'literal') {
      source += escapeRegex(e.text);
      continue;
    }
    if (AFTER_MESSAGE.has(e.char)) {
      throw new Error(`Layout "${pattern}": %${e.char} before the message is not supported`);
    }
    const capture = e.char === 'c' && categoryGroup === undefined;
    if (capture) categoryGroup = 1;
    source += conversionRegex(e, capture, pattern);
  }
  return {
    pattern,
    prefix: new RegExp(source),
    categoryGroup,
    hasPrefix: at > 0,
    suffix: suffixOf(elements.slice(at + 1), pattern),
  };
}

export interface MessagePosition {
  category: string | undefined;
  /** Index in the line where the message starts. */
  start: number;
  /** Index where it ends: before a trailing CR and the layout's suffix, when present. */
  end: number;
}

/** Where the message sits in `line`, or undefined when the layout's prefix does not match. */
export function messageOf(layout: CompiledLayout, line: string): MessagePosition | undefined {
  let end = line.endsWith('\r') ? line.length - 1 : line.length;
  if (layout.suffix && line.startsWith(layout.suffix, end - layout.suffix.length)) {
    end -= layout.suffix.length;
  }
  if (!layout.hasPrefix) return { category: undefined, start: 0, end };
  const m = layout.prefix.exec(line);
  if (!m) return undefined;
  const category = layout.categoryGroup === undefined ? undefined : m[layout.categoryGroup];
  return { category, start: m[0].length, end: Math.max(end, m[0].length) };
}

let compiledKnown: CompiledLayout[] | undefined;

/** The prefixed known layouts, most specific first (ties go to the first). */
function knownPrefixed(): CompiledLayout[] {
  compiledKnown ??= [KNOWN_LAYOUTS.wildfly, KNOWN_LAYOUTS.jboss7, KNOWN_LAYOUTS.docs].map(compileLayout);
  return compiledKnown;
}

/**
 * Picks the known layout whose prefix matches the most lines logged by one of
 * `loggerCategories`; ties go to the layout whose prefix covers more text (a
 * WildFly line also matches the shorter docs prefix). Bare when nothing matches.
 */
export function detectLayout(lines: readonly string[], loggerCategories: readonly string[]): CompiledLayout {
  const wanted = new Set(loggerCategories);
  let best: CompiledLayout | undefined;
  let bestCount = 0;
  let bestChars = 0;
  for (const layout of knownPrefixed()) {
    let count = 0;
    let chars = 0;
    for (const line of lines) {
      const pos = messageOf(layout, line);
      if (pos?.category === undefined || !wanted.has(pos.category)) continue;
      count++;
      chars += pos.start;
    }
    if (count > bestCount || (count === bestCount && count > 0 && chars > bestChars)) {
      best = layout;
      bestCount = count;
      bestChars = chars;
    }
  }
  return best ?? compileLayout(KNOWN_LAYOUTS.bare);
}
