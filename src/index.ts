/**
 * certcrunch as a library: analyse logs into a mergeable snapshot, encode or decode snapshots
 * (certcrunch.v1.Snapshot), merge them, and build or render reports.
 */
export { analyze, type AnalyzeOptions, type AnalyzeResult } from './cli/analyze-flow.js';
export { Snapshot, Meta, type InputInfo, type FileError } from './snapshot/snapshot.js';
export { encodeSnapshot, decodeSnapshot } from './snapshot/codec.js';
export { PROTO_PATH } from './snapshot/schema.js';
export { SCHEMA_VERSION } from './snapshot/snapshot.js';
export { buildReport, type Report, type ReportOptions, type ProxySgReport } from './report/model.js';
export type { OcspReport } from './report/ocsp-model.js';
export { renderText } from './report/text.js';
export { renderHtml } from './report/html.js';
export { writeCsvTables } from './report/csv.js';
export { selectKernel } from './native/load.js';
export { CertcrunchError, type ErrorCode } from './errors.js';
export { LOG_FORMATS, type LogFormat } from './scan/task.js';
export { generateProxySg, type ProxySgGenOptions } from './generate/proxysg.js';
export { generateEjbcaTrx, type EjbcaTrxGenOptions } from './generate/ejbca-trx.js';
export { TOOL_VERSION } from './version.js';
