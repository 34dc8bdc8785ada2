import type { Stats } from 'node:fs';

/** A file's device and inode: what tells the file listed from another put at its path since. */
export const fileIdentity = (info: Pick<Stats, 'dev' | 'ino'>): string => `${info.dev}:${info.ino}`;
