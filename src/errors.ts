/** Stable error codes; the CLI maps them to exit codes (1 fatal, a bad option's value included; 2 usage). */
export type ErrorCode =
  | 'ERR_USAGE'
  | 'ERR_OPTION'
  | 'ERR_INPUT'
  | 'ERR_FORMAT'
  | 'ERR_GZIP'
  | 'ERR_SNAPSHOT'
  | 'ERR_WORKER';

export class CertcrunchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertcrunchError';
    this.code = code;
  }
}

/**
 * A file-system failure as a message names it: its errno code with the system's words for it
 * ("ENOENT: no such file or directory"), else its message.
 */
export function ioReason(err: unknown): string {
  const { code, message } = err as NodeJS.ErrnoException;
  if (code === undefined) return message;
  const words = typeof message === 'string' && message.startsWith(`${code}: `) ? message.slice(code.length + 2).split(',')[0] : undefined;
  return words ? `${code}: ${words}` : code;
}

/** `<path>: cannot <doing> (<reason>)` as an input error; without a path, from `cannot` on. */
export function cannot(doing: string, err: unknown, path?: string): CertcrunchError {
  return new CertcrunchError('ERR_INPUT', `${path === undefined ? '' : `${path}: `}cannot ${doing} (${ioReason(err)})`);
}

export function isCertcrunchError(err: unknown): err is CertcrunchError {
  return err instanceof Error && typeof (err as Partial<CertcrunchError>).code === 'string' && err.name === 'CertcrunchError';
}
