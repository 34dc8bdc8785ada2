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

/** For terminals: control characters (C0, DEL, C1) become visible escapes, so logs cannot drive the terminal. */
export function terminalSafe(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but writes C1 controls and bidi
 * overrides as they are; these become \\u escapes too, so the parsed values are unchanged.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** For HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * For CSV cells opened in spreadsheets: a cell starting with = + - @ tab or CR could run as a
 * formula, so it gets a leading apostrophe. Plain numbers and a lone "-" are left as they are.
 */
export function csvSafe(text: string): string {
  if (/^[=+\-@\t\r]/.test(text) && text !== '-' && !/^[-+]?\d+(\.\d+)?$/.test(text)) return `'${text}`;
  return text;
}
