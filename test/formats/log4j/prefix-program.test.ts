import { describe, expect, it } from 'vitest';
import { compilePrefixProgram, fixedDateWidth, printedCategory } from '../../../src/formats/log4j/prefix-program.js';
import { PrefixOp } from '../../../src/formats/pattern-spec.js';

describe('log4j ConversionPattern → prefix program', () => {
  it('compiles the docs layout: fixed-width ISO date, padded level, category', () => {
    const p = compilePrefixProgram('%d %-5p [%c] %m%n');
    expect(p.steps).toEqual([
      { op: PrefixOp.Skip, count: 23, text: '' },
      { op: PrefixOp.Literal, count: 0, text: ' ' },
      { op: PrefixOp.SkipUntil, count: 0, text: ' [' },
      { op: PrefixOp.CategoryUntil, count: 0, text: '] ' },
    ]);
    expect(p.suffix).toBe('');
  });

  it('compiles WildFly and JBoss 7 layouts with threads, and %c{n}', () => {
    const wildfly = compilePrefixProgram('%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n');
    expect(wildfly.steps.at(-1)).toEqual({ op: PrefixOp.SkipUntil, count: 0, text: ') ' });
    const jboss = compilePrefixProgram('%d{HH:mm:ss,SSS} %-5p [%c{1}] (%t) %s%E%n');
    expect(jboss.steps[0]).toEqual({ op: PrefixOp.Skip, count: 12, text: '' });
    expect(jboss.category.option).toBe('1');
    expect(printedCategory('org.cesecore.certificates.ocsp.logging.TransactionLogger', jboss.category)).toBe('TransactionLogger');
  });

  it("prints a logger as %c's option and format modifier say: {n}, {-n}, {n.}, padding and a maximum", () => {
    const logger = 'org.cesecore.certificates.ocsp.logging.TransactionLogger';
    const printed = (layout: string): string => printedCategory(logger, compilePrefixProgram(layout).category);
    expect(printed('%d [%c] %m%n')).toBe(logger);
    expect(printed('%d [%c{2}] %m%n')).toBe('logging.TransactionLogger');
    expect(printed('%d [%c{-4}] %m%n')).toBe('logging.TransactionLogger');
    expect(printed('%d [%c{1.}] %m%n')).toBe('o.c.c.o.l.TransactionLogger');
    expect(printed('%d [%-20c{1}] %m%n')).toBe('TransactionLogger   ');
    expect(printed('%d [%20c{1}] %m%n')).toBe('   TransactionLogger');
    expect(printed('%d [%.11c{1}] %m%n')).toBe('ctionLogger');
  });

  it('skips a date of varying width past the copies of the next literal it prints itself', () => {
    // Z prints five characters: a fixed width again.
    expect(compilePrefixProgram('%d{yyyy-MM-dd HH:mm:ss,SSS Z} %m%n').steps[0]).toEqual({ op: PrefixOp.Skip, count: 29, text: '' });
    const named = compilePrefixProgram('%d{yyyy-MM-dd HH:mm:ss z} %m%n').steps;
    expect(named).toEqual([
      { op: PrefixOp.SkipUntil, count: 0, text: ' ' },
      { op: PrefixOp.SkipUntil, count: 0, text: ' ' },
      { op: PrefixOp.SkipUntil, count: 0, text: ' ' },
    ]);
  });

  it('keeps text after the message as the suffix, and bare layouts have no steps', () => {
    expect(compilePrefixProgram('%m %n')).toMatchObject({ steps: [], suffix: ' ', hasCategory: false });
  });

  it('knows which date formats have a fixed width', () => {
    expect(fixedDateWidth("yyyy-MM-dd'T'HH:mm:ss.SSS")).toBe(23);
    expect(fixedDateWidth('dd MMM yyyy HH:mm:ss,SSS')).toBe(24);
    expect(fixedDateWidth('EEE MMM d')).toBeUndefined();
  });

  it('rejects layouts it cannot read', () => {
    expect(() => compilePrefixProgram('%d %p')).toThrow(/no %m/);
    expect(() => compilePrefixProgram('%t%c %m')).toThrow(/not followed by literal text/);
  });
});
