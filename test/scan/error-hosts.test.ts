import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/cli/analyze-flow.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

describe('error hosts', () => {
  it('count a host\'s categories and errors exactly, however many distinct ones it has', async () => {
    const many = Array.from({ length: 300 }, (_, i) => `c${i}`);
    const lines = [
      '#Fields: date time c-ip cs-host cs-categories x-rs-certificate-observed-errors',
      `2024-03-01 10:00:00 10.0.0.1 h.example "${many.join(';')};c5" "${many.map((c) => `e${c}`).join(';')}"`,
      '2024-03-01 10:00:01 10.0.0.2 h.example "c5;c7" "ec5,expired"',
      '2024-03-01 10:00:02 10.0.0.2 h.example "c7" "expired"',
    ];
    const path = join(dir, 'many.log');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { snapshot } = await analyze([path], { workers: 0 });
    const host = snapshot.proxysg!.errorHosts.get('h.example')!;
    expect(host.categories.size).toBe(300);
    expect(host.categories.get('c5')).toBe(2);
    expect(host.categories.get('c7')).toBe(3);
    expect(host.categories.get('c299')).toBe(1);
    expect(host.errors.size).toBe(301);
    expect(host.errors.get('ec5')).toBe(2);
    expect(host.errors.get('expired')).toBe(2);
    expect(host.clients.count()).toBe(2);
  });
});
