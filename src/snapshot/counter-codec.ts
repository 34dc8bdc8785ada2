import { Counter } from '../aggregate/counter.js';
import { SortedCounter } from '../aggregate/sorted-counter.js';
import { CertcrunchError } from '../errors.js';

/** Counters and packed strings between their in-memory form and their protobuf messages. */

// Plain-object shapes of the protobuf messages (camelCase, as protobufjs gives them).
export interface StringCounterMsg { keys?: Uint8Array; keyLengths?: ArrayLike<number>; counts?: ArrayLike<number> }
export interface IntCounterMsg { keys?: number[]; counts?: number[] }
export type Msg = Record<string, unknown>;

export const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
export const bytesOf = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Latin1 strings packed back to back into one buffer, with their lengths. */
export function packStrings(values: readonly string[]): { blob: Buffer; lengths: Uint32Array } {
  let size = 0;
  const lengths = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) size += lengths[i] = values[i]!.length;
  const blob = Buffer.allocUnsafe(size);
  let at = 0;
  for (const v of values) at += blob.write(v, at, 'latin1');
  return { blob, lengths };
}

export function unpackStrings(blob: Uint8Array | undefined, lengths: ArrayLike<number> | undefined): string[] {
  const count = lengths?.length ?? 0;
  const size = blob?.byteLength ?? 0;
  let total = 0;
  for (let i = 0; i < count; i++) total += lengths![i]!;
  if (total > size) throw new CertcrunchError('ERR_SNAPSHOT', 'packed strings run past their bytes');
  if (total !== size) throw new CertcrunchError('ERR_SNAPSHOT', 'packed strings leave bytes over');
  // One decode of the whole blob, then a substring per value: a decode per value costs a call
  // into the runtime each, and these run once per snapshot, before the code is optimised.
  const text = size > 0 ? latin1(blob!) : '';
  const out: string[] = new Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = lengths![i]!;
    out[i] = text.substring(at, at + n);
    at += n;
  }
  return out;
}

export function encodeCounter(c: Counter<string>): StringCounterMsg {
  // Keys alone, sorted natively (latin1 strings compare as their bytes): for a million hosts,
  // an array of [key, count] pairs costs tens of MB more.
  const keys = [...c.map.keys()].sort();
  const counts = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) counts[i] = c.map.get(keys[i]!)!;
  const { blob, lengths } = packStrings(keys);
  return { keys: blob, keyLengths: lengths, counts };
}

export function decodeCounter(msg: StringCounterMsg | undefined, into: Counter<string> = new Counter()): Counter<string> {
  const keys = unpackStrings(msg?.keys, msg?.keyLengths);
  const counts = msg?.counts ?? [];
  if (keys.length !== counts.length) throw new CertcrunchError('ERR_SNAPSHOT', 'counter keys and counts differ in length');
  if (into.size === 0) {
    // A canonical snapshot lists each key once; set them, and add up only if some key repeats.
    keys.forEach((k, i) => into.map.set(k, Number(counts[i])));
    if (into.size === keys.length) return into;
    into.map.clear();
  }
  keys.forEach((k, i) => into.add(k, Number(counts[i])));
  return into;
}

export function encodeSortedCounter(c: SortedCounter): StringCounterMsg {
  const { keys, lengths, counts } = c.packed();
  return { keys, keyLengths: lengths, counts };
}

export function decodeSortedCounter(msg: StringCounterMsg | undefined): SortedCounter {
  try {
    return SortedCounter.fromPacked({
      keys: (msg?.keys ?? new Uint8Array(0)).slice(), // its own bytes, not a view that holds the whole snapshot
      lengths: Uint32Array.from(msg?.keyLengths ?? []),
      counts: Float64Array.from(msg?.counts ?? []),
    });
  } catch (err) {
    throw new CertcrunchError('ERR_SNAPSHOT', `counter: ${(err as Error).message}`);
  }
}

export function encodeIntCounter(c: Counter<number>): IntCounterMsg {
  const entries = c.sorted();
  return { keys: entries.map(([k]) => k), counts: entries.map(([, n]) => n) };
}

export function decodeIntCounter(msg: IntCounterMsg | undefined, into: Counter<number>): void {
  const keys = msg?.keys ?? [];
  const counts = msg?.counts ?? [];
  if (keys.length !== counts.length) throw new CertcrunchError('ERR_SNAPSHOT', 'counter keys and counts differ in length');
  keys.forEach((k, i) => into.add(Number(k), Number(counts[i])));
}
