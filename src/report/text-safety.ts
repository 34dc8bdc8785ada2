import { isUtf8 } from 'node:buffer';

/**
 * Log values are bytes held as latin1 strings (one char per byte). For people and JSON they
 * are read as UTF-8 where the bytes are valid UTF-8, else as Latin-1, as the contract says.
 */
export function displayText(latin1: string): string {
  // Pure ASCII needs no decoding (the common case).
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  const bytes = Buffer.from(latin1, 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : latin1;
}

/**
 * Characters that drive a terminal or that no one sees: controls (C0, DEL, C1), line and
 * paragraph separators, format characters (bidi overrides and marks, zero-width spaces and
 * joiners, the byte order mark, tags) and the other default-ignorable ones (soft hyphen, fillers).
 * Shown, two hosts that differ only by one of these would read the same.
 */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
/** The same but C0 controls, which JSON.stringify escapes in strings and uses (LF) between them. */
const UNSEEN_IN_JSON = /[\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

const escapeCode = (c: string): string => {
  const code = c.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
};

/**
 * For terminals: unseen characters (UNSEEN) become visible escapes, so logs cannot drive the
 * terminal or pass one value off as another; a backslash is doubled, so an escape cannot be
 * forged with backslashes.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(UNSEEN, escapeCode);
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but writes the other unseen
 * characters as they are; these become \\u escapes too, so the parsed values are unchanged.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSEEN_IN_JSON, (c) =>
    [...c].length === 1 && c.length === 2
      ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}\\u${c.charCodeAt(1).toString(16).padStart(4, '0')}`
      : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** For HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * For CSV cells opened in spreadsheets. Unseen characters are escaped, and backslashes doubled,
 * as for a terminal (a CSV file is often read with `cat`; a leading tab or CR, which a
 * spreadsheet may drop before a formula, included): a value holding the text "\x09" then reads
 * apart from one holding a tab. A cell that then starts with = + - @, also after spaces (which
 * an import may trim), could run as a formula, so it gets a leading apostrophe. Plain numbers
 * and a lone "-" are left as they are.
 */
export function csvSafe(text: string): string {
  const shown = terminalSafe(text);
  if (/^[ \u00a0\u3000]*[=+\-@]/.test(shown) && shown !== '-' && !/^[-+]?\d+(\.\d+)?$/.test(shown)) return `'${shown}`;
  return shown;
}
