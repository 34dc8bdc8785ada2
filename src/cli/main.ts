#!/usr/bin/env node
import { resolve, sep } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { cannot, CertcrunchError, isCertcrunchError } from '../errors.js';
import { selectKernel } from '../native/load.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { TOOL_VERSION } from '../version.js';
import { analyze } from './analyze-flow.js';
import type { OutputFailures, OutputOptions } from './output.js';
import { MAX_WORKERS, parseChunkSize, parseFormat, parseWholeNumber } from './options.js';
import { createProgress } from './progress.js';
import type { TrxEra, TrxLayout } from '../generate/ejbca-trx.js';
import type { AuditForm, EjbcaAuditGenStats } from '../generate/ejbca-audit.js';
import { defaultWorkers } from '../scan/pool.js';
import { terminalSafe, terminalSafeJson } from '../report/text-safety.js';
import type { LogFormat } from '../scan/task.js';
import type { TrxChoice } from '../input/trx-detect.js';
import { parseJavaProperties } from '../formats/ejbca/properties.js';
import { AUDIT_VARIABLES, compileOrder, settingsFromProperties, TRX_VARIABLES } from '../formats/ejbca/order.js';
import type { AuditChoice } from '../input/audit-detect.js';
import { compilePrefixProgram } from '../formats/log4j/prefix-program.js';
import { stdinStats } from '../input/identity.js';

function versionText(): string {
  const choice = selectKernel();
  return `certcrunch ${TOOL_VERSION} (kernel: ${choice.kernel.name}${choice.reason ? `; ${choice.reason}` : ''})`;
}

/** Report rendering and output load when a command needs them, not before every scan. */
const outputModule = () => import('./output.js');
// Light (no snapshot codec): it runs before the scan, whose start it must not delay.
const refuseModule = () => import('./refuse-outputs.js');

async function emitOutputs(snapshot: Snapshot, options: OutputOptions): Promise<OutputFailures> {
  return (await outputModule()).emitOutputs(snapshot, options);
}

async function readSnapshots(paths: readonly string[]): Promise<Snapshot> {
  const [{ decodeSnapshot }, { Snapshot }] = await Promise.all([import('../snapshot/codec.js'), import('../snapshot/snapshot.js')]);
  const merged = new Snapshot();
  // Reconciliation rows exist only in snapshots of runs that read both EJBCA logs.
  let reconciled = 0;
  let ejbcaWithout = 0;
  if (paths.filter((p) => p === '-').length > 1) throw new CertcrunchError('ERR_USAGE', 'standard input (-) can be read once');
  for (const path of paths) {
    let bytes: Buffer;
    try {
      bytes = path === '-' ? await readStdin() : await readFile(path);
    } catch (err) {
      if (isCertcrunchError(err)) throw err;
      throw cannot('read', err, path === '-' ? 'standard input' : path);
    }
    const part = decodeSnapshot(bytes, path);
    if (part.reconcile) reconciled++;
    else if (part.ocsp || part.audit) ejbcaWithout++;
    merged.merge(part);
  }
  if (reconciled > 0 && ejbcaWithout > 0) {
    process.stderr.write(`certcrunch: warning: ${ejbcaWithout} EJBCA snapshot(s) made from one kind of log only are left out of the reconciliation\n`);
  }
  for (const input of merged.meta.overlaps) {
    process.stderr.write(`certcrunch: warning: more than one snapshot read the same bytes of ${terminalSafe(input)}; its records count once per snapshot\n`);
  }
  return merged;
}

/** Most records malformed is most often a log read as what it is not: says so, and what to check. */
function warnIfMostlyMalformed(snapshot: Snapshot, formatForced: boolean): void {
  const { total, malformedTotal } = snapshot.records;
  if (total < 10 || malformedTotal * 2 <= total) return;
  const check = formatForced ? '--format' : 'the format options (--format, --ocsp-properties, --trx-order, --audit-order, --log4j-pattern)';
  process.stderr.write(`certcrunch: warning: ${malformedTotal} of ${total} records are malformed; check ${check}\n`);
}

/** All of standard input; a directory there is said to be one (Node would read it as empty). */
async function readStdin(): Promise<Buffer> {
  if ((await stdinStats())?.isDirectory()) throw new CertcrunchError('ERR_INPUT', 'standard input is a directory, not a snapshot');
  return readAll(process.stdin);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(parts);
}

function buildProgram(): Command {
  const program = new Command('certcrunch')
    .description('Crunch certificate-trust logs into mergeable snapshots and reports.')
    .version(versionText(), '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`certcrunch: ${text.replace(/^error: /, '')}`) });

  program
    .command('analyze')
    .description('crunch logs into one snapshot and report it')
    .argument('<paths...>', 'files, directories (recursive), .gz files, or - for stdin')
    .addOption(new Option('--format <format>', 'auto, or force: proxysg, ejbca-trx, ejbca-audit').default('auto').argParser(parseFormat))
    .option('--ocsp-properties <file>', "read ocsp.trx-log-order, ocsp.trx-log-pattern, ocsp.audit-log-order, ocsp.audit-log-pattern, ocsp.log-date and ocsp.log-timezone from the responder's ocsp.properties")
    .option('--trx-order <string>', 'the ocsp.trx-log-order itself (overrides the file)')
    .option('--audit-order <string>', 'the ocsp.audit-log-order itself (overrides the file)')
    .option('--no-verify-signatures', 'do not check the signatures of audit-logged responses')
    .option('--ca <file>', 'PEM CA certificates that audit-logged response signers must chain to')
    .option('--log4j-pattern <pattern>', 'ConversionPattern wrapping each line, e.g. "%d %-5p [%c] %m%n" (default: detect)')
    .option('-o, --out <file>', 'write the snapshot (protobuf certcrunch.v1.Snapshot)')
    .option('--json', 'print the JSON report on stdout instead of text')
    .option('--csv <dir>', 'write every report table as a CSV file into DIR')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--workers <n>', 'worker threads (0: scan in the main thread)', parseWholeNumber(0, MAX_WORKERS), defaultWorkers())
    .option('--chunk-size <bytes>', 'byte-range size for splitting files (e.g. 64MiB; raised to make at most 4,096 ranges)', parseChunkSize)
    .option('--top <n>', 'rows in ranked tables', parseWholeNumber(1), 20)
    .option('--no-progress', 'no progress bar (also off when stderr is not a terminal)')
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const progress = createProgress(opts['progress'] !== false);
      const format = opts['format'] === 'auto' ? undefined : (opts['format'] as LogFormat);
      const { trx, audit } = await ejbcaChoices(opts);
      // An output naming an input given as a file is refused before the run; one found in a
      // directory, once the run has listed it: it is left unwritten, the rest goes out as usual.
      const { outputsOnInputs, refusal, checkOutputPaths } = await refuseModule();
      await checkOutputPaths(outputOptions(opts));
      const refusedFirst = await outputsOnInputs(outputOptions(opts), paths);
      if (refusedFirst.length > 0) throw refusal(refusedFirst);
      const result = await analyze(paths, {
        ...(format ? { format } : {}),
        trx,
        audit,
        verifySignatures: opts['verifySignatures'] !== false,
        ...(typeof opts['ca'] === 'string' ? { caPem: await readCaFile(opts['ca']) } : {}),
        workers: opts['workers'] as number,
        ...(opts['chunkSize'] ? { chunkBytes: opts['chunkSize'] as number } : {}),
        onProgress: progress.update,
      }).finally(progress.stop);
      warnIfMostlyMalformed(result.snapshot, format !== undefined);
      const outputs: OutputOptions = outputOptions(opts);
      const refused = await outputsOnInputs(outputs, result.listed);
      for (const key of ['out', 'html'] as const) if (refused.includes(outputs[key] ?? '')) delete outputs[key];
      throwFailures({ refused, fileErrors: result.fileErrors, outputs: await emitOutputs(result.snapshot, outputs) });
    });

  program
    .command('report')
    .description('report one snapshot, or several merged')
    .argument('<snapshots...>', 'snapshot files, or - for standard input')
    .option('--json', 'print the JSON report')
    .option('--csv <dir>', 'write every report table as a CSV file into DIR')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--top <n>', 'rows in ranked tables', parseWholeNumber(1), 20)
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { outputsOnInputs, refusal, checkOutputPaths } = await refuseModule();
      await checkOutputPaths(outputOptions(opts));
      const refused = await outputsOnInputs(outputOptions(opts), paths);
      if (refused.length > 0) throw refusal(refused);
      throwFailures({ outputs: await emitOutputs(await readSnapshots(paths), outputOptions(opts)) });
    });

  program
    .command('reconcile')
    .description('check EJBCA transaction logs against audit logs request by request')
    .requiredOption('--trx <paths...>', 'transaction logs')
    .requiredOption('--audit <paths...>', 'audit logs')
    .option('--json', 'print the JSON report')
    .option('--no-verify-signatures', 'do not check the signatures of audit-logged responses')
    .option('--ca <file>', 'PEM CA certificates that audit-logged response signers must chain to')
    .option('--workers <n>', 'worker threads (0: the main thread)', parseWholeNumber(0, MAX_WORKERS), defaultWorkers())
    .action(async (opts: { trx: string[]; audit: string[]; json?: boolean; verifySignatures: boolean; ca?: string; workers: number }) => {
      const both = await analyze([...opts.trx, ...opts.audit], {
        workers: opts.workers,
        verifySignatures: opts.verifySignatures,
        ...(opts.ca ? { caPem: await readCaFile(opts.ca) } : {}),
      });
      // Each file read, named or found in a named directory, must be of the kind its option says.
      // Compared resolved: `./dir` and `dir/` name the same files as `dir`.
      const within = (file: string, roots: readonly string[]): boolean =>
        roots.some((root) => {
          const [f, r] = [resolve(file), resolve(root)];
          return f === r || f.startsWith(r.endsWith(sep) ? r : r + sep);
        });
      const wrong: string[] = [];
      for (const { path, format } of both.snapshot.meta.inputs.values()) {
        if (format === 'empty') continue;
        if (within(path, opts.trx) && format !== 'ejbca-trx') wrong.push(`${path} is not a transaction log`);
        if (within(path, opts.audit) && format !== 'ejbca-audit') wrong.push(`${path} is not an audit log`);
      }
      if (wrong.length > 0) throw new CertcrunchError('ERR_FORMAT', `reconcile: ${wrong.join('; ')}`);
      if (!both.snapshot.reconcile) {
        // A side missing for a file that could not be read: that file is the cause to name.
        const e = both.fileErrors[0];
        const cause = e ? `; ${fileErrorText(e)}` : '';
        throw new CertcrunchError(e ? 'ERR_INPUT' : 'ERR_FORMAT', `reconcile: needs both transaction and audit logs${cause}`);
      }
      throwFailures({ fileErrors: both.fileErrors, outputs: await emitOutputs(both.snapshot, opts.json ? { json: true } : {}) });
    });

  program
    .command('decode')
    .description('decode one OCSP request or response (hex or DER)')
    .argument('[hex]', 'the hex of a DER OCSPRequest or OCSPResponse')
    .option('--file <file>', 'read it from a file (DER, or hex text)')
    .option('--json', 'print JSON')
    .action(async (hex: string | undefined, opts: { file?: string; json?: boolean }) => {
      const der = await readOcspInput(hex, opts.file);
      const { describeOcsp } = await import('../formats/ocsp/describe.js');
      let described;
      try {
        described = describeOcsp(der);
      } catch (err) {
        throw new CertcrunchError('ERR_FORMAT', `${opts.file ?? 'argument'}: not a decodable OCSP request or response (${(err as Error).message})`);
      }
      await (await outputModule()).writeStdout(opts.json ? `${terminalSafeJson(described.json)}\n` : described.text.split('\n').map(terminalSafe).join('\n') + '\n');
    });

  program
    .command('merge')
    .description('merge snapshots into one')
    .argument('<snapshots...>', 'snapshot files, or - for standard input')
    .requiredOption('-o, --out <file>', 'the merged snapshot')
    .action(async (paths: string[], opts: { out: string }) => {
      await (await refuseModule()).checkOutputPaths(opts);
      const { encodeSnapshot } = await import('../snapshot/codec.js');
      await (await outputModule()).writeWhole(opts.out, encodeSnapshot(await readSnapshots(paths)));
    });

  const generate = program.command('generate').description('write synthetic logs for tests and benchmarks');
  const common = (cmd: Command): Command =>
    cmd
      .requiredOption('--bytes <n>', 'at least this many bytes (e.g. 1GiB)', parseChunkSize)
      .option('--seed <n>', 'random seed', parseWholeNumber(0), 1)
      .option('--malformed-rate <fraction>', 'share of malformed records', parseFraction, 0)
      .requiredOption('-o, --out <file>', 'output file');
  common(generate.command('proxysg').description('ProxySG bcreporterssl_v2 ELFF log'))
    .option('--fields-change', 'switch to a new #Fields layout half way')
    .action(async (opts: { bytes: number; seed: number; malformedRate: number; fieldsChange?: boolean; out: string }) => {
      const { generateProxySg } = await import('../generate/proxysg.js');
      await writeGenerated(opts.out, (out) =>
        generateProxySg({ bytes: opts.bytes, seed: opts.seed, malformedRate: opts.malformedRate, fieldsChange: Boolean(opts.fieldsChange) }, out),
      );
    });
  common(generate.command('ejbca-trx').description('EJBCA OCSP transaction log'))
    .addOption(new Option('--era <era>', 'EJBCA version era').choices(['6.x', '7.0-7.7', '7.8+']).default('7.8+'))
    .addOption(new Option('--layout <layout>', 'log4j layout').choices(['bare', 'docs', 'jboss7', 'wildfly']).default('bare'))
    .option('--process-time', 'the ocsp.properties.sample order with PROCESS_TIME')
    .option('--other-logger-rate <fraction>', 'share of lines from other loggers (prefixed layouts)', parseFraction, 0)
    .option('--sessions <n>', 'responder restarts (SESSION_ID changes, LOG_ID restarts)', parseWholeNumber(1), 3)
    .action(async (opts: { bytes: number; seed: number; malformedRate: number; era: TrxEra; layout: TrxLayout; processTime?: boolean; otherLoggerRate: number; sessions: number; out: string }) => {
      const { generateEjbcaTrx } = await import('../generate/ejbca-trx.js');
      await writeGenerated(opts.out, (out) =>
        generateEjbcaTrx(
          {
            bytes: opts.bytes, seed: opts.seed, era: opts.era, layout: opts.layout, processTime: Boolean(opts.processTime),
            malformedRate: opts.malformedRate, otherLoggerRate: opts.otherLoggerRate, sessions: opts.sessions,
          },
          out,
        ),
      );
    });
  common(generate.command('ejbca-audit').description('EJBCA OCSP audit log with real, signed OCSP blobs'))
    .addOption(new Option('--form <form>', 'audit order form').choices(['properties', 'sample-process-time', '7.8+']).default('properties'))
    .addOption(new Option('--layout <layout>', 'log4j layout').choices(['bare', 'docs', 'jboss7', 'wildfly']).default('bare'))
    .option('--undecodable-rate <fraction>', 'share of records whose hex or DER is bad', parseFraction, 0)
    .option('--sessions <n>', 'responder restarts (SESSION_ID changes, LOG_ID restarts)', parseWholeNumber(1), 3)
    .option('--trx-out <file>', 'also write the matching transaction log (EJBCA 7.0-7.7 default order)')
    .action(async (opts: { bytes: number; seed: number; malformedRate: number; form: AuditForm; layout: TrxLayout; undecodableRate: number; sessions: number; trxOut?: string; out: string }) => {
      const { generateEjbcaAudit } = await import('../generate/ejbca-audit.js');
      if (opts.trxOut !== undefined && (await (await refuseModule()).sameFile(opts.out, opts.trxOut))) {
        throw new CertcrunchError('ERR_USAGE', `generate: --trx-out ${opts.trxOut} is the file -o names; give the transaction log a file of its own`);
      }
      const trxOut = opts.trxOut === undefined ? undefined : await openForWriting(opts.trxOut);
      let stats: EjbcaAuditGenStats | undefined;
      await writeGenerated(opts.out, async (out) => {
        stats = await generateEjbcaAudit(
          {
            bytes: opts.bytes, seed: opts.seed, form: opts.form, layout: opts.layout, malformedRate: opts.malformedRate,
            undecodableRate: opts.undecodableRate, sessions: opts.sessions, ...(trxOut ? { trxOut } : {}),
          },
          out,
        ).catch((err: unknown) => {
          // The transaction log's own failure is named as its own.
          if (trxOut?.errored) throw cannot('write', trxOut.errored, opts.trxOut!);
          throw err;
        });
        return stats;
      });
      if (trxOut === undefined) return;
      await endWriting(trxOut, opts.trxOut!);
      const r = stats?.reconcile;
      if (r) process.stderr.write(`wrote ${opts.trxOut}; reconcile should give matched ${r.matched}, mismatched ${r.mismatched}, trxOnly ${r.trxOnly}, auditOnly ${r.auditOnly}\n`);
    });
  return program;
}

/** A PEM bundle of CA certificates, checked here so a bad file is a clear usage error. */
async function readCaFile(path: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, 'latin1');
  } catch (err) {
    throw cannot('read', err, path);
  }
  const { parsePemCertificates } = await import('../scan/audit-step.js');
  try {
    if (parsePemCertificates(pem).length === 0) throw new Error('no certificate in it');
  } catch (err) {
    throw new CertcrunchError('ERR_INPUT', `${path}: not a PEM certificate bundle (${(err as Error).message})`);
  }
  return pem;
}

/** The DER to decode: from the argument (hex) or a file (DER, or hex text). */
async function readOcspInput(hex: string | undefined, file: string | undefined): Promise<Uint8Array> {
  if ((hex === undefined) === (file === undefined)) throw new CertcrunchError('ERR_USAGE', 'decode: give either HEX or --file FILE');
  let text: string;
  if (file !== undefined) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw cannot('read', err, file);
    }
    if (bytes[0] === 0x30) return bytes; // DER
    // Hex saved by an editor may open with a UTF-8 byte order mark.
    text = bytes.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  } else {
    text = hex!;
  }
  const { decodeHex } = await import('../formats/ocsp/hex.js');
  // As the audit log writes a blob: "3082…"; (quotes and the separator around it are not hex).
  const decoded = decodeHex(text.replace(/\s+/g, '').replace(/^"(.*)";?$/, '$1'));
  if ('error' in decoded) throw new CertcrunchError('ERR_FORMAT', `${file ?? 'argument'}: hex ${decoded.error} at character ${decoded.offset}`);
  return decoded.bytes;
}

/** What the options say of how transaction and audit logs were written. */
async function ejbcaChoices(opts: Record<string, unknown>): Promise<{ trx: TrxChoice; audit: AuditChoice }> {
  const choice: TrxChoice = {};
  const audit: AuditChoice = {};
  if (typeof opts['ocspProperties'] === 'string') {
    const path = opts['ocspProperties'];
    let text: string;
    try {
      text = await readFile(path, 'latin1'); // java.util.Properties reads ISO-8859-1
    } catch (err) {
      throw cannot('read', err, path);
    }
    const settings = settingsFromProperties(parseJavaProperties(text));
    if (settings.trxOrder !== undefined) choice.order = settings.trxOrder;
    if (settings.trxPattern !== undefined) choice.pattern = settings.trxPattern;
    if (settings.logDate !== undefined) choice.logDate = settings.logDate;
    if (settings.logTimeZone !== undefined) choice.logTimeZone = settings.logTimeZone;
    if (settings.auditOrder !== undefined) audit.order = settings.auditOrder;
    if (settings.auditPattern !== undefined) audit.pattern = settings.auditPattern;
  }
  if (typeof opts['auditOrder'] === 'string') audit.order = opts['auditOrder'];
  if (typeof opts['trxOrder'] === 'string') choice.order = opts['trxOrder'];
  if (typeof opts['log4jPattern'] === 'string') {
    choice.layout = opts['log4jPattern'];
    audit.layout = opts['log4jPattern'];
  }
  if (audit.order !== undefined) {
    try {
      compileOrder(audit.order, AUDIT_VARIABLES, audit.pattern);
    } catch (err) {
      throw new CertcrunchError('ERR_OPTION', `--audit-order: ${(err as Error).message}`);
    }
  }
  if (choice.order !== undefined) {
    try {
      compileOrder(choice.order, TRX_VARIABLES, choice.pattern);
    } catch (err) {
      throw new CertcrunchError('ERR_OPTION', `--trx-order: ${(err as Error).message}`);
    }
  }
  if (choice.layout !== undefined) {
    try {
      compilePrefixProgram(choice.layout);
    } catch (err) {
      throw new CertcrunchError('ERR_OPTION', `--log4j-pattern: ${(err as Error).message}`);
    }
  }
  return { trx: choice, audit };
}

function parseFraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`expected a fraction from 0 to 1, got ${JSON.stringify(value)}`);
  return n;
}

/** A file stream opened for a generator; a bad path fails here, as a one-line error naming it. */
async function openForWriting(path: string): Promise<WriteStream> {
  if (path === '-') throw new CertcrunchError('ERR_USAGE', 'generate: - names no file; outputs go to files');
  const out = createWriteStream(path);
  try {
    await once(out, 'open');
  } catch (err) {
    throw cannot('write', err, path);
  }
  // Later failures (a full disk) reach the generator's writes and end()'s callback, which name
  // the file; without a listener they would also be thrown as an unhandled event.
  out.on('error', () => undefined);
  return out;
}

async function endWriting(out: WriteStream, path: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    // A write that failed before the end (a full disk while generating) destroyed the stream:
    // its own error says why, not end()'s "stream destroyed".
    throw cannot('write', out.errored ?? err, path);
  }
}

/** Runs a generator into a file and says what it wrote. */
async function writeGenerated(path: string, generate: (out: NodeJS.WritableStream) => Promise<{ bytes: number; malformed: number } & ({ records: number } | { lines: number })>): Promise<void> {
  const out = await openForWriting(path);
  let stats;
  try {
    stats = await generate(out);
  } catch (err) {
    out.destroy();
    throw err instanceof CertcrunchError ? err : cannot('write', err, path);
  }
  await endWriting(out, path);
  const records = 'records' in stats ? `${stats.records} records` : `${stats.lines} lines`;
  process.stderr.write(`wrote ${stats.bytes} bytes, ${records} (${stats.malformed} malformed) to ${path}\n`);
}

function outputOptions(opts: Record<string, unknown>) {
  return {
    ...(opts['json'] ? { json: true } : {}),
    ...(typeof opts['csv'] === 'string' ? { csv: opts['csv'] } : {}),
    ...(typeof opts['html'] === 'string' ? { html: opts['html'] } : {}),
    ...(typeof opts['out'] === 'string' ? { out: opts['out'] } : {}),
    ...(typeof opts['top'] === 'number' ? { top: opts['top'] } : {}),
  };
}

type FileError = { path: string; offset: number; message: string };

/** A file error as one line tells it: where, then what. */
function fileErrorText(e: FileError): string {
  return `${e.path}: ${e.offset > 0 ? `at byte ${e.offset}: ` : ''}${e.message}`;
}

/**
 * After the outputs have gone out, what went wrong, as one error on one line: outputs refused
 * for naming an input (a usage error, exit 2), file errors (the first named, the rest
 * counted) and outputs that failed; nothing when all went well.
 */
function throwFailures(run: {
  refused?: readonly string[];
  fileErrors?: readonly FileError[];
  outputs: OutputFailures;
}): void {
  const parts: string[] = [];
  const refused = run.refused ?? [];
  if (refused.length > 0) parts.push(`${refused.join(', ')}: is one of the inputs; not written, write it elsewhere`);
  const e = run.fileErrors?.[0];
  if (e !== undefined) {
    const others = run.fileErrors!.length - 1;
    const more = others > 0 ? `; ${others} more file error${others > 1 ? 's' : ''} in the report` : '';
    // Past byte 0 the file broke part-way: what came before the break was read.
    const counted = e.offset > 0 ? 'the records before it, and any other inputs, were counted' : 'any other inputs were read';
    parts.push(`${fileErrorText(e)} (${counted}${more})`);
  }
  parts.push(...run.outputs.messages);
  if (parts.length === 0) return;
  const printed = run.outputs.printed ? 'the report was printed' : 'the report could not be printed';
  throw new CertcrunchError(refused.length > 0 ? 'ERR_USAGE' : 'ERR_INPUT', `${parts.join('; ')}; ${printed}`);
}

/** Exit codes: 0 done, 1 fatal error (one line naming the file), 2 usage. */
async function main(argv: string[]): Promise<number> {
  // Errors writing to stdout reach the write callbacks (output.ts writeStdout); without a
  // listener the same error would also be thrown as an unhandled event, with a stack trace.
  process.stdout.on('error', () => undefined);
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help asked for is done (0); help shown for a missing command is a usage error (2).
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
      // A bad option value is a fatal error (1); an unknown option or a missing argument is usage (2).
      return err.code === 'commander.invalidArgument' ? 1 : 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    // One line, whatever the message holds: a newline in a file name is escaped, not cut at.
    process.stderr.write(`certcrunch: ${terminalSafe(message)}\n`);
    if (isCertcrunchError(err) && err.code === 'ERR_USAGE') return 2;
    return 1;
  }
}

process.exitCode = await main(process.argv);
