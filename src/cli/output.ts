import { lstat, rename, unlink, writeFile } from 'node:fs/promises';
import { encodeSnapshot } from '../snapshot/codec.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { buildReport } from '../report/model.js';
import { renderText } from '../report/text.js';
import { terminalSafeJson } from '../report/text-safety.js';
import { cannot } from '../errors.js';

export interface OutputOptions {
  json?: boolean;
  csv?: string;
  html?: string;
  out?: string;
  top?: number;
}

/** What went wrong writing the outputs: a message per output that failed, and whether the report reached stdout. */
export interface OutputFailures {
  messages: string[];
  printed: boolean;
}

/**
 * Writes what the options ask for: snapshot file, CSV tables, HTML, and JSON or text on stdout.
 * One output failing does not cost the others: each is tried, and the report still reaches
 * stdout (hours of crunching are not lost to a full disk). Returns what failed.
 */
export async function emitOutputs(snapshot: Snapshot, options: OutputOptions): Promise<OutputFailures> {
  const failures: string[] = [];
  const attempt = async (write: () => Promise<void>): Promise<void> => {
    try {
      await write();
    } catch (err) {
      failures.push((err as Error).message);
    }
  };
  const { out, csv, html } = options;
  if (out) await attempt(() => writeWhole(out, encodeSnapshot(snapshot)));
  const report = buildReport(snapshot, options.top === undefined ? {} : { top: options.top });
  // CSV and HTML load only when asked for: every run pays for what it imports.
  if (csv) {
    const { writeCsvTables } = await import('../report/csv.js');
    await attempt(async () => void (await writeCsvTables(report, csv)));
  }
  if (html) {
    const { renderHtml } = await import('../report/html.js');
    await attempt(() => writeWhole(html, renderHtml(report)));
  }
  const before = failures.length;
  await attempt(() => writeStdout(options.json ? `${terminalSafeJson(report)}\n` : renderText(report)));
  return { messages: failures, printed: failures.length === before };
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed over it once
 * complete, so a full disk or an interrupted run never leaves a cut-off snapshot where a good
 * one was. What is not a plain file (a device, a pipe, a symbolic link) is written in place,
 * never replaced. An error names the file.
 */
export async function writeWhole(path: string, data: string | Uint8Array): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  const temporary = existing && !existing.isFile() ? undefined : `${path}.${process.pid}.tmp`;
  try {
    if (temporary === undefined) return await writeFile(path, data);
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, path);
  } catch (err) {
    if (temporary !== undefined) await unlink(temporary).catch(() => undefined);
    throw cannot('write', err, path);
  }
}

/**
 * Writes to stdout. A reader that has gone (`| head`) ends the output quietly, as with other
 * command-line tools; the run still ends with its own exit code.
 */
export function writeStdout(text: string): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (err) => {
      if (err && (err as NodeJS.ErrnoException).code !== 'EPIPE') reject(cannot('write', err, 'standard output'));
      else resolve();
    }),
  );
}

