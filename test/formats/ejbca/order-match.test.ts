import { describe, expect, it } from 'vitest';
import { splitOrder } from '../../../src/formats/ejbca/order-match.js';

/** The fields of `text` split at `literals`, or the error. */
function split(text: string, literals: string[]): string[] | string {
  const bytes = Buffer.from(text, 'latin1');
  const spans = new Int32Array(2 * (literals.length - 1));
  const error = splitOrder(bytes, literals.map((l) => Buffer.from(l, 'latin1')), spans);
  if (error) return error;
  return Array.from({ length: literals.length - 1 }, (_, f) => bytes.toString('latin1', spans[2 * f]!, spans[2 * f + 1]!));
}

describe('splitOrder', () => {
  const order = ['SESSION_ID:', ';LOG ID:', ';\nSTATUS:', ''];

  it('splits at the first occurrence of each middle separator; the last closes the text', () => {
    expect(split('SESSION_ID:ab;LOG ID:7;\nSTATUS:0', order)).toEqual(['ab', '7', '0']);
    expect(split('<a;b>', ['<', ';', '>'])).toEqual(['a', 'b']);
    expect(split('<a;b;c>', ['<', ';', '>'])).toEqual(['a', 'b;c']);
  });

  it('garbage when the text does not open like the order or its first field never ends', () => {
    expect(split('LOG ID:7', order)).toBe('garbage');
    expect(split('SESSION_ID:ab', order)).toBe('garbage');
  });

  it('truncated when a later separator is missing', () => {
    expect(split('SESSION_ID:ab;LOG ID:7', order)).toBe('truncated');
    expect(split('<a;b', ['<', ';', '>'])).toBe('truncated');
  });

  it('the closing separator must not overlap the one before', () => {
    expect(split('<a;>', ['<', ';', ';>'])).toBe('truncated');
  });

  it('an order without fields must be the whole text', () => {
    expect(split('hello', ['hello'])).toEqual([]);
    expect(split('hello!', ['hello'])).toBe('garbage');
  });
});
