import { describe, expect, it } from 'vitest';
import {
  KNOWN_LAYOUTS,
  compileLayout,
  detectLayout,
  messageOf,
  type CompiledLayout,
} from '../../../src/formats/log4j/layout.js';

const TRX = 'org.cesecore.certificates.ocsp.logging.TransactionLogger';
const AUDIT = 'org.cesecore.certificates.ocsp.logging.AuditLogger';
const OLD_TRX = 'org.ejbca.core.protocol.ocsp.TransactionLogger';
const LOGGERS = [TRX, AUDIT, OLD_TRX];

/** Spec §7.1 and §7.3 rows (message part). */
const ROW_63 =
  '5f1a3c9b0a000a151b7e44c29d03f1a7;1234;0;0"192.0.2.10";"0";"0";0;"2017-02-21:12:28:55:GMT";9;2;0;0;0;0;0;0;0;"CN=ManagementCA,O=EJBCA Sample,C=SE";a9d7641581b76da92fcd48afa8fcb1e81af04f25;6faee9603858141d52e86c3c24dd3f609604265d;1.3.14.3.2.26;008a3f1c2d4e5f60718293;0;1;';
const ROW_78 =
  'c0ffee12ac1f00087a6b2d1e04c9e3b5;57;0;0"10.1.2.3";"0";"0";0;"2024-04-08 16:29:14.123+0000";7;1;0;0;0;0;0;0;0;"CN=ManagementCA,O=EJBCA Sample,C=SE";a9d7641581b76da92fcd48afa8fcb1e81af04f25;6faee9603858141d52e86c3c24dd3f609604265d;"CN=ManagementCA,O=EJBCA Sample,C=SE";1.3.14.3.2.26;008a3f1c2d4e5f60718293;0;1;198.51.100.7';

const DOCS_LINE = `2017-02-21 13:28:55,134 DEBUG [${TRX}] ${ROW_63}`;
const JBOSS7_LINE = `13:28:55,130 DEBUG [${TRX}] (http-/0.0.0.0:8080-3) ${ROW_63}`;
const WILDFLY_LINE = `2024-04-08 18:29:14,131 DEBUG [${TRX}] (default task-3) ${ROW_78}`;
const AUDIT_LINE = `2017-02-21 13:28:55,134 DEBUG [${AUDIT}] SESSION_ID:5f1a3c9b0a000a151b7e44c29d03f1a7;LOG ID:1234;"2017-02-21:12:28:55:GMT";TIME TO PROCESS:7;`;

/** The message text of a line, or undefined when the prefix does not match. */
function message(layout: CompiledLayout, line: string): string | undefined {
  const pos = messageOf(layout, line);
  return pos && line.slice(pos.start, pos.end);
}

describe('compileLayout: the known layouts', () => {
  it('bare %m%n has no prefix; every line is a message', () => {
    const bare = compileLayout(KNOWN_LAYOUTS.bare);
    expect(bare.hasPrefix).toBe(false);
    expect(bare.categoryGroup).toBeUndefined();
    expect(messageOf(bare, ROW_78)).toEqual({ category: undefined, start: 0, end: ROW_78.length });
    expect(messageOf(bare, '')).toEqual({ category: undefined, start: 0, end: 0 });
  });

  it('bare %m %n strips the trailing space the layout adds', () => {
    const spaced = compileLayout('%m %n');
    expect(spaced.hasPrefix).toBe(false);
    expect(spaced.suffix).toBe(' ');
    expect(message(spaced, `${ROW_63} `)).toBe(ROW_63);
    expect(message(spaced, `${ROW_63} \r`)).toBe(ROW_63);
    expect(message(spaced, ROW_63)).toBe(ROW_63); // continuation rows have no suffix
  });

  it('docs: %d %-5p [%c] %m%n', () => {
    const docs = compileLayout(KNOWN_LAYOUTS.docs);
    expect(docs.hasPrefix).toBe(true);
    expect(messageOf(docs, DOCS_LINE)?.category).toBe(TRX);
    expect(message(docs, DOCS_LINE)).toBe(ROW_63);
    expect(messageOf(docs, AUDIT_LINE)?.category).toBe(AUDIT);
  });

  it('jboss7: %d{HH:mm:ss,SSS} %-5p [%c] (%t) %s%E%n', () => {
    const jboss7 = compileLayout(KNOWN_LAYOUTS.jboss7);
    expect(messageOf(jboss7, JBOSS7_LINE)?.category).toBe(TRX);
    expect(message(jboss7, JBOSS7_LINE)).toBe(ROW_63);
    expect(messageOf(jboss7, DOCS_LINE)).toBeUndefined();
  });

  it('wildfly: %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n', () => {
    const wildfly = compileLayout(KNOWN_LAYOUTS.wildfly);
    expect(messageOf(wildfly, WILDFLY_LINE)?.category).toBe(TRX);
    expect(message(wildfly, WILDFLY_LINE)).toBe(ROW_78);
    expect(messageOf(wildfly, DOCS_LINE)).toBeUndefined();
    expect(messageOf(wildfly, JBOSS7_LINE)).toBeUndefined();
  });

  it('does not match continuation rows, which carry no prefix', () => {
    for (const layout of ['docs', 'jboss7', 'wildfly'] as const) {
      expect(messageOf(compileLayout(KNOWN_LAYOUTS[layout]), ROW_63)).toBeUndefined();
      expect(messageOf(compileLayout(KNOWN_LAYOUTS[layout]), 'OCSP REQUEST:')).toBeUndefined();
    }
  });
});

describe('compileLayout: conversions', () => {
  const wildfly = compileLayout(KNOWN_LAYOUTS.wildfly);

  it.each([
    'default task-3',
    'http-/0.0.0.0:8080-3',
    'ServerService Thread Pool -- 65',
    'Thread-1 (ActiveMQ-server-x)',
    'EJB default - 7',
  ])('takes thread names with spaces and parentheses: %s', (thread) => {
    const line = `2024-04-08 18:29:14,131 DEBUG [${TRX}] (${thread}) ${ROW_78}`;
    expect(message(wildfly, line)).toBe(ROW_78);
  });

  it('stops the thread at the first ") " so a message with parentheses stays whole', () => {
    const line = `2024-04-08 18:29:14,131 INFO  [org.ejbca.X] (default task-1) done (ok) here`;
    expect(message(wildfly, line)).toBe('done (ok) here');
  });

  it('captures other loggers so callers can skip them', () => {
    const line = '2024-04-08 18:29:14,131 INFO  [org.jboss.as] (MSC service thread 1-2) WFLYSRV0025: started';
    expect(messageOf(wildfly, line)?.category).toBe('org.jboss.as');
    expect(message(wildfly, line)).toBe('WFLYSRV0025: started');
  });

  it('pads %-5p on the right and %5p on the left, exactly', () => {
    const left = compileLayout('%-5p|%m');
    expect(message(left, 'INFO |x')).toBe('x');
    expect(message(left, 'DEBUG|x')).toBe('x');
    expect(messageOf(left, 'INFO|x')).toBeUndefined();
    expect(messageOf(left, 'INFO  |x')).toBeUndefined();
    const right = compileLayout('%5p|%m');
    expect(message(right, ' WARN|x')).toBe('x');
    expect(messageOf(right, 'WARN |x')).toBeUndefined();
    expect(messageOf(right, 'NOPE |x')).toBeUndefined();
  });

  it('accepts %c{1} (last component) and keeps the first %c as the category', () => {
    const short = compileLayout('%d{ABSOLUTE} %-5p [%c{1}] %m%n');
    expect(short.categoryGroup).toBe(1);
    const pos = messageOf(short, '13:28:55,130 DEBUG [TransactionLogger] abc');
    expect(pos?.category).toBe('TransactionLogger');
    expect(pos?.start).toBe(39);
  });

  it('supports %d{DATE}, %d{ISO8601}, quoted date literals, %x, %X{k}, %r, %%', () => {
    expect(message(compileLayout('%d{DATE} %m'), '21 Feb 2017 13:28:55,134 msg')).toBe('msg');
    expect(message(compileLayout('%d{ISO8601} %m'), '2017-02-21 13:28:55,134 msg')).toBe('msg');
    const iso = compileLayout("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %m");
    expect(message(iso, '2017-02-21T13:28:55.134+01:00 msg')).toBe('msg');
    const mdc = compileLayout('%r %% [%X{user}] <%x> %c - %m%n');
    expect(message(mdc, '1234 % [] <> a.b.C - hi')).toBe('hi');
    expect(messageOf(mdc, '1234 % [bob] <ndc one> a.b.C - hi')?.category).toBe('a.b.C');
  });

  it('escapes regex characters in literal text', () => {
    const odd = compileLayout('(*) [%p] +%m');
    expect(message(odd, '(*) [INFO] +x')).toBe('x');
    expect(messageOf(odd, '(x) [INFO] +x')).toBeUndefined();
  });

  it('does not match lines whose prefix is wrong', () => {
    const docs = compileLayout(KNOWN_LAYOUTS.docs);
    expect(messageOf(docs, `2017-02-21 13:28:55 DEBUG [${TRX}] x`)).toBeUndefined();
    expect(messageOf(docs, `2017-02-21 13:28:55,134 NOTICE [${TRX}] x`)).toBeUndefined();
    expect(messageOf(docs, `2017-02-21 13:28:55,134 DEBUG ${TRX} x`)).toBeUndefined();
    expect(messageOf(docs, '')).toBeUndefined();
  });

  it('rejects layouts it cannot use', () => {
    expect(() => compileLayout('%d %p')).toThrow(/no %m/);
    expect(() => compileLayout('%d%n%m')).toThrow(/%n before the message/);
    expect(() => compileLayout('%Q %m')).toThrow(/Unsupported conversion %Q/);
    expect(() => compileLayout('%m [%t]%n')).toThrow(/after the message/);
  });
});

describe('detectLayout', () => {
  const other = '2024-04-08 18:29:14,131 INFO  [org.jboss.as] (MSC service thread 1-2) started';

  it('picks wildfly over the shorter docs prefix that also matches', () => {
    const layout = detectLayout([other, WILDFLY_LINE, ROW_78, WILDFLY_LINE], LOGGERS);
    expect(layout.pattern).toBe(KNOWN_LAYOUTS.wildfly);
  });

  it('picks docs, jboss7, and the ≤4.x category', () => {
    expect(detectLayout([DOCS_LINE, ROW_63, AUDIT_LINE], LOGGERS).pattern).toBe(KNOWN_LAYOUTS.docs);
    expect(detectLayout([JBOSS7_LINE, ROW_63], LOGGERS).pattern).toBe(KNOWN_LAYOUTS.jboss7);
    const old = `2010-01-02 03:04:05,006 DEBUG [${OLD_TRX}] ${ROW_63}`;
    expect(detectLayout([old], LOGGERS).pattern).toBe(KNOWN_LAYOUTS.docs);
  });

  it('ignores lines of other loggers', () => {
    expect(detectLayout([other, other], LOGGERS).pattern).toBe(KNOWN_LAYOUTS.bare);
  });

  it('falls back to bare when nothing matches', () => {
    const layout = detectLayout([ROW_78, ROW_63], LOGGERS);
    expect(layout.pattern).toBe(KNOWN_LAYOUTS.bare);
    expect(layout.hasPrefix).toBe(false);
    expect(detectLayout([], LOGGERS).hasPrefix).toBe(false);
  });
});
