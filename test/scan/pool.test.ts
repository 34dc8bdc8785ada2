import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { TaskRunner } from '../../src/scan/pool.js';
import { fixtures } from '../fixtures/index.js';
import { statSync } from 'node:fs';

describe('the worker pool', () => {
  it('starts threads past the cores only for tasks that wait: many workers on one small task', async () => {
    const runner = new TaskRunner(availableParallelism() + 30);
    try {
      const size = statSync(fixtures.ssl).size;
      const result = await runner.run({ path: fixtures.ssl, format: 'proxysg', gzip: false, start: 0, end: -1, fileBytes: size, mtimeMs: 0 });
      expect(result.snapshot.byteLength).toBeGreaterThan(0);
      expect(runner.threads).toBeLessThanOrEqual(availableParallelism());
      expect(runner.threads).toBeGreaterThan(0);
    } finally {
      await runner.close();
    }
  });
});
