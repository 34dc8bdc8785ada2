import { describe, expect, it } from 'vitest';
import { csvSafe, terminalSafe, terminalSafeJson } from '../../src/report/text-safety.js';

// Characters a log can carry that drive a terminal or that no one sees.
const UNSEEN = [
  '\x00', '\x07', '\x1b', '\x7f', '\x85', '\x9b', // C0, DEL, C1
  '\u2028', '\u2029', // line and paragraph separators
  '\u202e', '\u2067', '\u200e', '\u061c', // bidi overrides, isolates and marks
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', // zero-width spaces and joiners, BOM
  '\u00ad', '\u034f', '\u3164', '\u{e0041}', // soft hyphen, grapheme joiner, filler, a tag
];

describe('text from logs on a terminal', () => {
  it('shows every unseen character as an escape, so two values that differ only by one read differently', () => {
    for (const c of UNSEEN) {
      const shown = terminalSafe(`paypal.com${c}`);
      expect(shown, JSON.stringify(c)).toMatch(/^paypal\.com\\(x[0-9a-f]{2}|u[0-9a-f]{4}|u\{[0-9a-f]+\})$/);
      expect(shown).not.toBe(terminalSafe('paypal.com'));
    }
    expect(terminalSafe('café 日本 ok')).toBe('café 日本 ok');
  });

  it('doubles backslashes, so a literal "\\x1b" cannot pass for an escaped ESC', () => {
    expect(terminalSafe('a\\x1bb')).not.toBe(terminalSafe('a\x1bb'));
    expect(terminalSafe('C:\\logs')).toBe('C:\\\\logs');
  });

  it('JSON keeps every value (parsed back unchanged) and carries none of them raw', () => {
    const value = { host: UNSEEN.join('|'), [`k${UNSEEN.join('')}`]: 1, plain: 'café\n"x"' };
    const json = terminalSafeJson(value);
    expect(JSON.parse(json)).toEqual(value);
    for (const c of UNSEEN) expect(json.includes(c), JSON.stringify(c)).toBe(false);
  });
});

describe('CSV cells', () => {
  it('neutralise formulas, also after leading spaces, and leave numbers alone', () => {
    for (const cell of ['=1+1', '+cmd', '-1+1', '@SUM(A1)', ' =1+1', '\u00a0=1', '\u3000+1', '  @x']) {
      expect(csvSafe(cell).startsWith("'"), JSON.stringify(cell)).toBe(true);
    }
    // A leading tab or CR is shown as an escape: the cell then starts with a backslash.
    expect(csvSafe('\t=1')).toBe('\\x09=1');
    expect(csvSafe('\r=1')).toBe('\\x0d=1');
    for (const cell of ['-', '12', '-3', '+4.5', 'a=b', 'plain']) expect(csvSafe(cell)).toBe(cell);
  });

  it('escape unseen characters and double backslashes, so an escape cannot be forged', () => {
    expect(csvSafe('a\x1b]52;c;ZXZpbA==\x07b')).toBe('a\\x1b]52;c;ZXZpbA==\\x07b');
    expect(csvSafe('host\u200b')).toBe('host\\u200b');
    expect(csvSafe('C:\\logs')).toBe('C:\\\\logs');
    // A tab, and the text of its escape: two cells that read apart.
    expect(csvSafe('ORG\tcat')).toBe('ORG\\x09cat');
    expect(csvSafe('ORG\\x09cat')).toBe('ORG\\\\x09cat');
  });
});
