/**
 * Normalisation rules of the contract, applied once per distinct raw value (never per record).
 * Values are latin1 strings: one char per byte, so ASCII-only case folding keeps other bytes as they are.
 */

/** ASCII lower-casing; bytes >= 0x80 are left untouched. */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** `x-rs-certificate-observed-errors` → error tokens: split on ';' and ',', trimmed, lower-cased, no '-'/'none'/empties. */
export function certErrorTokens(raw: string): string[] {
  // A Set keeps each once in first-seen order, in linear time however long a forged field is.
  const tokens = new Set<string>();
  for (const part of raw.split(/[;,]/)) {
    const token = asciiLower(part.replace(/^ +| +$/g, ''));
    if (token !== '' && token !== '-' && token !== 'none') tokens.add(token);
  }
  return [...tokens];
}

/** `cs-categories` → categories: split on ';', trimmed of spaces, empties dropped, each once. */
export function categoryList(raw: string): string[] {
  const list = new Set<string>();
  for (const part of raw.split(';')) {
    const category = part.replace(/^ +| +$/g, '');
    if (category !== '') list.add(category);
  }
  return [...list];
}

/** Threat risk as an integer 0–10, or -1 when it is not a number (`-`, `unavailable`). */
export function threatRiskLevel(raw: string): number {
  return /^\d{1,2}$/.test(raw) ? Number(raw) : -1;
}
