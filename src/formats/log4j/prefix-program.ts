import { PrefixOp, type PrefixStep } from '../pattern-spec.js';

/**
 * Compiles a log4j / JBoss ConversionPattern into the steps the pattern kernels run to find
 * where the message starts: literals must match, variable parts (date, level, thread…) are
 * skipped to the literal that follows them, and `%c` is checked against the wanted loggers.
 */
export interface PrefixProgram {
  steps: PrefixStep[];
  /** Literal text written after the message, before the line end (e.g. " " in "%m %n"). */
  suffix: string;
  /** How `%c` prints a logger name (see printedCategory). */
  category: CategoryFormat;
  hasCategory: boolean;
}

/** `%c`'s format modifier and option: `%-20c{1}`, `%.30c`, `%c{1.}`, `%c{-2}`. */
export interface CategoryFormat {
  option: string | undefined;
  minWidth: number;
  leftAlign: boolean;
  maxWidth: number | undefined;
}

const FULL_CATEGORY: CategoryFormat = { option: undefined, minWidth: 0, leftAlign: false, maxWidth: undefined };

type Item =
  | { type: 'literal'; text: string }
  | { type: 'var'; conv: string; option: string | undefined; modifier: string }
  | { type: 'message' }
  | { type: 'end' };

const CONVERSION = /%(-?\d*(?:\.\d+)?)([a-zA-Z]+|%)(?:\{([^}]*)\})?/g;

function tokenize(pattern: string): Item[] {
  const items: Item[] = [];
  let last = 0;
  const literal = (text: string): void => {
    if (!text) return;
    const prev = items[items.length - 1];
    if (prev?.type === 'literal') prev.text += text;
    else items.push({ type: 'literal', text });
  };
  for (const m of pattern.matchAll(CONVERSION)) {
    literal(pattern.slice(last, m.index));
    last = m.index + m[0].length;
    const conv = m[2]!;
    if (conv === '%') literal('%');
    else if (conv === 'n') items.push({ type: 'end' });
    else if (conv === 'm' || conv === 's' || conv === 'message') items.push({ type: 'message' });
    else items.push({ type: 'var', conv, option: m[3], modifier: m[1]! });
  }
  literal(pattern.slice(last));
  return items;
}

const NAMED_DATES: Record<string, string> = {
  ISO8601: 'yyyy-MM-dd HH:mm:ss,SSS',
  ABSOLUTE: 'HH:mm:ss,SSS',
  DATE: 'dd MMM yyyy HH:mm:ss,SSS',
};

/** A SimpleDateFormat pattern's parts: quoted text, runs of one letter, other literal text. */
function dateFormatParts(format: string): string[] {
  return format.match(/'[^']*'|([a-zA-Z])\1*|[^a-zA-Z']+/g) ?? [];
}

/** Printed width of a SimpleDateFormat pattern when every part has a fixed width, else undefined. */
export function fixedDateWidth(format: string): number | undefined {
  let width = 0;
  for (const part of dateFormatParts(format)) {
    if (part.startsWith("'")) width += part === "''" ? 1 : part.length - 2;
    else if (!/^[a-zA-Z]/.test(part)) width += part.length;
    else if (/^[yMdHhmsSkK]+$/.test(part) && !(part[0] === 'M' && part.length >= 4)) width += part[0] === 'y' && part.length === 2 ? 2 : part.length;
    else if (part === 'a') width += 2;
    else if (part === 'Z') width += 5; // RFC 822: +hhmm
    else return undefined; // zone names, day names, long month names vary in width
  }
  return width;
}

function dateFormat(item: Extract<Item, { type: 'var' }>): string | undefined {
  if (item.conv !== 'd' && item.conv !== 'date') return undefined;
  return item.option === undefined ? NAMED_DATES['ISO8601']! : (NAMED_DATES[item.option] ?? item.option);
}

function varWidth(item: Extract<Item, { type: 'var' }>): number | undefined {
  const format = dateFormat(item);
  return format === undefined ? undefined : fixedDateWidth(format);
}

/** How often `text` occurs in the fixed text a date format prints (its separators and quoted parts). */
function occurrencesInDate(format: string, text: string): number {
  const printed = dateFormatParts(format).map((p) => (p.startsWith("'") ? (p === "''" ? "'" : p.slice(1, -1)) : /^[a-zA-Z]/.test(p) ? '\0' : p)).join('');
  let count = 0;
  for (let at = printed.indexOf(text); at >= 0; at = printed.indexOf(text, at + text.length)) count++;
  return count;
}

function categoryFormat(item: Extract<Item, { type: 'var' }>): CategoryFormat {
  const m = /^(-?)(\d*)(?:\.(\d+))?$/.exec(item.modifier);
  return {
    option: item.option,
    minWidth: m?.[2] ? Number(m[2]) : 0,
    leftAlign: m?.[1] === '-',
    maxWidth: m?.[3] ? Number(m[3]) : undefined,
  };
}

export function compilePrefixProgram(pattern: string): PrefixProgram {
  const items = tokenize(pattern);
  const messageAt = items.findIndex((i) => i.type === 'message');
  if (messageAt < 0) throw new Error(`layout ${JSON.stringify(pattern)} has no %m or %s`);
  const steps: PrefixStep[] = [];
  let category = FULL_CATEGORY;
  let hasCategory = false;
  for (let i = 0; i < messageAt; i++) {
    const item = items[i]!;
    if (item.type === 'literal') {
      steps.push({ op: PrefixOp.Literal, count: 0, text: item.text });
      continue;
    }
    if (item.type !== 'var') throw new Error(`layout ${JSON.stringify(pattern)}: %n before the message`);
    const next = items[i + 1]!;
    const width = varWidth(item);
    const isCategory = item.conv === 'c' || item.conv === 'logger';
    if (isCategory) {
      hasCategory = true;
      category = categoryFormat(item);
    }
    if (next.type === 'literal' && (width === undefined || isCategory)) {
      // A date of varying width that prints the literal itself ("yyyy-MM-dd HH:mm:ss z" before
      // " "): skip past its own copies first.
      const format = dateFormat(item);
      const inside = format === undefined ? 0 : occurrencesInDate(format, next.text);
      for (let k = 0; k < inside; k++) steps.push({ op: PrefixOp.SkipUntil, count: 0, text: next.text });
      steps.push({ op: isCategory ? PrefixOp.CategoryUntil : PrefixOp.SkipUntil, count: 0, text: next.text });
      i++; // the literal is consumed with the variable
    } else if (width !== undefined) {
      steps.push({ op: PrefixOp.Skip, count: width, text: '' });
    } else {
      throw new Error(`layout ${JSON.stringify(pattern)}: %${item.conv} is not followed by literal text, so it cannot be skipped`);
    }
  }
  let suffix = '';
  for (const item of items.slice(messageAt + 1)) {
    if (item.type === 'end') break;
    if (item.type === 'literal') suffix += item.text;
    // %e / %E / %throwable print exceptions on the following lines: nothing on this one.
  }
  return { steps, suffix, category, hasCategory };
}

/**
 * How a layout prints a logger name: `{n}` its last n components, `{-n}` without its first n,
 * `{n.}` each component but the last cut to n characters (org.cesecore… → o.c…), then `.max`
 * keeps its last max characters and the width pads it with spaces (left-aligned with `-`).
 */
export function printedCategory(category: string, format: CategoryFormat = FULL_CATEGORY): string {
  const parts = category.split('.');
  const option = format.option?.trim() ?? '';
  let text = category;
  if (/^\d+$/.test(option) && Number(option) > 0) text = parts.slice(-Number(option)).join('.');
  else if (/^-\d+$/.test(option)) text = parts.slice(Math.min(-Number(option), parts.length - 1)).join('.');
  else if (/^\d+\.$/.test(option)) {
    const keep = Number(option.slice(0, -1));
    text = parts.map((p, i) => (i === parts.length - 1 ? p : p.slice(0, Math.max(1, keep)))).join('.');
  }
  if (format.maxWidth !== undefined && text.length > format.maxWidth) text = text.slice(text.length - format.maxWidth);
  if (text.length < format.minWidth) text = format.leftAlign ? text.padEnd(format.minWidth) : text.padStart(format.minWidth);
  return text;
}
