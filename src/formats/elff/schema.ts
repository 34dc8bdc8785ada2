/**
 * The ELFF columns certcrunch reads, and how a `#Fields` directive maps onto them.
 * Each report column is a "slot": the kernel interns that column's values into dense ids.
 */
export const Slot = {
  Date: 0,
  Time: 1,
  ClientIp: 2,
  ExceptionId: 3,
  FilterResult: 4,
  Categories: 5,
  Action: 6,
  Host: 7,
  CertErrors: 8,
  ClientOcspError: 9,
  ServerOcspError: 10,
  CipherStrength: 11,
  ThreatRisk: 12,
  CertHostnameThreatRisk: 13,
} as const;
export type Slot = (typeof Slot)[keyof typeof Slot];

/** Field names per slot, as written in `#Fields` (compared ASCII case-insensitively). */
export const SLOT_FIELDS: readonly string[] = [
  'date',
  'time',
  'c-ip',
  'x-exception-id',
  'sc-filter-result',
  'cs-categories',
  's-action',
  'cs-host',
  'x-rs-certificate-observed-errors',
  'x-cs-ocsp-error',
  'x-rs-ocsp-error',
  'x-rs-connection-negotiated-cipher-strength',
  'cs-threat-risk',
  'x-rs-certificate-hostname-threat-risk',
];
export const SLOT_COUNT = SLOT_FIELDS.length;

export interface ElffSchema {
  /** The directive text it came from (without the line end). */
  readonly directive: string;
  readonly fields: readonly string[];
  /** colSlot[column] = slot, or -1 for columns no report reads. */
  readonly colSlot: Int32Array;
  /** present[slot]: the column exists in this schema. */
  readonly present: readonly boolean[];
}

const FIELDS_DIRECTIVE = /^#\s*Fields:/;

/** True for a `#Fields:` directive line (also `# Fields:`, as some SWG exports write it). */
export function isFieldsDirective(line: string): boolean {
  return FIELDS_DIRECTIVE.test(line);
}

/** Parses a `#Fields:` directive; returns undefined for any other directive. */
export function parseFieldsDirective(line: string): ElffSchema | undefined {
  const match = FIELDS_DIRECTIVE.exec(line);
  if (!match) return undefined;
  const fields = line.slice(match[0].length).split(/[ \t]+/).filter((f) => f.length > 0);
  const colSlot = new Int32Array(fields.length).fill(-1);
  const present = new Array<boolean>(SLOT_COUNT).fill(false);
  const wanted = new Map(SLOT_FIELDS.map((name, slot) => [name, slot]));
  fields.forEach((name, col) => {
    const slot = wanted.get(name.toLowerCase());
    // The first column of a name wins if a format repeats it.
    if (slot !== undefined && !present[slot]) {
      colSlot[col] = slot;
      present[slot] = true;
    }
  });
  return { directive: line, fields, colSlot, present };
}
