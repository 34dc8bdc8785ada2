import { describe, it, expect } from 'vitest';
import { collectingStream } from '../helpers/streams.js';
import { generateProxySg, type ProxySgGenOptions } from '../../src/generate/proxysg.js';
import { Rng, Zipf } from '../../src/generate/random.js';

async function generate(opts: ProxySgGenOptions) {
  const sink = collectingStream();
  const result = await generateProxySg(opts, sink.stream);
  return { buf: sink.bytes(), result };
}

/** Latin-1 decoding maps bytes 1:1, so odd bytes never break the CRLF split. */
function lines(buf: Buffer): string[] {
  const text = buf.toString('latin1');
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n');
}

/** Space-separated fields; a field opening with '"' ends at a '"' followed by a space or end of line. */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    let end: number;
    if (line[i] === '"') {
      end = i + 1;
      for (;;) {
        end = line.indexOf('"', end);
        if (end === -1) {
          end = line.length; // unterminated: the rest of the line
          break;
        }
        if (end + 1 === line.length || line[end + 1] === ' ') {
          end++;
          break;
        }
        end++;
      }
    } else {
      end = line.indexOf(' ', i);
      if (end === -1) end = line.length;
    }
    fields.push(line.slice(i, end));
    i = end;
  }
  return fields;
}

const records = (all: string[]) => all.filter((l) => !l.startsWith('#'));

describe('generateProxySg', () => {
  it('is deterministic for a seed and varies across seeds', async () => {
    const opts = { bytes: 300_000, seed: 7, malformedRate: 0.01, fieldsChange: true };
    const a = await generate(opts);
    const b = await generate(opts);
    const c = await generate({ ...opts, seed: 8 });
    expect(a.buf.equals(b.buf)).toBe(true);
    expect(a.result).toEqual(b.result);
    expect(a.buf.equals(c.buf)).toBe(false);
  });

  it('stops at the first line boundary at or after the requested size', async () => {
    const requested = 250_000;
    const { buf, result } = await generate({ bytes: requested, seed: 1 });
    expect(result.bytes).toBe(buf.length);
    expect(buf.length).toBeGreaterThanOrEqual(requested);
    expect(buf.subarray(-2).toString('latin1')).toBe('\r\n');
    const withoutLast = buf.lastIndexOf('\r\n', buf.length - 3) + 2;
    expect(withoutLast).toBeLessThan(requested);
    // Every LF belongs to a CRLF.
    const lf = buf.filter((b) => b === 0x0a).length;
    expect(buf.toString('latin1').split('\r\n').length - 1).toBe(lf);
  });

  it('waits for drain on a slow stream and loses nothing', async () => {
    const opts = { bytes: 3_000_000, seed: 5 };
    const slow = collectingStream({ slow: true });
    const result = await generateProxySg(opts, slow.stream);
    await new Promise<void>((resolve) => slow.stream.end(resolve));
    expect(slow.drains()).toBeGreaterThan(0);
    expect(slow.bytes().equals((await generate(opts)).buf)).toBe(true);
    expect(result.bytes).toBe(slow.bytes().length);
  });

  it('writes only the header when asked for zero bytes', async () => {
    const { buf, result } = await generate({ bytes: 0, seed: 1 });
    expect(result.records).toBe(0);
    expect(lines(buf).every((l) => l.startsWith('#'))).toBe(true);
  });

  it('writes the header and 26 quote-aware fields per record', async () => {
    const { buf, result } = await generate({ bytes: 12_000_000, seed: 42, hosts: 2000, clients: 500 });
    const all = lines(buf);
    expect(all.slice(0, 6).map((l) => l.split(':')[0])).toEqual(
      ['#Software', '#Version', '#Start-Date', '#Date', '#Fields', '#Remark'],
    );
    expect(all[2]).toBe('#Start-Date: 2024-03-01 00:00:00');
    expect(splitFields(all[4]!.slice('#Fields: '.length))).toHaveLength(26);
    const data = records(all);
    expect(data).toHaveLength(result.records);
    expect(result.malformed).toBe(0);
    // Collect offenders instead of asserting per line: tens of thousands of expect() calls are slow.
    let previous = '';
    const wrongWidth: string[] = [];
    const outOfOrder: string[] = [];
    for (const line of data) {
      const fields = splitFields(line);
      if (fields.length !== 26) wrongWidth.push(line);
      const stamp = `${fields[0]} ${fields[1]}`;
      if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(stamp) || stamp < previous) outOfOrder.push(line);
      previous = stamp;
    }
    expect(wrongWidth).toEqual([]);
    expect(outOfOrder).toEqual([]);
    // The rare tokenizer edge cases are present.
    expect(data.some((l) => l.includes(' "Books"Fiction;News" '))).toBe(true);
    expect(buf.includes(Buffer.from('"Actualités;News"', 'utf8'))).toBe(true);
    expect(buf.includes(Buffer.from('"Actualit\xe9s"', 'latin1'))).toBe(true);
  });

  it('replaces about malformedRate of the records with malformed lines', async () => {
    const { buf, result } = await generate({ bytes: 3_000_000, seed: 3, malformedRate: 0.05 });
    const data = records(lines(buf));
    expect(data).toHaveLength(result.records);
    expect(result.malformed / result.records).toBeGreaterThan(0.04);
    expect(result.malformed / result.records).toBeLessThan(0.06);
    const broken = data.filter((l) => splitFields(l).length !== 26);
    expect(broken).toHaveLength(result.malformed);
    expect(broken.some((l) => splitFields(l).length === 25)).toBe(true);
    expect(broken.some((l) => /"[^"]*$/.test(l))).toBe(true);
    expect(broken.some((l) => !l.includes(' ') && !l.includes('"'))).toBe(true);
  });

  it('switches to a reordered #Fields layout mid-file', async () => {
    const { buf } = await generate({ bytes: 1_000_000, seed: 11, fieldsChange: true });
    const all = lines(buf);
    const fieldLines = all.flatMap((l, i) => (l.startsWith('#Fields: ') ? [i] : []));
    expect(fieldLines).toHaveLength(2);
    const [first, second] = fieldLines as [number, number];
    const columns = all[second]!.slice('#Fields: '.length).split(' ');
    expect(columns).toHaveLength(25);
    expect(columns.slice(0, 4)).toEqual(['date', 'time', 'c-ip', 'cs-host']);
    expect(columns).not.toContain('x-virus-id');
    expect(second).toBeGreaterThan(all.length * 0.4);
    const before = records(all.slice(first, second));
    const after = records(all.slice(second));
    expect(after.length).toBeGreaterThan(100);
    expect(before.filter((l) => splitFields(l).length !== 26)).toEqual([]);
    expect(after.filter((l) => splitFields(l).length !== columns.length)).toEqual([]);
  });
});

describe('Rng and Zipf', () => {
  it('are deterministic and stay in range', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const zipf = new Zipf(100, 1.1);
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x >= 0 && x < 1).toBe(true);
      const k = zipf.sample(a);
      b.next();
      counts[k] = counts[k]! + 1;
    }
    expect(counts[0]!).toBeGreaterThan(counts[10]!);
    expect(counts[10]!).toBeGreaterThan(counts[99]!);
  });
});
