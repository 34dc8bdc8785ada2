import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeInputs } from '../../src/input/discover.js';
import { fixtures } from '../fixtures/index.js';
import { tempDir } from '../helpers/tmp.js';

const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

describe('describing inputs', () => {
  it('leaves no file open behind, gzip heads included', async () => {
    const dir = tempDir();
    // Longer than the head that is read, so each stream is left before its end.
    const gz = gzipSync(Buffer.concat(Array.from({ length: 40 }, () => readFileSync(fixtures.ssl))));
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, `${i}.log.gz`), gz);
    writeFileSync(join(dir, 'plain.log'), readFileSync(fixtures.ssl));
    const before = openDescriptors();
    const inputs = await describeInputs([dir]);
    expect(inputs.filter((i) => i.format === 'proxysg')).toHaveLength(41);
    // Streams close on a later turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openDescriptors()).toBe(before);
  });

  it('lists a missing path named twice once, as an error', async () => {
    const missing = join(tempDir(), 'gone.log');
    const inputs = await describeInputs([missing, missing]);
    expect(inputs.map((i) => [i.path, i.error])).toEqual([[missing, 'cannot read (ENOENT: no such file or directory)']]);
  });
});
