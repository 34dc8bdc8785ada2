import { constants } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { cannot, CertcrunchError } from '../errors.js';
import type { LogFormat } from '../scan/task.js';
import { firstFieldsDirective, isGzip, SNIFF_BYTES, sniffFormat, syslogTokens, type HeadFields } from './sniff.js';
import { gunzipHead } from './gunzip.js';
import { detectTrxSettings, type TrxChoice } from './trx-detect.js';
import { AUDIT_ORDER_DEFAULTS, DEFAULT_ORDER_PATTERN, TRX_ORDER_DEFAULTS } from '../formats/ejbca/order.js';
import type { AuditSettings } from '../formats/ejbca/audit-schema.js';
import { detectAuditSettings, type AuditChoice } from './audit-detect.js';
import type { TrxSettings } from '../formats/ejbca/trx-settings.js';
import { fsPath, nameFromBytes, shownPaths } from './fs-names.js';

export interface InputFile {
  /** As people see it (fs-names.ts). */
  path: string;
  /** The path as carried, when a name in it is not UTF-8 (fs-names.ts); open this one. */
  rawPath?: string;
  bytes: number;
  mtimeMs: number;
  /** Its inode, which the scan checks before reading (a file put at the path since has another). */
  inode?: number;
  gzip: boolean;
  /** undefined for an empty file, which holds no records of any format, and for one in `error`. */
  format: LogFormat | undefined;
  /** Why the file cannot be read (missing, unreadable, of no known format): the others still are. */
  error?: string;
  /** ELFF: first `#Fields` directive found in the head. */
  headFields?: HeadFields;
  /** ProxySG streamed over syslog: tokens of syslog header before each line's ELFF text. */
  syslogTokens?: number;
  /** EJBCA transaction log: the order and layout it was written with. */
  trx?: TrxSettings;
  /** EJBCA audit log: likewise. */
  audit?: AuditSettings;
}

/**
 * Expands files and directories (recursively, sorted) into a list of regular files, each once:
 * a file named again, or reached again through a directory or a link (hard or symbolic), is
 * read only where it first appears, and a directory reached again is not listed again (a link
 * to its own folder included). Counting a file twice would count its records twice, and its
 * requests that straddle ranges once. A name that is not UTF-8 is carried as fs-names.ts says.
 */
export async function expandPaths(paths: readonly string[]): Promise<ListedPath[]> {
  return expandInto(paths, new Set(), []);
}

/** A file found, or a path that could not be listed and why. */
export interface ListedPath {
  path: string;
  error?: string;
}

async function expandInto(paths: readonly string[], seen: Set<string>, files: ListedPath[]): Promise<ListedPath[]> {
  for (const path of paths) {
    let info;
    try {
      info = await stat(fsPath(path), { bigint: true });
    } catch (err) {
      // A path named twice that cannot be read is one error.
      if (!seen.has(`error ${path}`)) files.push({ path, error: cannot('read', err).message });
      seen.add(`error ${path}`);
      continue;
    }
    if (!info.isDirectory() && !info.isFile()) {
      // A pipe (`<(zcat f.gz)`) or a device: the one stream analyze takes is standard input.
      files.push({ path, error: 'not a regular file or directory (to read a pipe, give - and send it to standard input)' });
      continue;
    }
    const id = `${info.dev}:${info.ino}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (info.isFile()) {
      files.push({ path });
      continue;
    }
    let entries;
    try {
      entries = await readdir(fsPath(path), { encoding: 'buffer' });
    } catch (err) {
      files.push({ path, error: cannot('read', err).message });
      continue;
    }
    await expandInto(entries.map(nameFromBytes).sort().map((e) => join(path, e)), seen, files);
  }
  return files;
}

/** Up to SNIFF_BYTES of an opened file's content, decompressed when it is gzip. */
async function readHead(handle: FileHandle, gzip: boolean): Promise<Buffer> {
  if (!gzip) {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  }
  // The handle stays open (it is closed by the caller) and is read from its start.
  const file = handle.createReadStream({ start: 0, autoClose: false });
  let readError: NodeJS.ErrnoException | undefined;
  file.on('error', (err) => (readError = err));
  try {
    const { head, error } = await gunzipHead(file, SNIFF_BYTES);
    if (readError) throw cannot('read', readError);
    // A corrupt or truncated gzip still gets its readable head sniffed; the scan reports the error.
    if (head.length === 0 && error !== undefined) throw new CertcrunchError('ERR_GZIP', `corrupt gzip (${error})`);
    return head;
  } finally {
    file.destroy();
  }
}

/**
 * Recognises a file's format from its head and, for an EJBCA transaction log, how it was
 * written. `format` forces the format; `trx` fixes what the user knows of the trx settings.
 */
export interface Recognised {
  format: LogFormat;
  trx?: TrxSettings;
  audit?: AuditSettings;
  /** ProxySG streamed over syslog: tokens of syslog header before each line's ELFF text. */
  syslogTokens?: number;
}

/** ProxySG, with its lines' syslog header when they carry one. */
function proxysg(head: Buffer): Recognised {
  const tokens = syslogTokens(head);
  return tokens > 0 ? { format: 'proxysg', syslogTokens: tokens } : { format: 'proxysg' };
}

export function recognise(head: Buffer, format: LogFormat | undefined, trx: TrxChoice, audit: AuditChoice = {}): Recognised | undefined {
  if (format === 'proxysg') return proxysg(head);
  if (format === undefined && sniffFormat(head, false)) return proxysg(head);
  if (format === undefined || format === 'ejbca-audit') {
    const found = detectAuditSettings(head, audit);
    if (found) return { format: 'ejbca-audit', audit: found };
    if (format === 'ejbca-audit') {
      return {
        format,
        audit: { order: audit.order ?? AUDIT_ORDER_DEFAULTS['properties'], pattern: audit.pattern ?? DEFAULT_ORDER_PATTERN, layout: audit.layout ?? '%m%n' },
      };
    }
  }
  const settings = detectTrxSettings(head, trx);
  if (settings) return { format: 'ejbca-trx', trx: settings };
  if (format === undefined && sniffFormat(head)) return proxysg(head);
  if (format === 'ejbca-trx') {
    // Forced, though no line of the head fits: read it with what is known, or the 7.x defaults.
    return {
      format,
      trx: { ...trx, order: trx.order ?? TRX_ORDER_DEFAULTS['6.3.3-7.8.0'], pattern: trx.pattern ?? DEFAULT_ORDER_PATTERN, layout: trx.layout ?? '%m%n' },
    };
  }
  return undefined;
}

/**
 * Stats and sniffs each file; `format` forces the format instead of sniffing it. A file that
 * cannot be read or recognised is described with its `error`, and the others are read.
 */
export async function describeInputs(
  paths: readonly string[], format?: LogFormat, trx: TrxChoice = {}, audit: AuditChoice = {},
): Promise<InputFile[]> {
  const inputs: InputFile[] = [];
  const listedPaths = await expandPaths(paths);
  const shown = shownPaths(listedPaths.map((l) => l.path));
  for (const listed of listedPaths) {
    const raw = listed.path;
    const path = shown.get(raw)!;
    const named = raw === path ? { path } : { path, rawPath: raw };
    if (listed.error !== undefined) {
      inputs.push({ ...named, bytes: 0, mtimeMs: 0, gzip: false, format: undefined, error: listed.error });
      continue;
    }
    try {
      inputs.push(await describeInput(named, raw, format, trx, audit));
    } catch (err) {
      if (!(err instanceof CertcrunchError)) throw err;
      inputs.push({ ...named, bytes: 0, mtimeMs: 0, gzip: false, format: undefined, error: err.message });
    }
  }
  return inputs;
}

/**
 * One listed file, opened once: its size, magic bytes and head all come from the one file, even
 * if its path changes meanwhile. Throws a CertcrunchError, its message without the path, when it
 * cannot be read or recognised.
 */
async function describeInput(
  named: { path: string; rawPath?: string }, raw: string, format: LogFormat | undefined, trx: TrxChoice, audit: AuditChoice,
): Promise<InputFile> {
  let handle;
  try {
    // Non-blocking: a FIFO put at the path since it was listed would block an open.
    handle = await open(fsPath(raw), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw cannot('read', err);
  }
  try {
    let info;
    let gzip: boolean;
    try {
      info = await handle.stat();
      if (!info.isFile()) throw new CertcrunchError('ERR_INPUT', 'not a regular file or directory');
      const magic = Buffer.alloc(2);
      await handle.read(magic, 0, 2, 0);
      gzip = isGzip(magic);
    } catch (err) {
      throw err instanceof CertcrunchError ? err : cannot('read', err);
    }
    if (info.size === 0) return { ...named, bytes: 0, mtimeMs: info.mtimeMs, gzip: false, format: undefined };
    const head = await readHead(handle, gzip).catch((err: unknown) => {
      throw err instanceof CertcrunchError ? err : cannot('read', err);
    });
    // A gzip of nothing (a rotated log with no traffic): empty, as an empty plain file is.
    if (head.length === 0) return { ...named, bytes: info.size, mtimeMs: info.mtimeMs, gzip, format: undefined };
    const detected = recognise(head, format, trx, audit);
    if (!detected) throw new CertcrunchError('ERR_FORMAT', 'unknown log format (use --format to force one)');
    const input: InputFile = { ...named, bytes: info.size, mtimeMs: info.mtimeMs, inode: info.ino, gzip, format: detected.format };
    if (detected.trx) input.trx = detected.trx;
    if (detected.audit) input.audit = detected.audit;
    if (detected.syslogTokens) input.syslogTokens = detected.syslogTokens;
    const fields = detected.format === 'proxysg' ? firstFieldsDirective(head, detected.syslogTokens) : undefined;
    if (fields !== undefined) input.headFields = fields;
    return input;
  } finally {
    await handle.close();
  }
}
