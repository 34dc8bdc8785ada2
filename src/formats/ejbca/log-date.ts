/**
 * Parses LOG_TIME values written with EJBCA's `ocsp.log-date` pattern (a Java
 * SimpleDateFormat/FastDateFormat pattern) and `ocsp.log-timezone` (spec §3.4).
 * Each pattern compiles to one anchored RegExp plus one small parser per group,
 * so per-line cost is a single regex match.
 */
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  hour12: number | undefined;
  pm: boolean | undefined;
  minute: number;
  second: number;
  ms: number;
  /** Minutes east of UTC from the text, when the text gives an offset (GMT+02:00, +0200). */
  offset: number | undefined;
  /** A zone's name from the text (CET, BST, Central European Standard Time), upper-cased. */
  zoneName: string | undefined;
}

/** Stores one captured group into the fields; false when the value is invalid. */
type GroupParser = (f: Fields, text: string) => boolean;

interface Part {
  source: string;
  parse: GroupParser | undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];
const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Names that mean UTC whatever the zone configured. */
const UTC_NAMES: ReadonlySet<string> = new Set(['GMT', 'UTC', 'UT', 'Z', 'GREENWICH MEAN TIME', 'COORDINATED UNIVERSAL TIME']);

/**
 * Offsets (minutes) of common abbreviations, for a log whose zone was not given: the names are
 * ambiguous (CST is US Central, China and Cuba; BST is London and Dhaka), so the zone
 * configured (ocsp.log-timezone), whose names Java prints, wins whenever there is one.
 */
const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  WET: 0, WEST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  JST: 540,
};

/** Largest number of digits each numeric letter can print. */
const MAX_DIGITS: Readonly<Record<string, number>> = { y: 4, M: 2, d: 2, H: 2, h: 2, k: 2, K: 2, m: 2, s: 2, S: 3 };

function numberPart(letter: string, count: number, store: (f: Fields, v: number, text: string) => boolean): Part {
  const max = MAX_DIGITS[letter]!;
  // Java prints at least `count` digits; `yy` prints exactly two.
  const width = letter === 'y' && count === 2 ? '{2}' : `{${count},${Math.max(count, max)}}`;
  return { source: `(\\d${width})`, parse: (f, text) => store(f, Number(text), text) };
}

/** SimpleDateFormat's two-digit-year window: within 80 years before and 20 after now. */
const CENTURY_START = new Date().getUTCFullYear() - 80;

function windowYear(twoDigits: number): number {
  const start = CENTURY_START;
  const base = start - (start % 100);
  return base + twoDigits + (twoDigits < start % 100 ? 100 : 0);
}

function namePart(lookup: (name: string, f: Fields) => boolean): Part {
  return { source: '([A-Za-z]+)', parse: (f, text) => lookup(text.toLowerCase(), f) };
}

function lookupMonth(name: string, f: Fields): boolean {
  const i = name.length === 3 ? MONTHS.indexOf(name) : MONTH_NAMES.indexOf(name);
  if (i < 0) return false;
  f.month = i + 1;
  return true;
}

function lookupDay(name: string): boolean {
  return DAY_NAMES.some((d) => d === name || d.slice(0, 3) === name);
}

/** `+hh`, `+hhmm`, `+hh:mm` (and `+h` after GMT) → minutes, or undefined. */
function signedOffset(sign: string, hours: string, minutes: string | undefined): number | undefined {
  const h = Number(hours);
  const m = minutes === undefined ? 0 : Number(minutes);
  if (h > 23 || m > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

/** `Z`, `±hh`, `±hhmm`, `±hh:mm` (Z and X, also RFC 822 text for z). */
function isoOffset(text: string): number | undefined {
  if (text === 'Z') return 0;
  const iso = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(text);
  return iso ? signedOffset(iso[1]!, iso[2]!, iso[3]) : undefined;
}

/** An offset written out for z (GMT/UTC±h[h][[:]mm], RFC 822), or undefined for a zone's name. */
function writtenOffset(text: string): number | undefined {
  const gmt = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(text);
  return gmt ? signedOffset(gmt[1]!, gmt[2]!, gmt[3]) : isoOffset(text);
}

/** z: an offset is taken as written; a name is kept, to be read with the zone configured. */
function generalZonePart(source: string): Part {
  return {
    source,
    parse: (f, text) => {
      if (/^[A-Za-z][A-Za-z ]*$/.test(text)) {
        f.zoneName = text.toUpperCase();
        return true;
      }
      f.offset = writtenOffset(text);
      return f.offset !== undefined;
    },
  };
}

function zonePart(source: string, toOffset: (text: string) => number | undefined): Part {
  return {
    source,
    parse: (f, text) => {
      f.offset = toOffset(text);
      return f.offset !== undefined;
    },
  };
}

type NumberField = 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'ms';

/** Numeric letters: the field they set and its valid range. */
const NUMBER_FIELDS: Readonly<Record<string, [NumberField, number, number]>> = {
  M: ['month', 1, 12],
  d: ['day', 1, 31],
  H: ['hour', 0, 23],
  h: ['hour12', 1, 12],
  K: ['hour12', 0, 11],
  m: ['minute', 0, 59],
  s: ['second', 0, 59],
  S: ['ms', 0, 999],
};

/** The regex and parser for `count` repetitions of a pattern letter. */
function fieldPart(letter: string, count: number): Part | undefined {
  const numeric = NUMBER_FIELDS[letter];
  if (numeric && !(letter === 'M' && count >= 3)) {
    const [key, lo, hi] = numeric;
    return numberPart(letter, count, (f, v) => {
      f[key] = v;
      return v >= lo && v <= hi;
    });
  }
  switch (letter) {
    case 'k': // 1-24, 24 being midnight
      return numberPart('k', count, (f, v) => {
        f.hour = v % 24;
        return v >= 1 && v <= 24;
      });
    case 'y':
      return numberPart('y', count, (f, v, text) => {
        f.year = count <= 2 && text.length === 2 ? windowYear(v) : v;
        return true;
      });
    case 'M':
      return namePart(lookupMonth);
    case 'a':
      return { source: '([AaPp][Mm])', parse: (f, t) => ((f.pm = /^p/i.test(t)), true) };
    case 'E':
      return namePart(lookupDay);
    case 'z':
      // zzzz prints long names ("Central European Standard Time"), shorter runs abbreviations.
      return count >= 4
        ? generalZonePart('((?:GMT|UTC)[+-]\\d{1,2}(?::?\\d{2})?|[A-Za-z][A-Za-z ]*[A-Za-z]|[A-Za-z]|[+-]\\d{4})')
        : generalZonePart('([A-Za-z]{1,5}(?:[+-]\\d{1,2}(?::?\\d{2})?)?|[+-]\\d{4})');
    case 'Z':
      return zonePart('([+-]\\d{4})', isoOffset);
    case 'X':
      return zonePart('(Z|[+-]\\d{2}(?::?\\d{2})?)', isoOffset);
    default:
      return undefined;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Quoted text, a run of one letter, or other literal characters. */
const PATTERN_TOKEN = /'(?:[^']|'')*'?|([A-Za-z])\1*|[^A-Za-z']+/g;

/** The literal text of a quoted token: `''` is a quote, `'it''s'` is it's. */
function unquote(token: string): string {
  if (token === "''") return "'";
  const closed = token.length > 1 && token.endsWith("'");
  return token.slice(1, closed ? -1 : undefined).replace(/''/g, "'");
}

/** Splits a SimpleDateFormat pattern into regex parts; unknown letters stay literal. */
function compileParts(pattern: string): Part[] {
  return (pattern.match(PATTERN_TOKEN) ?? []).map((token): Part => {
    const c = token[0]!;
    const text = c === "'" ? unquote(token) : token;
    const field = /[A-Za-z]/.test(c) ? fieldPart(c, token.length) : undefined;
    return field ?? { source: escapeRegex(text), parse: undefined };
  });
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Wall-clock fields read as if they were UTC; years below 100 kept literal. */
function wallClockMs(f: Fields, hour: number): number {
  if (f.year >= 100) return Date.UTC(f.year, f.month - 1, f.day, hour, f.minute, f.second, f.ms);
  const d = new Date(0); // Date.UTC would read year 17 as 1917
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(hour, f.minute, f.second, f.ms);
  return d.getTime();
}

/** Java's old three-letter zone ids that are not IANA names (java.time.ZoneId.SHORT_IDS). */
const JAVA_SHORT_IDS: Readonly<Record<string, string>> = {
  ACT: 'Australia/Darwin', AET: 'Australia/Sydney', AGT: 'America/Argentina/Buenos_Aires',
  ART: 'Africa/Cairo', AST: 'America/Anchorage', BET: 'America/Sao_Paulo', BST: 'Asia/Dhaka',
  CAT: 'Africa/Harare', CNT: 'America/St_Johns', CST: 'America/Chicago', CTT: 'Asia/Shanghai',
  EAT: 'Africa/Addis_Ababa', ECT: 'Europe/Paris', IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata', JST: 'Asia/Tokyo', MIT: 'Pacific/Apia', NET: 'Asia/Yerevan',
  NST: 'Pacific/Auckland', PLT: 'Asia/Karachi', PNT: 'America/Phoenix', PRT: 'America/Puerto_Rico',
  PST: 'America/Los_Angeles', SST: 'Pacific/Guadalcanal', VST: 'Asia/Ho_Chi_Minh',
};

/** Java custom ids: GMT±h, GMT±hh, GMT±hhmm, GMT±hh:mm (TimeZone.parseCustomTimeZone). */
function customZoneOffset(id: string): number | undefined {
  const colon = /^GMT([+-])(\d{1,2}):(\d{2})$/.exec(id);
  if (colon) return signedOffset(colon[1]!, colon[2]!, colon[3]);
  const plain = /^GMT([+-])(\d{1,4})$/.exec(id);
  if (!plain) return undefined;
  const digits = plain[2]!;
  if (digits.length <= 2) return signedOffset(plain[1]!, digits, undefined);
  return signedOffset(plain[1]!, digits.slice(0, -2), digits.slice(-2));
}

/** An Intl formatter for an IANA id, or undefined when Java would not know the id. */
function ianaFormatter(id: string): Intl.DateTimeFormat | undefined {
  try {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: id, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    const resolved = fmt.resolvedOptions().timeZone;
    // Intl ignores case, Java does not: "europe/stockholm" is unknown (GMT) in Java.
    if (resolved !== id && resolved.toLowerCase() === id.toLowerCase()) return undefined;
    return fmt;
  } catch {
    return undefined;
  }
}

/** Offset (minutes east of UTC) of an IANA zone at a UTC instant. */
function ianaOffsetAt(fmt: Intl.DateTimeFormat, utcMs: number): number {
  const seconds = Math.floor(utcMs / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(seconds)) p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return Math.round((asUtc - seconds) / 60_000);
}

/**
 * Resolves a Java zone id to a function from wall-clock time (as if UTC) to the
 * zone's offset in minutes; undefined for GMT, which unknown ids fall back to, as in Java.
 */
function javaZoneOffset(zone: string): ((wallMs: number) => number) | undefined {
  const id = JAVA_SHORT_IDS[zone] ?? zone;
  if (id === 'GMT' || id === 'UTC') return undefined;
  const custom = customZoneOffset(id);
  if (custom !== undefined) return () => custom;
  const fmt = ianaFormatter(id);
  if (!fmt) return undefined;
  // Offsets only change on quarter-hour boundaries in practice: cache per bucket.
  const cache = new Map<number, number>();
  return (wallMs) => {
    const bucket = Math.floor(wallMs / 900_000);
    let offset = cache.get(bucket);
    if (offset === undefined) {
      const first = ianaOffsetAt(fmt, wallMs);
      offset = ianaOffsetAt(fmt, wallMs - first * 60_000);
      if (cache.size > 4096) cache.clear();
      cache.set(bucket, offset);
    }
    return offset;
  };
}

/**
 * The offset a zone's name stands for. The responder prints the names of the zone it is
 * configured with (ocsp.log-timezone), so with a zone given the time is read in that zone,
 * whatever else the name can mean (CST is China's as well as US Central); an abbreviation that
 * is one of the zone's offsets around that time picks between them (the repeated hour of
 * autumn). Without a zone given, the common meaning of the abbreviation; NaN when unknown.
 */
function namedZoneOffset(name: string, wall: number, zoneOffset: ((wallMs: number) => number) | undefined): number {
  if (UTC_NAMES.has(name)) return 0;
  const named = ZONE_ABBREVIATIONS[name];
  if (!zoneOffset) return named ?? NaN;
  const here = zoneOffset(wall);
  const halfDay = 43_200_000;
  if (named !== undefined && named !== here && (named === zoneOffset(wall - halfDay) || named === zoneOffset(wall + halfDay))) return named;
  return here;
}

/**
 * Compiles a Java date pattern into a parser returning epoch milliseconds, or NaN
 * when the text does not match or names an impossible date. `zone` (a Java zone
 * id: GMT, UTC, GMT+2, Europe/Stockholm, …) applies when the text has no zone;
 * an unknown id means GMT, as in Java's TimeZone.getTimeZone.
 */
export function compileJavaDateFormat(pattern: string, zone: string): (text: string) => number {
  const parts = compileParts(pattern);
  const re = new RegExp(`^${parts.map((p) => p.source).join('')}$`);
  const parsers = parts.flatMap((p) => (p.parse ? [p.parse] : []));
  const zoneOffset = javaZoneOffset(zone);
  return (text: string): number => {
    const m = re.exec(text);
    if (!m) return NaN;
    const f: Fields = {
      year: 1970, month: 1, day: 1, hour: 0, hour12: undefined, pm: undefined,
      minute: 0, second: 0, ms: 0, offset: undefined, zoneName: undefined,
    };
    for (let g = 0; g < parsers.length; g++) {
      if (!parsers[g]!(f, m[g + 1]!)) return NaN;
    }
    if (f.day > daysInMonth(f.year, f.month)) return NaN;
    const hour = f.hour12 !== undefined ? (f.hour12 % 12) + (f.pm ? 12 : 0) : f.hour;
    const wall = wallClockMs(f, hour);
    if (f.offset !== undefined) return wall - f.offset * 60_000;
    if (f.zoneName !== undefined) return wall - namedZoneOffset(f.zoneName, wall, zoneOffset) * 60_000;
    return wall - (zoneOffset ? zoneOffset(wall) : 0) * 60_000;
  };
}
