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
  /** `%c{n}` precision: categories are printed as their last n components (0: in full). */
  categoryPrecision: number;
  hasCategory: boolean;
}

type Item =
  | { type: 'literal'; text: string }
  | { type: 'var'; conv: string; option: string | undefined }
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
    else items.push({ type: 'var', conv, option: m[3] });
  }
  literal(pattern.slice(last));
  return items;
}

const NAMED_DATES: Record<string, string> = {
  ISO8601: 'yyyy-MM-dd HH:mm:ss,SSS',
  ABSOLUTE: 'HH:mm:ss,SSS',
  DATE: 'dd MMM yyyy HH:mm:ss,SSS',
};

/** Printed width of a SimpleDateFormat pattern when every part has a fixed width, else undefined. */
export function fixedDateWidth(format: string): number | undefined {
  let width = 0;
  const parts = format.match(/'[^']*'|([a-zA-Z])\1*|[^a-zA-Z']+/g) ?? [];
  for (const part of parts) {
    if (part.startsWith("'")) width += part === "''" ? 1 : part.length - 2;
    else if (!/^[a-zA-Z]/.test(part)) width += part.length;
    else if (/^[yMdHhmsSkK]+$/.test(part) && !(part[0] === 'M' && part.length >= 4)) width += part[0] === 'y' && part.length === 2 ? 2 : part.length;
    else if (part === 'a') width += 2;
    else return undefined; // zones, day names, long month names vary in width
  }
  return width;
}

function varWidth(item: Extract<Item, { type: 'var' }>): number | undefined {
  if (item.conv !== 'd' && item.conv !== 'date') return undefined;
  const format = item.option === undefined ? NAMED_DATES['ISO8601']! : (NAMED_DATES[item.option] ?? item.option);
  return fixedDateWidth(format);
}

export function compilePrefixProgram(pattern: string): PrefixProgram {
  const items = tokenize(pattern);
  const messageAt = items.findIndex((i) => i.type === 'message');
  if (messageAt < 0) throw new Error(`layout ${JSON.stringify(pattern)} has no %m or %s`);
  const steps: PrefixStep[] = [];
  let categoryPrecision = 0;
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
      categoryPrecision = item.option ? Number(item.option) || 0 : 0;
    }
    if (next.type === 'literal' && (width === undefined || isCategory)) {
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
  return { steps, suffix, categoryPrecision, hasCategory };
}

/** How a layout with `%c{precision}` prints a logger name. */
export function printedCategory(category: string, precision: number): string {
  if (precision <= 0) return category;
  return category.split('.').slice(-precision).join('.');
}
