import { stat } from 'node:fs/promises';
import { CertcrunchError } from '../errors.js';
import { fileIdentity } from '../input/identity.js';
import type { OutputOptions } from './output.js';

/** Refuses output paths that name one of the inputs: `-o` onto a log would replace it. */
export async function refuseInputsAsOutputs(options: OutputOptions, inputs: Iterable<string>): Promise<void> {
  const targets = [options.out, options.html].filter((p): p is string => p !== undefined);
  if (targets.length === 0) return;
  const identities = new Set<string>();
  for (const path of inputs) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) identities.add(fileIdentity(info));
  }
  for (const target of targets) {
    const info = await stat(target).catch(() => undefined);
    if (info && identities.has(fileIdentity(info))) {
      throw new CertcrunchError('ERR_USAGE', `${target}: is one of the inputs; write the output elsewhere`);
    }
  }
}
