import { fstat } from 'node:fs';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { CertcrunchError } from '../errors.js';
import { fileIdentity } from '../input/identity.js';
import { fsPath } from '../input/fs-names.js';
import type { OutputOptions } from './output.js';

/**
 * The output paths (`-o`, `--html`) that name one of the inputs (paths as carried; `-` is
 * whatever standard input reads, a file redirected in included): writing them would replace a log.
 */
export async function outputsOnInputs(options: OutputOptions, inputs: Iterable<string>): Promise<string[]> {
  const targets = [options.out, options.html].filter((p): p is string => p !== undefined);
  if (targets.length === 0) return [];
  const identities = new Set<string>();
  for (const path of inputs) {
    const info = await (path === '-' ? promisify(fstat)(0) : stat(fsPath(path))).catch(() => undefined);
    if (info?.isFile()) identities.add(fileIdentity(info));
  }
  const refused: string[] = [];
  for (const target of targets) {
    const info = await stat(target).catch(() => undefined);
    if (info && identities.has(fileIdentity(info))) refused.push(target);
  }
  return refused;
}

/** The usage error for outputs that name inputs. */
export function refusal(refused: readonly string[]): CertcrunchError {
  return new CertcrunchError('ERR_USAGE', `${refused.join(', ')}: is one of the inputs; write the output elsewhere`);
}
