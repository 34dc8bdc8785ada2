import { describe, expect, it } from 'vitest';
import { parseJavaProperties } from '../../../src/formats/ejbca/properties.js';
import { AUDIT_ORDER_DEFAULTS, TRX_ORDER_DEFAULTS } from '../../../src/formats/ejbca/order.js';

/** src/java/defaultvalues.properties, byte for byte (spec §2.1); JS escapes doubled. */
const DEFAULT_VALUES = [
  'ocsp.trx-log=false',
  'ocsp.trx-log-pattern=\\\\$\\\\{(.+?)\\\\}',
  'ocsp.trx-log-order=${SESSION_ID};${LOG_ID};${STATUS};${REQ_NAME}\\"${CLIENT_IP}\\";\\"${SIGN_ISSUER_NAME_DN}\\";\\"${SIGN_SUBJECT_NAME}\\";${SIGN_SERIAL_NO};\\"${LOG_TIME}\\";${REPLY_TIME};${NUM_CERT_ID};0;0;0;0;0;0;0;\\"${ISSUER_NAME_DN}\\";${ISSUER_NAME_HASH};${ISSUER_KEY};${DIGEST_ALGOR};${SERIAL_NOHEX};${CERT_STATUS};${CERT_PROFILE_ID};${FORWARDED_FOR}',
  'ocsp.audit-log=false',
  'ocsp.audit-log-pattern=\\\\$\\\\{(.+?)\\\\}',
  'ocsp.audit-log-order=SESSION_ID:${SESSION_ID};LOG ID:${LOG_ID};\\"${LOG_TIME}\\";TIME TO PROCESS:${REPLY_TIME};\\nOCSP REQUEST:\\n\\"${OCSPREQUEST}\\";\\nOCSP RESPONSE:\\n\\"${OCSPRESPONSE}\\";\\nSTATUS:${STATUS}',
  'ocsp.log-date=yyyy-MM-dd:HH:mm:ss:z',
  'ocsp.log-timezone=GMT',
  'ocsp.log-safer=false',
  '',
].join('\n');

describe('parseJavaProperties: EJBCA defaultvalues.properties', () => {
  const props = parseJavaProperties(DEFAULT_VALUES);

  it('decodes the regex pattern to \\$\\{(.+?)\\}', () => {
    expect(props.get('ocsp.trx-log-pattern')).toBe('\\$\\{(.+?)\\}');
    expect(props.get('ocsp.audit-log-pattern')).toBe('\\$\\{(.+?)\\}');
  });

  it('turns \\" into " in the trx order', () => {
    expect(props.get('ocsp.trx-log-order')).toBe(TRX_ORDER_DEFAULTS['6.3.3-7.8.0']);
    expect(props.get('ocsp.trx-log-order')).not.toContain('\\');
  });

  it('turns \\n into a real LF in the audit order (6 physical lines)', () => {
    const audit = props.get('ocsp.audit-log-order')!;
    expect(audit).toBe(AUDIT_ORDER_DEFAULTS.properties);
    expect(audit.split('\n')).toHaveLength(6);
  });

  it('reads the plain keys', () => {
    expect(props.get('ocsp.log-date')).toBe('yyyy-MM-dd:HH:mm:ss:z');
    expect(props.get('ocsp.log-timezone')).toBe('GMT');
    expect(props.size).toBe(9);
  });
});

describe('parseJavaProperties: java.util.Properties.load rules', () => {
  it('skips # and ! comments and blank lines, even indented ones', () => {
    const p = parseJavaProperties('# c\n  ! c2\n\n   \t\na=1\n');
    expect([...p]).toEqual([['a', '1']]);
  });

  it('accepts =, : and whitespace as separators, with whitespace around', () => {
    const p = parseJavaProperties('a=1\nb:2\nc 3\nd = 4\ne\t:\t5\nf   6\ng\n');
    expect(Object.fromEntries(p)).toEqual({ a: '1', b: '2', c: '3', d: '4', e: '5', f: '6', g: '' });
  });

  it('takes only one separator: the rest belongs to the value', () => {
    const p = parseJavaProperties('a==b\nc = :d\ne:=f\n');
    expect(Object.fromEntries(p)).toEqual({ a: '=b', c: ':d', e: '=f' });
  });

  it('keeps trailing whitespace of values', () => {
    expect(parseJavaProperties('a = x  \n').get('a')).toBe('x  ');
  });

  it('decodes escapes, \\uXXXX and unknown \\x as x', () => {
    const p = parseJavaProperties(String.raw`a=\t\n\r\f\\\"\'\=\:\#\q\u00e9\u20AC`);
    expect(p.get('a')).toBe('\t\n\r\f\\"\'=:#qé€');
  });

  it('rejects a malformed \\u escape', () => {
    expect(() => parseJavaProperties(String.raw`a=\u12g4`)).toThrow(/Malformed/);
  });

  it('allows escaped separators in keys', () => {
    const p = parseJavaProperties(String.raw`key\=with\:sep\ and\ space = v`);
    expect(p.get('key=with:sep and space')).toBe('v');
  });

  it('continues lines ending in an odd number of backslashes, skipping leading whitespace', () => {
    const p = parseJavaProperties('a = one \\\n     two\\\n\tthree\nb = x\\\\\nc = y\\\\\\\n  z\n');
    expect(p.get('a')).toBe('one twothree');
    expect(p.get('b')).toBe('x\\');
    expect(p.get('c')).toBe('y\\z');
  });

  it('does not treat a continued line starting with # as a comment', () => {
    expect(parseJavaProperties('a = 1\\\n  # 2\n').get('a')).toBe('1# 2');
  });

  it('does not continue comment lines', () => {
    expect(Object.fromEntries(parseJavaProperties('# c \\\nb=1\n'))).toEqual({ b: '1' });
  });

  it('ends a continuation at an empty line and at end of input', () => {
    expect(Object.fromEntries(parseJavaProperties('a=1\\\n\nb=2\\'))).toEqual({ a: '1', b: '2' });
  });

  it('handles CRLF and CR line ends', () => {
    expect(Object.fromEntries(parseJavaProperties('a=1\r\nb=2\rc=3\\\r\n  4'))).toEqual({
      a: '1',
      b: '2',
      c: '34',
    });
  });

  it('lets the last duplicate win', () => {
    expect(parseJavaProperties('a=1\na=2\n').get('a')).toBe('2');
  });

  it('reads the uncommented sample line with spaces around =', () => {
    const line =
      'ocsp.trx-log-order = ${SESSION_ID};${LOG_ID};${STATUS};${REQ_NAME}"${CLIENT_IP}";"${SIGN_ISSUER_NAME_DN}";"${SIGN_SUBJECT_NAME}";${SIGN_SERIAL_NO};"${LOG_TIME}";${REPLY_TIME};${PROCESS_TIME};${NUM_CERT_ID};0;0;0;0;0;0;0;"${ISSUER_NAME_DN}";${ISSUER_NAME_HASH};${ISSUER_KEY};${DIGEST_ALGOR};${SERIAL_NOHEX};${CERT_STATUS};${CERT_PROFILE_ID};${FORWARDED_FOR}';
    expect(parseJavaProperties(line).get('ocsp.trx-log-order')).toBe(TRX_ORDER_DEFAULTS['sample-process-time']);
  });
});
