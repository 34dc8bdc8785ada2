import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CertcrunchError } from '../errors.js';
import type { LogFormat } from '../scan/task.js';
import { firstFieldsDirective, isGzip, SNIFF_BYTES, sniffFormat, type HeadFields } from './sniff.js';
import { detectTrxSettings, type TrxChoice } from './trx-detect.js';
import { AUDIT_ORDER_DEFAULTS, DEFAULT_ORDER_PATTERN, TRX_ORDER_DEFAULTS } from '../formats/ejbca/order.js';
import type { AuditSettings } from '../formats/ejbca/audit-schema.js';
import { detectAuditSettings, type AuditChoice } from './audit-detect.js';
import type { TrxSettings } from '../formats/ejbca/trx-settings.js';
import { fsPath, nameFromBytes, shownPath } from './fs-names.js';

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
  /** undefined only for an empty file, which holds no records of any format. */
  format: LogFormat | undefined;
  /** ELFF: first `#Fields` directive found in the head. */
  headFields?: HeadFields;
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
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  return expandInto(paths, new Set(), []);
}

async function expandInto(paths: readonly string[], seen: Set<string>, files: string[]): Promise<string[]> {
  for (const path of paths) {
    let info;
    try {
      info = await stat(fsPath(path), { bigint: true });
    } catch (err) {
      throw new CertcrunchError('ERR_INPUT', `${shownPath(path)}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (!info.isDirectory() && !info.isFile()) throw new CertcrunchError('ERR_INPUT', `${shownPath(path)}: not a regular file or directory`);
    const id = `${info.dev}:${info.ino}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (info.isFile()) files.push(path);
    else await expandInto((await readdir(fsPath(path), { encoding: 'buffer' })).map(nameFromBytes).sort().map((e) => join(path, e)), seen, files);
  }
  return files;
}

/** Reads up to SNIFF_BYTES of the content, decompressing gzip. */
async function readHead(path: string, gzip: boolean): Promise<Buffer> {
  if (!gzip) {
    const handle = await open(fsPath(path), 'r');
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = createReadStream(fsPath(path)).pipe(createGunzip());
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= SNIFF_BYTES) break;
    }
  } catch (err) {
    // A corrupt or truncated gzip still gets its readable head sniffed; the scan reports the error.
    if (size === 0) throw new CertcrunchError('ERR_GZIP', `${shownPath(path)}: corrupt gzip (${(err as Error).message})`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
}

/**
 * Recognises a file's format from its head and, for an EJBCA transaction log, how it was
 * written. `format` forces the format; `trx` fixes what the user knows of the trx settings.
 */
export interface Recognised {
  format: LogFormat;
  trx?: TrxSettings;
  audit?: AuditSettings;
}

export function recognise(head: Buffer, format: LogFormat | undefined, trx: TrxChoice, audit: AuditChoice = {}): Recognised | undefined {
  if (format === 'proxysg') return { format };
  if (format === undefined && sniffFormat(head, false)) return { format: 'proxysg' };
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
  if (format === undefined && sniffFormat(head)) return { format: 'proxysg' };
  if (format === 'ejbca-trx') {
    // Forced, though no line of the head fits: read it with what is known, or the 7.x defaults.
    return {
      format,
      trx: { ...trx, order: trx.order ?? TRX_ORDER_DEFAULTS['6.3.3-7.8.0'], pattern: trx.pattern ?? DEFAULT_ORDER_PATTERN, layout: trx.layout ?? '%m%n' },
    };
  }
  return undefined;
}

/** Stats and sniffs each file; `format` forces the format instead of sniffing it. */
export async function describeInputs(
  paths: readonly string[], format?: LogFormat, trx: TrxChoice = {}, audit: AuditChoice = {},
): Promise<InputFile[]> {
  const inputs: InputFile[] = [];
  for (const raw of await expandPaths(paths)) {
    const path = shownPath(raw);
    const named = raw === path ? { path } : { path, rawPath: raw };
    let info;
    let gzip: boolean;
    try {
      info = await stat(fsPath(raw));
      const handle = await open(fsPath(raw), 'r');
      const magic = Buffer.alloc(2);
      try {
        await handle.read(magic, 0, 2, 0);
      } finally {
        await handle.close();
      }
      gzip = isGzip(magic);
    } catch (err) {
      throw new CertcrunchError('ERR_INPUT', `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (info.size === 0) {
      inputs.push({ ...named, bytes: 0, mtimeMs: info.mtimeMs, gzip: false, format: undefined });
      continue;
    }
    const head = await readHead(raw, gzip);
    if (head.length === 0) {
      // A gzip of nothing (a rotated log with no traffic): empty, as an empty plain file is.
      inputs.push({ ...named, bytes: info.size, mtimeMs: info.mtimeMs, gzip, format: undefined });
      continue;
    }
    const detected = recognise(head, format, trx, audit);
    if (!detected) {
      throw new CertcrunchError('ERR_FORMAT', `${path}: unknown log format (use --format to force one)`);
    }
    const input: InputFile = { ...named, bytes: info.size, mtimeMs: info.mtimeMs, inode: info.ino, gzip, format: detected.format };
    if (detected.trx) input.trx = detected.trx;
    if (detected.audit) input.audit = detected.audit;
    const fields = detected.format === 'proxysg' ? firstFieldsDirective(head) : undefined;
    if (fields !== undefined) input.headFields = fields;
    inputs.push(input);
  }
  return inputs;
}
