import { describe, expect, it } from 'vitest';
import {
  AUDIT_ORDER_DEFAULTS,
  AUDIT_VARIABLES,
  TRX_ORDER_DEFAULTS,
  TRX_VARIABLES,
  compileOrder,
  settingsFromProperties,
  type CompiledOrder,
} from '../../../src/formats/ejbca/order.js';
import { parseJavaProperties } from '../../../src/formats/ejbca/properties.js';

/** Re-expands a compiled order with `${NAME}`, which must give back the source. */
function expand(c: CompiledOrder): string {
  return c.fields.reduce((s, f, i) => `${s}\${${f}}${c.literals[i + 1]!}`, c.literals[0]!);
}

describe('order defaults (spec §2.1–2.3)', () => {
  it('has the exact trx strings per era', () => {
    const base =
      '${SESSION_ID};${LOG_ID};${STATUS};${REQ_NAME}"${CLIENT_IP}";"${SIGN_ISSUER_NAME_DN}";"${SIGN_SUBJECT_NAME}";${SIGN_SERIAL_NO};"${LOG_TIME}";${REPLY_TIME};${NUM_CERT_ID};0;0;0;0;0;0;0;"${ISSUER_NAME_DN}";${ISSUER_NAME_HASH};${ISSUER_KEY};${DIGEST_ALGOR};${SERIAL_NOHEX};${CERT_STATUS}';
    expect(TRX_ORDER_DEFAULTS['6.0-6.3']).toBe(base);
    expect(TRX_ORDER_DEFAULTS['6.3.3-7.8.0']).toBe(`${base};\${CERT_PROFILE_ID};\${FORWARDED_FOR}`);
    expect(TRX_ORDER_DEFAULTS['sample-process-time']).toBe(
      '${SESSION_ID};${LOG_ID};${STATUS};${REQ_NAME}"${CLIENT_IP}";"${SIGN_ISSUER_NAME_DN}";"${SIGN_SUBJECT_NAME}";${SIGN_SERIAL_NO};"${LOG_TIME}";${REPLY_TIME};${PROCESS_TIME};${NUM_CERT_ID};0;0;0;0;0;0;0;"${ISSUER_NAME_DN}";${ISSUER_NAME_HASH};${ISSUER_KEY};${DIGEST_ALGOR};${SERIAL_NOHEX};${CERT_STATUS};${CERT_PROFILE_ID};${FORWARDED_FOR}',
    );
    expect(TRX_ORDER_DEFAULTS['7.8.1+']).toBe(
      '${SESSION_ID};${LOG_ID};${STATUS};${REQ_NAME}"${CLIENT_IP}";"${SIGN_ISSUER_NAME_DN}";"${SIGN_SUBJECT_NAME}";${SIGN_SERIAL_NO};"${LOG_TIME}";${REPLY_TIME};${NUM_CERT_ID};0;0;0;0;0;0;0;"${ISSUER_NAME_DN}";${ISSUER_NAME_HASH};${ISSUER_KEY};"${OCSP_CERT_ISSUER_NAME_DN}";${DIGEST_ALGOR};${SERIAL_NOHEX};${CERT_STATUS};${CERT_PROFILE_ID};${FORWARDED_FOR}',
    );
  });

  it('has the audit strings: LF forms and the one-line 7.8+ form', () => {
    expect(AUDIT_ORDER_DEFAULTS.properties).toBe(
      'SESSION_ID:${SESSION_ID};LOG ID:${LOG_ID};"${LOG_TIME}";TIME TO PROCESS:${REPLY_TIME};\nOCSP REQUEST:\n"${OCSPREQUEST}";\nOCSP RESPONSE:\n"${OCSPRESPONSE}";\nSTATUS:${STATUS}',
    );
    expect(AUDIT_ORDER_DEFAULTS.properties.split('\n')).toHaveLength(6);
    expect(AUDIT_ORDER_DEFAULTS['sample-process-time']).toBe(
      'SESSION_ID:${SESSION_ID};LOG ID:${LOG_ID};"${LOG_TIME}";REPLY TIME:${REPLY_TIME};\nTIME TO PROCESS:${PROCESS_TIME};\nOCSP REQUEST:\n"${OCSPREQUEST}";\nOCSP RESPONSE:\n"${OCSPRESPONSE}";\nSTATUS:${STATUS}',
    );
    expect(AUDIT_ORDER_DEFAULTS['sample-process-time'].split('\n')).toHaveLength(7);
    const oneLine = AUDIT_ORDER_DEFAULTS['7.8+'];
    expect(oneLine).not.toContain('\n');
    expect(oneLine.split('\\n')).toHaveLength(6);
    expect(oneLine).toBe(
      'SESSION_ID:${SESSION_ID};LOG ID:${LOG_ID};"${LOG_TIME}";TIME TO PROCESS:${REPLY_TIME};\\nOCSP REQUEST:\\n"${OCSPREQUEST}";\\nOCSP RESPONSE:\\n"${OCSPRESPONSE}";\\nSTATUS:${STATUS}',
    );
  });

  it('knows every variable the defaults use', () => {
    for (const order of Object.values(TRX_ORDER_DEFAULTS)) {
      expect(compileOrder(order, TRX_VARIABLES).literals.join('')).not.toContain('${');
    }
    for (const order of Object.values(AUDIT_ORDER_DEFAULTS)) {
      expect(compileOrder(order, AUDIT_VARIABLES).literals.join('')).not.toContain('${');
    }
  });
});

describe('compileOrder', () => {
  it('splits the 6.3.3–7.8.0 default into 19 fields and 20 literals', () => {
    const c = compileOrder(TRX_ORDER_DEFAULTS['6.3.3-7.8.0'], TRX_VARIABLES);
    expect(c.fields).toHaveLength(19);
    expect(c.literals).toHaveLength(20);
    expect(c.literals[0]).toBe('');
    expect(c.fields.slice(0, 5)).toEqual(['SESSION_ID', 'LOG_ID', 'STATUS', 'REQ_NAME', 'CLIENT_IP']);
    expect(c.literals[4]).toBe('"'); // REQ_NAME"CLIENT_IP: glued by a quote only
    expect(c.literals[11]).toBe(';0;0;0;0;0;0;0;"');
    expect(c.literals[19]).toBe('');
    expect(expand(c)).toBe(c.source);
  });

  it('finds its literals in order in the spec §7.3 row (7.8.1+ default)', () => {
    const row =
      'c0ffee12ac1f00087a6b2d1e04c9e3b5;57;0;0"10.1.2.3";"0";"0";0;"2024-04-08 16:29:14.123+0000";7;1;0;0;0;0;0;0;0;"CN=ManagementCA,O=EJBCA Sample,C=SE";a9d7641581b76da92fcd48afa8fcb1e81af04f25;6faee9603858141d52e86c3c24dd3f609604265d;"CN=ManagementCA,O=EJBCA Sample,C=SE";1.3.14.3.2.26;008a3f1c2d4e5f60718293;0;1;198.51.100.7';
    const c = compileOrder(TRX_ORDER_DEFAULTS['7.8.1+'], TRX_VARIABLES);
    const values: string[] = [];
    let pos = 0;
    for (let i = 0; i < c.fields.length; i++) {
      const next = c.literals[i + 1]!;
      const end = next === '' ? row.length : row.indexOf(next, pos + 1);
      values.push(row.slice(pos, end));
      pos = end + next.length;
    }
    const byName = Object.fromEntries(c.fields.map((f, i) => [f, values[i]]));
    expect(byName['CLIENT_IP']).toBe('10.1.2.3');
    expect(byName['LOG_TIME']).toBe('2024-04-08 16:29:14.123+0000');
    expect(byName['OCSP_CERT_ISSUER_NAME_DN']).toBe('CN=ManagementCA,O=EJBCA Sample,C=SE');
    expect(byName['SERIAL_NOHEX']).toBe('008a3f1c2d4e5f60718293');
    expect(byName['FORWARDED_FOR']).toBe('198.51.100.7');
  });

  it('splits the one-line audit order, keeping backslash-n in the literals', () => {
    const c = compileOrder(AUDIT_ORDER_DEFAULTS['7.8+'], AUDIT_VARIABLES);
    expect(c.fields).toEqual(['SESSION_ID', 'LOG_ID', 'LOG_TIME', 'REPLY_TIME', 'OCSPREQUEST', 'OCSPRESPONSE', 'STATUS']);
    expect(c.literals[4]).toBe(';\\nOCSP REQUEST:\\n"');
    expect(c.literals[7]).toBe('');
  });

  it('folds unknown ${NAME} into the literal text, as EJBCA logs it verbatim', () => {
    const c = compileOrder('${SESSION_ID};${SERIAL_NO};${LOG_ID}', TRX_VARIABLES);
    expect(c.fields).toEqual(['SESSION_ID', 'LOG_ID']);
    expect(c.literals).toEqual(['', ';${SERIAL_NO};', '']);
  });

  it('treats audit-only names as unknown for the trx logger and vice versa', () => {
    expect(compileOrder('${OCSPREQUEST};${STATUS}', TRX_VARIABLES).fields).toEqual(['STATUS']);
    expect(compileOrder('${CLIENT_IP};${STATUS}', AUDIT_VARIABLES).fields).toEqual(['STATUS']);
  });

  it('allows an unknown variable between two fields, and repeated fields', () => {
    expect(compileOrder('${STATUS}${NOPE}${LOG_ID}', TRX_VARIABLES).literals).toEqual(['', '${NOPE}', '']);
    expect(compileOrder('${STATUS};${STATUS}', TRX_VARIABLES).fields).toEqual(['STATUS', 'STATUS']);
  });

  it('rejects adjacent fields, naming both', () => {
    expect(() => compileOrder('${STATUS};${REQ_NAME}${CLIENT_IP}', TRX_VARIABLES)).toThrow(
      /REQ_NAME.*CLIENT_IP/,
    );
  });

  it('returns one empty literal for an order without fields', () => {
    expect(compileOrder('hello', TRX_VARIABLES)).toEqual({ source: 'hello', literals: ['hello'], fields: [] });
  });

  it('accepts other Java patterns', () => {
    const percent = compileOrder('%STATUS%;%LOG_ID%', TRX_VARIABLES, '%(\\w+?)%');
    expect(percent.fields).toEqual(['STATUS', 'LOG_ID']);
    expect(percent.literals).toEqual(['', ';', '']);
    const quoted = compileOrder('${STATUS}|${LOG_ID}', TRX_VARIABLES, '\\Q${\\E([A-Z_]++)\\Q}\\E');
    expect(quoted.fields).toEqual(['STATUS', 'LOG_ID']);
    const named = compileOrder('[STATUS] [LOG_ID]', TRX_VARIABLES, '\\[(?<name>[A-Z_]+)\\]');
    expect(named.literals).toEqual(['', ' ', '']);
  });

  it('rejects a pattern without a capture group, or one JS cannot run', () => {
    expect(() => compileOrder('${STATUS}', TRX_VARIABLES, '\\$\\{.+?\\}')).toThrow(/capture group/);
    expect(() => compileOrder('${STATUS}', TRX_VARIABLES, '\\$\\{(?:.+?)\\}')).toThrow(/capture group/);
    expect(() => compileOrder('x', TRX_VARIABLES, '([a-z&&[^x]])')).toThrow(/Unsupported/);
  });
});

describe('settingsFromProperties', () => {
  it('reads every key and removes remaining \\" from the orders', () => {
    const props = new Map([
      ['ocsp.trx-log-order', '${STATUS};\\"${CLIENT_IP}\\"'],
      ['ocsp.trx-log-pattern', '\\$\\{(.+?)\\}'],
      ['ocsp.audit-log-order', 'STATUS:\\"${STATUS}\\"'],
      ['ocsp.audit-log-pattern', '\\$\\{(.+?)\\}'],
      ['ocsp.log-date', 'yyyy-MM-dd HH:mm:ss.SSSZ'],
      ['ocsp.log-timezone', 'Europe/Stockholm'],
    ]);
    expect(settingsFromProperties(props)).toEqual({
      trxOrder: '${STATUS};"${CLIENT_IP}"',
      trxPattern: '\\$\\{(.+?)\\}',
      auditOrder: 'STATUS:"${STATUS}"',
      auditPattern: '\\$\\{(.+?)\\}',
      logDate: 'yyyy-MM-dd HH:mm:ss.SSSZ',
      logTimeZone: 'Europe/Stockholm',
    });
  });

  it('leaves absent keys out', () => {
    expect(settingsFromProperties(new Map([['ocsp.trx-log', 'true']]))).toEqual({});
  });

  it('falls back to ocsp.trx-log-log-date only when ocsp.log-date is absent', () => {
    const old = new Map([['ocsp.trx-log-log-date', 'yyyy-MM-dd']]);
    expect(settingsFromProperties(old).logDate).toBe('yyyy-MM-dd');
    old.set('ocsp.log-date', 'HH:mm');
    expect(settingsFromProperties(old).logDate).toBe('HH:mm');
  });

  it('trims values as commons-configuration does', () => {
    const props = parseJavaProperties('ocsp.log-date = yyyy-MM-dd   \nocsp.trx-log-order=${STATUS}\\n\n');
    expect(settingsFromProperties(props)).toEqual({ logDate: 'yyyy-MM-dd', trxOrder: '${STATUS}' });
  });

  it('gives the 6-line audit order from an escaped ocsp.properties line', () => {
    const props = parseJavaProperties(
      'ocsp.audit-log-order = SESSION_ID:${SESSION_ID};LOG ID:${LOG_ID};"${LOG_TIME}";TIME TO PROCESS:${REPLY_TIME};\\nOCSP REQUEST:\\n"${OCSPREQUEST}";\\nOCSP RESPONSE:\\n"${OCSPRESPONSE}";\\nSTATUS:${STATUS}',
    );
    expect(settingsFromProperties(props).auditOrder).toBe(AUDIT_ORDER_DEFAULTS.properties);
  });
});
