import { analyze, type AnalyzeOptions } from '../../src/cli/analyze-flow.js';
import { buildReport } from '../../src/report/model.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';

/** The JSON report of a snapshot, as the CLI prints it with --json (ranked tables uncapped). */
export function reportJson(snapshot: Snapshot): string {
  return JSON.stringify(buildReport(snapshot, { top: 1_000_000 }), null, 1);
}

/** Analyzes in this thread (no pool) and returns the JSON report text. */
export async function analyzeJson(paths: string[], options: AnalyzeOptions = {}): Promise<string> {
  const { snapshot } = await analyze(paths, { workers: 0, ...options });
  return reportJson(snapshot);
}
