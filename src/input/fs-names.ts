import { isUtf8 } from 'node:buffer';

/**
 * File names are bytes. One that is not UTF-8 (an archive from a Latin-1 system) cannot be
 * reached through an ordinary JavaScript string, which the file system gets as UTF-8. Such a
 * name is carried with each byte of 0x80 and above as a lone surrogate, U+DC80 to U+DCFF (as
 * Python's surrogateescape does), and becomes bytes again to be opened. People see those
 * bytes as Latin-1, as the contract shows log values that are not UTF-8.
 */

const ESCAPED = /[\udc80-\udcff]/;
const ESCAPED_ALL = /[\udc80-\udcff]/g;

/** A directory entry's name as certcrunch carries it. */
export function nameFromBytes(name: Buffer): string {
  if (isUtf8(name)) return name.toString('utf8');
  let text = '';
  for (const byte of name) text += String.fromCharCode(byte < 0x80 ? byte : 0xdc00 + byte);
  return text;
}

/** What to hand the file system for a carried path: the path itself, or its bytes. */
export function fsPath(path: string): string | Buffer {
  if (!ESCAPED.test(path)) return path;
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code < 0xdc80 || code > 0xdcff) continue;
    parts.push(Buffer.from(path.slice(from, i), 'utf8'), Buffer.of(code - 0xdc00));
    from = i + 1;
  }
  parts.push(Buffer.from(path.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** A carried path as people see it: escaped bytes as Latin-1 characters. */
export function shownPath(path: string): string {
  return path.replace(ESCAPED_ALL, (c) => String.fromCharCode(c.charCodeAt(0) - 0xdc00));
}

/**
 * How each of a run's carried paths is shown, each differently: a Latin-1 name that reads like
 * another file's UTF-8 one ("café" both) shows those bytes as %XX instead (no backslash, which
 * terminal output doubles), and any name shown alike after that gets a number.
 */
export function shownPaths(paths: readonly string[]): Map<string, string> {
  const taken = new Set(paths.filter((p) => !ESCAPED.test(p)));
  const shown = new Map<string, string>();
  for (const path of paths) {
    if (!ESCAPED.test(path)) {
      shown.set(path, path);
      continue;
    }
    let text = shownPath(path);
    if (taken.has(text)) text = path.replace(ESCAPED_ALL, (c) => `%${(c.charCodeAt(0) - 0xdc00).toString(16).toUpperCase()}`);
    for (let n = 2; taken.has(text); n++) text = `${text.replace(/ \[\d+\]$/, '')} [${n}]`;
    taken.add(text);
    shown.set(path, text);
  }
  return shown;
}
