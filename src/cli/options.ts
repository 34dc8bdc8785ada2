import { InvalidArgumentError } from 'commander';
import { parseByteSize } from '../plan/split.js';
import { LOG_FORMATS, type LogFormat } from '../scan/task.js';

/** Argument parsers for commander: each rejects bad input with a message naming what was expected. */
export function parseWholeNumber(min: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new InvalidArgumentError(`expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
}

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
