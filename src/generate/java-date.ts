/**
 * Java date patterns formatted the way EJBCA's PatternLogger formats LOG_TIME: it uses
 * commons-lang 2.x `FastDateFormat` (still the imported class in EJBCA 8.x), with English
 * names and the GMT zone (the properties-era default, and the effective zone from 7.8 on).
 * Only the pattern letters FastDateFormat 2.x knows are accepted; others throw, as there.
 */

const DAY_MS = 86_400_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Calendar fields of one instant; the date half is recomputed only when the day changes. */
interface Fields {
  year: number;
  month: number; // 0-11
  day: number;
  weekday: number; // 0 = Sunday
  dayOfYear: number;
  weekOfYear: number;
  weekOfMonth: number;
  hour: number;
  minute: number;
  second: number;
  milli: number;
}

type Part = string | ((f: Fields) => string);

function padded(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** FastDateFormat's selectNumberRule: 1 letter unpadded, 2 letters two digits, more letters padded. */
function numberRule(width: number, get: (f: Fields) => number): (f: Fields) => string {
  if (width === 1) return (f) => String(get(f));
  if (width === 2) return (f) => { const v = get(f); return v < 100 ? padded(v, 2) : String(v); };
  return (f) => padded(get(f), width);
}

function fieldRule(letter: string, count: number): (f: Fields) => string {
  switch (letter) {
    case 'G': return () => 'AD';
    case 'y': return count === 2 ? (f) => padded(f.year % 100, 2) : numberRule(Math.max(4, count), (f) => f.year);
    case 'M':
      if (count >= 4) return (f) => MONTHS[f.month]!;
      if (count === 3) return (f) => MONTHS[f.month]!.slice(0, 3);
      return numberRule(count, (f) => f.month + 1);
    case 'd': return numberRule(count, (f) => f.day);
    case 'h': return numberRule(count, (f) => (f.hour % 12 === 0 ? 12 : f.hour % 12));
    case 'H': return numberRule(count, (f) => f.hour);
    case 'm': return numberRule(count, (f) => f.minute);
    case 's': return numberRule(count, (f) => f.second);
    case 'S': return numberRule(count, (f) => f.milli);
    case 'E': return count >= 4 ? (f) => WEEKDAYS[f.weekday]! : (f) => WEEKDAYS[f.weekday]!.slice(0, 3);
    case 'D': return numberRule(count, (f) => f.dayOfYear);
    case 'F': return numberRule(count, (f) => Math.floor((f.day - 1) / 7) + 1);
    case 'w': return numberRule(count, (f) => f.weekOfYear);
    case 'W': return numberRule(count, (f) => f.weekOfMonth);
    case 'a': return (f) => (f.hour < 12 ? 'AM' : 'PM');
    case 'k': return numberRule(count, (f) => (f.hour === 0 ? 24 : f.hour));
    case 'K': return numberRule(count, (f) => f.hour % 12);
    case 'z': return count >= 4 ? () => 'Greenwich Mean Time' : () => 'GMT';
    case 'Z': return count === 1 ? () => '+0000' : () => '+00:00';
    default:
      throw new RangeError(`Illegal pattern component: ${letter.repeat(count)}`);
  }
}

const isLetter = (c: string): boolean => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

/** Splits a pattern like FastDateFormat.parseToken: letter runs, and text with '' as a quote. */
function parsePattern(pattern: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (isLetter(c)) {
      let j = i + 1;
      while (j < pattern.length && pattern[j] === c) j++;
      parts.push(fieldRule(c, j - i));
      i = j;
      continue;
    }
    let text = '';
    let inQuote = false;
    for (; i < pattern.length; i++) {
      const ch = pattern[i]!;
      if (ch === "'") {
        if (pattern[i + 1] === "'") {
          text += "'";
          i++;
        } else {
          inQuote = !inQuote;
        }
      } else if (!inQuote && isLetter(ch)) {
        break;
      } else {
        text += ch;
      }
    }
    const last = parts[parts.length - 1];
    if (typeof last === 'string') parts[parts.length - 1] = last + text;
    else parts.push(text);
  }
  return parts;
}

/** US week rules (week starts Sunday, the week holding 1 January is week 1), as GregorianCalendar. */
function setDate(f: Fields, dayNumber: number): void {
  const d = new Date(dayNumber * DAY_MS);
  f.year = d.getUTCFullYear();
  f.month = d.getUTCMonth();
  f.day = d.getUTCDate();
  f.weekday = d.getUTCDay();
  const jan1 = Date.UTC(f.year, 0, 1) / DAY_MS;
  f.dayOfYear = dayNumber - jan1 + 1;
  const jan1Weekday = (((jan1 + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const nextJan1 = Date.UTC(f.year + 1, 0, 1) / DAY_MS;
  const nextJan1Weekday = (((nextJan1 + 4) % 7) + 7) % 7;
  f.weekOfYear = dayNumber >= nextJan1 - nextJan1Weekday
    ? 1
    : Math.floor((f.dayOfYear - 1 + jan1Weekday) / 7) + 1;
  const firstOfMonthWeekday = (((f.weekday - (f.day - 1)) % 7) + 7) % 7;
  f.weekOfMonth = Math.floor((f.day - 1 + firstOfMonthWeekday) / 7) + 1;
}

/**
 * Compiles a Java date pattern into a formatter of epoch milliseconds in GMT. Results are
 * cached per second when the pattern has no milliseconds, since consecutive requests
 * usually share the second.
 */
export function compileJavaDatePattern(pattern: string): (epochMs: number) => string {
  const parts = parsePattern(pattern);
  const withMillis = /S/.test(pattern.replace(/'[^']*'/g, ''));
  const fields: Fields = {
    year: 0, month: 0, day: 0, weekday: 0, dayOfYear: 0, weekOfYear: 0, weekOfMonth: 0,
    hour: 0, minute: 0, second: 0, milli: 0,
  };
  let cachedDay = NaN;
  let cachedKey = NaN;
  let cachedText = '';
  return (epochMs: number): string => {
    const key = withMillis ? epochMs : Math.floor(epochMs / 1000);
    if (key === cachedKey) return cachedText;
    const dayNumber = Math.floor(epochMs / DAY_MS);
    if (dayNumber !== cachedDay) {
      setDate(fields, dayNumber);
      cachedDay = dayNumber;
    }
    const msOfDay = epochMs - dayNumber * DAY_MS;
    fields.hour = Math.floor(msOfDay / 3_600_000);
    fields.minute = Math.floor(msOfDay / 60_000) % 60;
    fields.second = Math.floor(msOfDay / 1000) % 60;
    fields.milli = msOfDay % 1000;
    let text = '';
    for (const part of parts) text += typeof part === 'string' ? part : part(fields);
    cachedKey = key;
    cachedText = text;
    return text;
  };
}
