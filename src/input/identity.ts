import { fstat, type Stats } from 'node:fs';

/** A file's device and inode: what tells the file listed from another put at its path since. */
export const fileIdentity = (info: Pick<Stats, 'dev' | 'ino'>): string => `${info.dev}:${info.ino}`;

/** What standard input is (a file redirected in, a directory, a pipe); undefined when it cannot be told. */
export function stdinStats(): Promise<Stats | undefined> {
  return new Promise((resolve) => fstat(0, (err, info) => resolve(err ? undefined : info)));
}
