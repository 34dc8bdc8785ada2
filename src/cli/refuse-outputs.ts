import { readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CertcrunchError } from '../errors.js';
import { fileIdentity, stdinStats } from '../input/identity.js';
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
    const info = path === '-' ? await stdinStats() : await stat(fsPath(path)).catch(() => undefined);
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

/**
 * Output paths that cannot work: `-` (standard output carries the report; a file named `-`
 * would be a surprise), or `-o` and `--html` naming one file, where the second would replace
 * the first.
 */
export async function checkOutputPaths(options: Pick<OutputOptions, 'out' | 'html' | 'csv'>): Promise<void> {
  for (const [flag, path] of [['-o', options.out], ['--html', options.html], ['--csv', options.csv]] as const) {
    if (path === '-') throw new CertcrunchError('ERR_USAGE', `${flag} -: outputs go to files; standard output carries the report (--json for JSON)`);
  }
  const { out, html } = options;
  if (out !== undefined && html !== undefined && (await sameFile(out, html))) {
    throw new CertcrunchError('ERR_USAGE', `-o and --html both name ${out}; give each its own file`);
  }
}

/**
 * Whether two paths name one file: spelled alike once their directories' symlinks are resolved
 * (a file yet to be made, or a dangling symlink to one, included), or both existing as one device
 * and inode.
 */
export async function sameFile(a: string, b: string): Promise<boolean> {
  if ((await whereWritten(a)) === (await whereWritten(b))) return true;
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return x !== undefined && y !== undefined && fileIdentity(x) === fileIdentity(y);
}

/** The absolute path a write to `path` lands at: its directory's symlinks resolved, and a symlink at the path followed. */
async function whereWritten(path: string, depth = 0): Promise<string> {
  const absolute = resolve(path);
  const link = depth < 8 ? await readlink(absolute).catch(() => undefined) : undefined;
  if (link !== undefined) return whereWritten(resolve(dirname(absolute), link), depth + 1);
  const dir = await realpath(dirname(absolute)).catch(() => dirname(absolute));
  return join(dir, basename(absolute));
}
