import { describe, expect, it } from 'vitest';
import { PrefixMatcher } from '../../../src/formats/log4j/prefix-match.js';
import { compilePrefixProgram } from '../../../src/formats/log4j/prefix-program.js';

const AUDIT = 'org.cesecore.certificates.ocsp.logging.AuditLogger';
const matcher = new PrefixMatcher(compilePrefixProgram('%d %-5p [%c] %m%n').steps, [AUDIT]);

/** Where the message starts in the first line of `text` (the block may hold more lines). */
function match(text: string): number {
  const buf = Buffer.from(text, 'latin1');
  const nl = buf.indexOf(0x0a);
  return matcher.match(buf, 0, nl < 0 ? buf.length : nl);
}

describe('PrefixMatcher', () => {
  it('finds where the message of a wanted logger starts', () => {
    const prefix = `2017-02-21 13:28:55,134 DEBUG [${AUDIT}] `;
    expect(match(`${prefix}SESSION_ID:1;`)).toBe(prefix.length);
  });

  it('tells a prefixed line of another logger (-1) from a line without a prefix (0)', () => {
    expect(match('2017-02-21 13:28:55,134 INFO  [org.ejbca.Other] started')).toBe(-1);
    expect(match('"3082091b06092b06010505073001";')).toBe(0);
    expect(match('short')).toBe(0);
  });

  it('searches only within the line: a separator on the next line does not count', () => {
    expect(match(`2017-02-21 13:28:55,134 DEBUG [${AUDIT}\n] SESSION_ID:1;`)).toBe(0);
    expect(match(`2017-02-21 13:28:55,134 DEBUG\n [${AUDIT}] x`)).toBe(0);
  });

  it('reads a line anywhere in a block, bytes as latin1', () => {
    const line = `2017-02-21 13:28:55,134 DEBUG [${AUDIT}] caf\xe9`;
    const buf = Buffer.from(`junk\n${line}\nmore`, 'latin1');
    expect(matcher.match(buf, 5, 5 + line.length)).toBe(line.length - 4);
  });
});
