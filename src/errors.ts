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

export function isCertcrunchError(err: unknown): err is CertcrunchError {
  return err instanceof Error && typeof (err as Partial<CertcrunchError>).code === 'string' && err.name === 'CertcrunchError';
}
