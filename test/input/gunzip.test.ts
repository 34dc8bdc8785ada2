import { crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip, gunzipHead } from '../../src/input/gunzip.js';

/** Decompresses `bytes` fed in chunks of `chunk` bytes: all output, and the error it ended with. */
async function inflate(bytes: Buffer, chunk = 1 << 16): Promise<{ out: Buffer; error?: string }> {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) parts.push(bytes.subarray(at, at + chunk));
  const out: Buffer[] = [];
  try {
    for await (const piece of gunzip(parts) as AsyncIterable<Buffer>) out.push(piece);
    return { out: Buffer.concat(out) };
  } catch (err) {
    return { out: Buffer.concat(out), error: (err as Error).message };
  }
}

/** Seeded text that compresses to several deflate blocks. */
function text(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = (x >> 16) % 7 === 0 ? 0x0a : 0x61 + ((x >> 8) % 26);
  }
  return out;
}

/** A member written by hand, with every optional header field RFC 1952 allows. */
function memberWithAllFields(data: Buffer): Buffer {
  const flags = 0x02 | 0x04 | 0x08 | 0x10;
  const head = Buffer.from([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3]);
  const extra = Buffer.from([4, 0, 0x41, 0x42, 2, 0]);
  const name = Buffer.from('access.log\0', 'latin1');
  const comment = Buffer.from('rotated\0', 'latin1');
  const headerCrc = Buffer.alloc(2);
  headerCrc.writeUInt16LE(crc32(Buffer.concat([head, extra, name, comment])) & 0xffff);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, extra, name, comment, headerCrc, deflateRawSync(data), trailer]);
}

describe('gunzip, member by member', () => {
  const a = text(300_000, 1);
  const b = text(70_000, 2);

  it('gives what zlib gives for one member, several, and hand-made headers, in chunks of any size', async () => {
    const cases = [gzipSync(a), Buffer.concat([gzipSync(a), gzipSync(b), gzipSync(Buffer.alloc(0))]), memberWithAllFields(b), memberWithAllFields(text(500, 5))];
    for (const bytes of cases) {
      for (const chunk of [1, 13, 4096, 1 << 20]) {
        if (chunk === 1 && bytes.length > 1000) continue; // a byte at a time: header fields split anywhere
        const r = await inflate(bytes, chunk);
        expect(r.error, `chunk ${chunk}`).toBeUndefined();
        expect(r.out.equals(gunzipSync(bytes)), `chunk ${chunk}`).toBe(true);
      }
    }
  });

  it('reads a file of many small members (one a line, as some shippers write) as zlib does', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => Buffer.from(`line ${i} ${'x'.repeat(i % 50)}\n`));
    const many = Buffer.concat(lines.map((line) => gzipSync(line)));
    for (const chunk of [97, 4096, 1 << 20]) {
      const r = await inflate(many, chunk);
      expect(r.error, `chunk ${chunk}`).toBeUndefined();
      expect(r.out.equals(Buffer.concat(lines)), `chunk ${chunk}`).toBe(true);
    }
    const cut = await inflate(many.subarray(0, many.length - 5));
    expect(cut.error).toBe('unexpected end of file');
  });

  it('lets zero padding after the last member be, as gzip does', async () => {
    const r = await inflate(Buffer.concat([gzipSync(a), Buffer.alloc(70_000)]), 1000);
    expect(r.error).toBeUndefined();
    expect(r.out.equals(a)).toBe(true);
  });

  it('gives every byte of a whole member before failing on bytes after it that are not gzip', async () => {
    const whole = gzipSync(a);
    for (const junk of ['garbage\n', '\0\0\0x', '\x1fnot a member']) {
      const r = await inflate(Buffer.concat([whole, Buffer.from(junk, 'latin1')]), 4096);
      expect(r.out.equals(a), JSON.stringify(junk)).toBe(true);
      // Where the junk starts, in the compressed bytes.
      expect(r.error).toMatch(junk.startsWith('\x1f') ? /^incorrect header check$/ : new RegExp(`^bytes after gzip member 1 are not gzip data \\(compressed byte ${whole.length}\\)$`));
    }
    // Plain zlib loses the end of the member here: the reason for this module.
    const zlibOut: Buffer[] = [];
    const { createGunzip } = await import('node:zlib');
    const z = createGunzip();
    z.on('data', (c: Buffer) => zlibOut.push(c));
    await new Promise((resolve) => {
      z.on('error', resolve);
      z.end(Buffer.concat([whole, Buffer.from('garbage\n')]));
    });
    expect(Buffer.concat(zlibOut).length).toBeLessThan(a.length);
  });

  it('gives all a cut-short stream holds, at every cut, then says it ended early', async () => {
    const whole = Buffer.concat([gzipSync(b), gzipSync(text(5_000, 3))]);
    const expected = gunzipSync(whole);
    for (let cut = 0; cut < whole.length; cut += 97) {
      const r = await inflate(whole.subarray(0, cut), 512);
      expect(r.error, `cut at ${cut}`).toBe('unexpected end of file');
      expect(expected.subarray(0, r.out.length).equals(r.out), `cut at ${cut}`).toBe(true);
    }
    // Cut inside the first member's trailer: all its data is out.
    const first = gzipSync(b);
    const r = await inflate(first.subarray(0, first.length - 3));
    expect(r.out.equals(b)).toBe(true);
    expect(r.error).toBe('unexpected end of file');
  });

  it('checks each trailer, and a header as zlib does', async () => {
    const bad = Buffer.from(gzipSync(a));
    bad[bad.length - 6]! ^= 0x01; // CRC-32
    expect((await inflate(bad)).error).toBe('incorrect data check');
    const length = Buffer.from(gzipSync(a));
    length[length.length - 1]! ^= 0x01; // ISIZE
    expect((await inflate(length)).error).toBe('incorrect length check');
    const method = Buffer.from(gzipSync(a));
    method[2] = 7;
    expect((await inflate(method)).error).toBe('unknown compression method');
    const flags = Buffer.from(gzipSync(a));
    flags[3] = 0x20;
    expect((await inflate(flags)).error).toBe('unknown header flags set');
    expect((await inflate(Buffer.from('not gzip at all'))).error).toBe('incorrect header check');
    expect((await inflate(Buffer.alloc(0))).error).toBe('unexpected end of file');
  });

  it('survives seeded random damage: an error or output, never a hang or a throw from outside', async () => {
    const whole = Buffer.concat([gzipSync(b), gzipSync(text(3_000, 4))]);
    let x = 9;
    for (let round = 0; round < 150; round++) {
      const damaged = Buffer.from(whole);
      for (let k = 0; k < 3; k++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        damaged[x % damaged.length] = x >> 20;
      }
      const r = await inflate(damaged, 1 + (x % 5000));
      expect(r.out.length + (r.error ? 1 : 0)).toBeGreaterThan(0);
    }
  });

  it('reads the head of a partial stream: what its bytes hold, and why it stopped', async () => {
    const whole = gzipSync(a);
    const part = await gunzipHead([whole.subarray(0, 2000)], 1 << 20);
    expect(part.error).toBe('unexpected end of file');
    expect(part.head.length).toBeGreaterThan(0);
    expect(a.subarray(0, part.head.length).equals(part.head)).toBe(true);
    const capped = await gunzipHead([whole], 1000);
    expect(capped).toEqual({ head: a.subarray(0, 1000) });
  });
});
