import { writeFile } from 'node:fs/promises';
import { encodeSnapshot } from '../snapshot/codec.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { buildReport } from '../report/model.js';
import { renderText } from '../report/text.js';
import { terminalSafeJson } from '../report/text-safety.js';

export interface OutputOptions {
  json?: boolean;
  csv?: string;
  html?: string;
  out?: string;
  top?: number;
}

/** Writes what the options ask for: snapshot file, CSV tables, HTML, and JSON or text on stdout. */
export async function emitOutputs(snapshot: Snapshot, options: OutputOptions): Promise<void> {
  if (options.out) await writeFile(options.out, encodeSnapshot(snapshot));
  const report = buildReport(snapshot, options.top === undefined ? {} : { top: options.top });
  // CSV and HTML load only when asked for: every run pays for what it imports.
  if (options.csv) await (await import('../report/csv.js')).writeCsvTables(report, options.csv);
  if (options.html) await writeFile(options.html, (await import('../report/html.js')).renderHtml(report));
  const text = options.json ? `${terminalSafeJson(report)}\n` : renderText(report);
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}
