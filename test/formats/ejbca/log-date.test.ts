import { describe, expect, it } from 'vitest';
import { compileJavaDateFormat } from '../../../src/formats/ejbca/log-date.js';

const utc = (iso: string): number => Date.parse(iso);

describe('compileJavaDateFormat: EJBCA defaults (spec §3.4, §7)', () => {
  it('parses the properties-era default yyyy-MM-dd:HH:mm:ss:z', () => {
    const parse = compileJavaDateFormat('yyyy-MM-dd:HH:mm:ss:z', 'GMT');
    expect(parse('2017-02-21:12:28:55:GMT')).toBe(utc('2017-02-21T12:28:55Z'));
  });

  it('parses the DB-era default yyyy-MM-dd HH:mm:ss.SSSZ', () => {
    const parse = compileJavaDateFormat('yyyy-MM-dd HH:mm:ss.SSSZ', 'GMT');
    expect(parse('2024-04-08 16:29:14.123+0000')).toBe(utc('2024-04-08T16:29:14.123Z'));
    expect(parse('2024-04-08 18:29:14.123+0200')).toBe(utc('2024-04-08T16:29:14.123Z'));
    expect(parse('2024-04-08 11:29:14.123-0500')).toBe(utc('2024-04-08T16:29:14.123Z'));
  });

  it('rejects impossible dates and times', () => {
    const parse = compileJavaDateFormat('yyyy-MM-dd:HH:mm:ss:z', 'GMT');
    expect(parse('2017-13-21:12:28:55:GMT')).toBeNaN();
    expect(parse('2017-02-30:12:28:55:GMT')).toBeNaN();
    expect(parse('2017-02-29:12:28:55:GMT')).toBeNaN();
    expect(parse('2016-02-29:12:28:55:GMT')).toBe(utc('2016-02-29T12:28:55Z'));
    expect(parse('2017-02-00:12:28:55:GMT')).toBeNaN();
    expect(parse('2017-02-21:24:28:55:GMT')).toBeNaN();
    expect(parse('2017-02-21:12:60:55:GMT')).toBeNaN();
  });

  it('is strict about widths and the whole text', () => {
    const parse = compileJavaDateFormat('yyyy-MM-dd HH:mm:ss.SSSZ', 'GMT');
    expect(parse('2024-4-08 16:29:14.123+0000')).toBeNaN();
    expect(parse('24-04-08 16:29:14.123+0000')).toBeNaN();
    expect(parse('2024-04-08 16:29:14.12+0000')).toBeNaN();
    expect(parse('2024-04-08 16:29:14.123+0000 ')).toBeNaN();
    expect(parse('')).toBeNaN();
  });
});

describe('compileJavaDateFormat: zones in the text', () => {
  // No zone configured (GMT): a name is read as what it most often means.
  const z = compileJavaDateFormat('yyyy-MM-dd HH:mm:ss z', 'GMT');
  it.each([
    ['GMT', '2020-06-01T12:00:00Z'],
    ['UTC', '2020-06-01T12:00:00Z'],
    ['GMT+01:00', '2020-06-01T11:00:00Z'],
    ['GMT-0530', '2020-06-01T17:30:00Z'],
    ['GMT+2', '2020-06-01T10:00:00Z'],
    ['CET', '2020-06-01T11:00:00Z'],
    ['CEST', '2020-06-01T10:00:00Z'],
    ['EEST', '2020-06-01T09:00:00Z'],
    ['WET', '2020-06-01T12:00:00Z'],
    ['EST', '2020-06-01T17:00:00Z'],
    ['PDT', '2020-06-01T19:00:00Z'],
    ['JST', '2020-06-01T03:00:00Z'],
    ['+0100', '2020-06-01T11:00:00Z'],
  ])('z accepts %s', (zone, iso) => {
    expect(z(`2020-06-01 12:00:00 ${zone}`)).toBe(utc(iso));
  });

  it('z rejects unknown abbreviations and out-of-range offsets', () => {
    expect(z('2020-06-01 12:00:00 XYZ')).toBeNaN();
    expect(z('2020-06-01 12:00:00 GMT+25:00')).toBeNaN();
  });

  it('Z accepts RFC 822 offsets only', () => {
    const parse = compileJavaDateFormat('HH:mm Z', 'GMT');
    expect(parse('00:00 -0530')).toBe(utc('1970-01-01T05:30:00Z'));
    expect(parse('00:00 GMT')).toBeNaN();
  });

  it.each([
    ['Z', 0],
    ['+01', -60],
    ['+0100', -60],
    ['+01:00', -60],
    ['-05:30', 330],
  ])('X accepts %s', (zone, minutes) => {
    const parse = compileJavaDateFormat("yyyy-MM-dd'T'HH:mm:ssX", 'Europe/Stockholm');
    expect(parse(`2020-06-01T12:00:00${zone}`)).toBe(utc('2020-06-01T12:00:00Z') + minutes * 60_000);
  });
});

describe('compileJavaDateFormat: the configured zone', () => {
  const at = (zone: string, text = '2020-06-01 12:00:00'): number =>
    compileJavaDateFormat('yyyy-MM-dd HH:mm:ss', zone)(text);

  it('applies GMT, UTC and custom GMT offsets', () => {
    expect(at('GMT')).toBe(utc('2020-06-01T12:00:00Z'));
    expect(at('UTC')).toBe(utc('2020-06-01T12:00:00Z'));
    expect(at('GMT+2')).toBe(utc('2020-06-01T10:00:00Z'));
    expect(at('GMT-05:30')).toBe(utc('2020-06-01T17:30:00Z'));
    expect(at('GMT+0130')).toBe(utc('2020-06-01T10:30:00Z'));
  });

  it('applies IANA zones with their daylight saving time', () => {
    expect(at('Europe/Stockholm')).toBe(utc('2020-06-01T10:00:00Z'));
    expect(at('Europe/Stockholm', '2020-01-15 12:00:00')).toBe(utc('2020-01-15T11:00:00Z'));
    expect(at('America/New_York', '2020-01-15 12:00:00')).toBe(utc('2020-01-15T17:00:00Z'));
    expect(at('Asia/Kolkata')).toBe(utc('2020-06-01T06:30:00Z'));
  });

  it("maps Java's old short ids", () => {
    expect(at('PST', '2020-01-15 12:00:00')).toBe(utc('2020-01-15T20:00:00Z'));
    expect(at('ECT', '2020-01-15 12:00:00')).toBe(utc('2020-01-15T11:00:00Z'));
  });

  it('treats unknown ids as GMT, as TimeZone.getTimeZone does', () => {
    expect(at('Mars/Olympus')).toBe(utc('2020-06-01T12:00:00Z'));
    expect(at('UTC+2')).toBe(utc('2020-06-01T12:00:00Z'));
    expect(at('europe/stockholm')).toBe(utc('2020-06-01T12:00:00Z'));
    expect(at('GMT+24')).toBe(utc('2020-06-01T12:00:00Z'));
    expect(at('sun.util.calendar.ZoneInfo[id="Europe/Stockholm",offset=3600000]')).toBe(
      utc('2020-06-01T12:00:00Z'),
    );
  });

  it('lets an offset or GMT in the text win over the configured zone', () => {
    const parse = compileJavaDateFormat('yyyy-MM-dd:HH:mm:ss:z', 'Europe/Stockholm');
    expect(parse('2017-02-21:12:28:55:GMT')).toBe(utc('2017-02-21T12:28:55Z'));
    expect(parse('2017-02-21:12:28:55:GMT+03:00')).toBe(utc('2017-02-21T09:28:55Z'));
  });

  it("reads a zone's name in the zone configured, as the responder printed it (CST in China, BST in London)", () => {
    const at = (zone: string, text: string): number => compileJavaDateFormat('yyyy-MM-dd:HH:mm:ss:z', zone)(text);
    expect(at('Asia/Shanghai', '2024-07-01:07:30:00:CST')).toBe(utc('2024-06-30T23:30:00Z'));
    expect(at('America/Chicago', '2024-01-10:07:30:00:CST')).toBe(utc('2024-01-10T13:30:00Z'));
    expect(at('Europe/London', '2024-07-01:00:30:00:BST')).toBe(utc('2024-06-30T23:30:00Z'));
    expect(at('Asia/Kolkata', '2024-07-01:05:30:00:IST')).toBe(utc('2024-07-01T00:00:00Z'));
    expect(at('Europe/Stockholm', '2020-06-01:12:00:00:CEST')).toBe(utc('2020-06-01T10:00:00Z'));
    const long = compileJavaDateFormat('yyyy-MM-dd HH:mm:ss zzzz', 'Europe/Berlin');
    expect(long('2024-01-10 12:00:00 Central European Standard Time')).toBe(utc('2024-01-10T11:00:00Z'));
  });

  it('tells the repeated hour of autumn apart by the name printed', () => {
    const parse = compileJavaDateFormat('yyyy-MM-dd HH:mm:ss z', 'Europe/Stockholm');
    expect(parse('2020-10-25 02:30:00 CEST')).toBe(utc('2020-10-25T00:30:00Z'));
    expect(parse('2020-10-25 02:30:00 CET')).toBe(utc('2020-10-25T01:30:00Z'));
  });
});

describe('compileJavaDateFormat: other letters and literals', () => {
  it('handles h with a, quoted literals and doubled quotes', () => {
    const parse = compileJavaDateFormat("yyyy.MM.dd 'at' hh:mm a ''x''", 'GMT');
    expect(parse("2020.06.01 at 12:05 AM 'x'")).toBe(utc('2020-06-01T00:05:00Z'));
    expect(parse("2020.06.01 at 12:05 PM 'x'")).toBe(utc('2020-06-01T12:05:00Z'));
    expect(parse("2020.06.01 at 03:05 pm 'x'")).toBe(utc('2020-06-01T15:05:00Z'));
    expect(parse("2020.06.01 at 13:05 PM 'x'")).toBeNaN();
    const oclock = compileJavaDateFormat("HH 'o''clock' yyyy", 'GMT');
    expect(oclock("07 o'clock 2020")).toBe(utc('2020-01-01T07:00:00Z'));
  });

  it('handles k (1-24) and K (0-11 with a)', () => {
    const k = compileJavaDateFormat('yyyy-MM-dd kk:mm:ss', 'GMT');
    expect(k('2024-07-01 13:30:00')).toBe(utc('2024-07-01T13:30:00Z'));
    expect(k('2024-07-01 24:30:00')).toBe(utc('2024-07-01T00:30:00Z'));
    expect(k('2024-07-01 00:30:00')).toBeNaN();
    const bigK = compileJavaDateFormat('yyyy-MM-dd KK:mm:ss a', 'GMT');
    expect(bigK('2024-07-01 00:30:00 PM')).toBe(utc('2024-07-01T12:30:00Z'));
    expect(bigK('2024-07-01 11:30:00 AM')).toBe(utc('2024-07-01T11:30:00Z'));
    expect(bigK('2024-07-01 12:30:00 AM')).toBeNaN();
  });

  it('handles month and day names', () => {
    const parse = compileJavaDateFormat('EEE, dd MMM yyyy HH:mm:ss', 'GMT');
    expect(parse('Mon, 01 Jun 2020 12:00:00')).toBe(utc('2020-06-01T12:00:00Z'));
    expect(parse('Mon, 01 Foo 2020 12:00:00')).toBeNaN();
  });

  it('uses single letters as minimum widths and yy as a two-digit year', () => {
    const parse = compileJavaDateFormat('d/M/yy H:m:s', 'GMT');
    expect(parse('1/6/20 9:5:7')).toBe(utc('2020-06-01T09:05:07Z'));
    expect(parse('01/06/20 09:05:07')).toBe(utc('2020-06-01T09:05:07Z'));
  });

  it('keeps regex characters and unknown letters literal', () => {
    const parse = compileJavaDateFormat('[yyyy](MM)+dd.T', 'GMT');
    expect(parse('[2020](06)+01.T')).toBe(utc('2020-06-01T00:00:00Z'));
    expect(parse('[2020](06)+01xT')).toBeNaN();
  });
});
