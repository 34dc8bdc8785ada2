import { InvalidArgumentError } from 'commander';
import { parseByteSize } from '../plan/split.js';
import { LOG_FORMATS, type LogFormat } from '../scan/task.js';

/** Argument parsers for commander: each rejects bad input with a message naming what was expected. */
export function parseWholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`expected a whole number ${range}, got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
}

/** Worker threads past this many only cost memory (each holds its own tables): a typo, not a plan. */
export const MAX_WORKERS = 256;

export function parseChunkSize(value: string): number {
  try {
    return parseByteSize(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function parseFormat(value: string): LogFormat | 'auto' {
  if (value === 'auto' || (LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat | 'auto';
  throw new InvalidArgumentError(`expected one of auto, ${LOG_FORMATS.join(', ')}; got ${JSON.stringify(value)}`);
}
