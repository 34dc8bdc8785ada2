import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { installStringCounterWire } from './string-counter-wire.js';
import { installProxySgWire } from './proxysg-wire.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The .proto ships in the package; src/snapshot and dist/snapshot are both two levels below the root. */
export const PROTO_PATH = join(here, '..', '..', 'src', 'snapshot', 'certcrunch.proto');

// 64-bit fields decode to plain numbers: counts stay far below 2^53.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

let snapshotType: protobuf.Type | undefined;

export function snapshotMessage(): protobuf.Type {
  if (!snapshotType) {
    const root = protobuf.parse(readFileSync(PROTO_PATH, 'utf8'), { keepCase: false }).root;
    // Resolves proto3's defaults, such as packed repeated numbers, before any code is generated.
    root.resolveAll();
    // A type's code is generated on its first message (a ProxySG scan never writes the OCSP
    // types); the hand-written codecs replace StringCounter's and ProxySg's now.
    const stringCounter = root.lookupType('certcrunch.v1.StringCounter');
    installStringCounterWire(stringCounter);
    installProxySgWire(root.lookupType('certcrunch.v1.ProxySg'), stringCounter, root.lookupType('certcrunch.v1.IntCounter'));
    snapshotType = root.lookupType('certcrunch.v1.Snapshot');
  }
  return snapshotType;
}
