import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The package root (test/helpers sits two levels below it). */
export const ROOT = join(here, '..', '..');
/** The built CLI; `npm test` builds it first (pretest). */
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

const TIMEOUT_MS = 60_000;

export interface RunCliOptions {
  /** Merged over process.env. */
  env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed; without it stdin is closed at once. */
  input?: Buffer | string;
  /** Working directory (default: the package root). */
  cwd?: string;
}

export interface CliResult {
  /** The exit code; 128 + signal number when the child died of a signal. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process (`node dist/cli/main.js ...args`) and collects its output. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...(options.env ?? {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);

    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    // The child may exit before reading all its input (e.g. a usage error): ignore EPIPE.
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new Error(`certcrunch ${args.join(' ')}: timed out after ${TIMEOUT_MS} ms\nstderr: ${stderr}`));
        return;
      }
      const exit = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      resolve({ code: exit, stdout, stderr });
    });

    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
