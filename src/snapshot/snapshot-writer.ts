import { compareKeys } from '../aggregate/counter.js';
import type { AuditStats } from '../aggregate/audit.js';
import type { OcspStats } from '../aggregate/ocsp.js';
import type { Snapshot } from './snapshot.js';
import { SCHEMA_VERSION } from './snapshot.js';
import { ByteWriter } from './byte-writer.js';
import { encodeCounter } from './counter-codec.js';
import { writeProxySg, writeStringCounter } from './proxysg-writer.js';

/** The bodies of a snapshot's EJBCA parts (codec.ts writes them with protobufjs). */
export interface EjbcaPartWriter {
  ocsp(o: OcspStats): Uint8Array;
  audit(a: AuditStats): Uint8Array;
  reconcile(r: NonNullable<Snapshot['reconcile']>): Uint8Array;
}

/**
 * Snapshot → certcrunch.v1.Snapshot bytes, the envelope and the ProxySG part written by hand:
 * a scan thread over ProxySG logs then never loads protobufjs, nor has it build its code.
 * The bytes are exactly what protobufjs writes for the same message (fields in order, every
 * field the snapshot holds written, even when zero); tests hold them to it. The EJBCA parts
 * come from `ejbca`, required when the snapshot has them.
 */
export function writeSnapshot(s: Snapshot, ejbca?: EjbcaPartWriter): Uint8Array {
  const w = new ByteWriter();
  w.uint(1, SCHEMA_VERSION);
  w.delimited(2, () => writeMeta(w, s.meta));
  w.delimited(3, () => {
    w.uint(1, s.records.wellFormed);
    w.delimited(2, () => writeStringCounter(w, encodeCounter(s.records.malformed)));
    for (const sample of s.records.samples) {
      w.delimited(3, () => {
        w.string(1, sample.path);
        w.uint(2, sample.offset);
        w.string(3, sample.reason);
        w.string(4, sample.excerpt);
      });
    }
  });
  if (s.proxysg) w.delimited(4, () => writeProxySg(w, s.proxysg!));
  if ((s.ocsp || s.audit || s.reconcile) && !ejbca) throw new Error('a snapshot with EJBCA parts needs their writer (codec.ts encodeSnapshot)');
  if (s.ocsp) w.bytes(5, ejbca!.ocsp(s.ocsp));
  if (s.audit) w.bytes(6, ejbca!.audit(s.audit));
  if (s.reconcile) w.bytes(7, ejbca!.reconcile(s.reconcile));
  return w.buf.subarray(0, w.pos);
}

function writeMeta(w: ByteWriter, meta: Snapshot['meta']): void {
  w.string(1, meta.toolVersion);
  w.string(2, meta.kernel);
  w.string(3, meta.createdAt);
  w.double(4, meta.elapsedMs);
  for (const input of [...meta.inputs.values()].sort((a, b) => compareKeys(a.path, b.path))) {
    w.delimited(5, () => {
      w.string(1, input.path);
      w.string(2, input.format);
      w.uint(3, input.bytes);
      w.double(4, input.mtimeMs);
      w.uint(5, input.gzip);
      for (const [start, end] of input.ranges) {
        w.delimited(6, () => {
          w.uint(1, start);
          w.uint(2, end);
        });
      }
    });
  }
  for (const error of meta.fileErrors) {
    w.delimited(6, () => {
      w.string(1, error.path);
      w.uint(2, error.offset);
      w.string(3, error.message);
    });
  }
  w.uint(7, meta.distinctExactLimit);
}
