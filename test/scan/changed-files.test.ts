import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeInputs } from '../../src/input/discover.js';
import { planTasks } from '../../src/plan/split.js';
import { runTask } from '../../src/scan/run-task.js';
import { fileSource } from '../../src/scan/sources.js';
import { decodeSnapshot } from '../../src/snapshot/codec.js';
import { Snapshot } from '../../src/snapshot/snapshot.js';
import { fixtures } from '../fixtures/index.js';
import { tempDir } from '../helpers/tmp.js';

/*
 * Logs change under a long run: rotated, truncated, deleted, replaced. A file is read as it was
 * listed, or its ranges fail with a reason; the other files' records are all counted.
 */
const dir = tempDir();
let n = 0;

/** A copy of the SSL fixture, listed and planned in ranges of `chunk` bytes. */
async function planned(chunk = 10_000) {
  const path = join(dir, `log-${n++}.log`);
  copyFileSync(fixtures.ssl, path);
  const inputs = await describeInputs([path]);
  return { path, tasks: planTasks(inputs, chunk) };
}

async function scanAll(tasks: ReturnType<typeof planTasks>): Promise<Snapshot> {
  const merged = new Snapshot();
  for (const task of tasks) merged.merge(decodeSnapshot((await runTask(task)).snapshot));
  return merged;
}

const records = (s: Snapshot): number => s.records.total;

describe('files that change after they are listed', () => {
  it('a file as listed gives every record once', async () => {
    const { tasks } = await planned();
    expect(tasks.length).toBeGreaterThan(3);
    const s = await scanAll(tasks);
    expect(s.proxysg!.requests).toBe(95);
    expect(s.meta.fileErrors).toEqual([]);
  });

  it('bytes appended after listing are left for the next run', async () => {
    const { path, tasks } = await planned();
    // The fixture has no final newline: read on, the half record would run into its last one.
    appendFileSync(path, ' and half a record written la');
    const s = await scanAll(tasks);
    expect(s.proxysg!.requests).toBe(95);
    expect(records(s)).toBe(95);
    expect(s.meta.fileErrors).toEqual([]);
  });

  it('a file cut short before its ranges are read fails them, naming how', async () => {
    const { path, tasks } = await planned();
    truncateSync(path, 12_345);
    const s = await scanAll(tasks);
    expect(s.meta.fileErrors.length).toBeGreaterThan(0);
    expect(s.meta.fileErrors[0]!.message).toMatch(/shrank from \d+ to 12345 bytes since it was listed/);
    expect(s.proxysg?.requests ?? 0).toBe(0);
  });

  it('a file cut short while its range is read: an error at the byte where it ends', async () => {
    const { path } = await planned();
    const { bytes, inode } = (await describeInputs([path]))[0]!;
    const source = await fileSource(path, 0, { bytes, inode: inode! });
    const block = Buffer.alloc(1000);
    expect(await source.read(block, 0, 1000)).toBe(1000);
    truncateSync(path, 1500);
    expect(await source.read(block, 0, 1000)).toBe(500);
    await expect(source.read(block, 0, 1000)).rejects.toThrow(`cut short during the scan (listed at ${bytes} bytes)`);
    await source.close();
  });

  it('a file replaced by another at its path fails its ranges instead of reading the other', async () => {
    const { path, tasks } = await planned();
    const other = join(dir, 'other.log');
    writeFileSync(other, (await import('node:fs')).readFileSync(fixtures.ssl));
    renameSync(other, path);
    const s = await scanAll(tasks);
    expect(s.meta.fileErrors.map((e) => e.message)).toContain('replaced by another file since it was listed');
    expect(s.proxysg?.requests ?? 0).toBe(0);
  });

  it('a deleted file fails its ranges, and the other files are all counted', async () => {
    const a = await planned();
    const b = await planned();
    rmSync(a.path);
    const s = await scanAll([...a.tasks, ...b.tasks]);
    expect(s.proxysg!.requests).toBe(95);
    expect(new Set(s.meta.fileErrors.map((e) => `${e.path} ${e.message}`))).toEqual(new Set([`${a.path} cannot read (ENOENT: no such file or directory)`]));
  });

  it('a FIFO put at a listed path fails its range at once rather than waiting for a writer', async () => {
    const { path, tasks } = await planned(1 << 20);
    rmSync(path);
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const s = await scanAll(tasks);
    expect(s.meta.fileErrors.map((e) => e.message)).toEqual(['no longer a regular file']);
  });
});
