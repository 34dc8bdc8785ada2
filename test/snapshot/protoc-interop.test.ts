import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/cli/analyze-flow.js';
import { PROTO_PATH } from '../../src/snapshot/schema.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/snapshot/codec.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { reportJson } from '../helpers/analyze.js';

/*
 * Other systems read snapshots with their own protobuf code, from the shipped .proto. Much of a
 * snapshot is written by hand (snapshot-writer.ts), so it is read here by protoc, the reference
 * implementation (Debian's protobuf-compiler, which .ci/run installs), and protoc's own encoding
 * of the same message is read back by certcrunch.
 */
const hasProtoc = spawnSync('protoc', ['--version']).status === 0;
// Without protoc a developer's run skips this; CI must not.
const run = hasProtoc || process.env.CI === 'true' ? it : it.skip;

const examples = join(import.meta.dirname, '..', '..', 'examples');
const protoArgs = (mode: 'decode' | 'encode') => [`--${mode}=certcrunch.v1.Snapshot`, '-I', join(PROTO_PATH, '..'), PROTO_PATH];

function protoc(mode: 'decode' | 'encode', input: Uint8Array | string): Buffer {
  const r = spawnSync('protoc', protoArgs(mode), { input, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** The first `name: value` line of a top-level message's block in protoc's text format. */
function field(text: string, message: string, name: string): string | undefined {
  const block = text.split(`\n${message} {\n`)[1]?.split('\n}\n')[0] ?? '';
  return new RegExp(`^  ${name}: (.+)$`, 'm').exec(block)?.[1];
}

/** What a snapshot holds, minus when and how fast it was made. */
function contents(s: Snapshot): unknown {
  const { toolVersion, kernel, inputs, fileErrors, distinctExactLimit } = s.meta;
  return { meta: { toolVersion, kernel, inputs: [...inputs.values()], fileErrors, distinctExactLimit }, report: JSON.parse(reportJson(s)) };
}

describe('snapshots and protoc', () => {
  run('protoc reads every part of an analysis of all three log kinds, with the counts certcrunch reports', async () => {
    const { snapshot } = await analyze([examples], { workers: 0 });
    expect(snapshot.proxysg && snapshot.ocsp && snapshot.audit && snapshot.reconcile).toBeTruthy();
    const text = protoc('decode', encodeSnapshot(snapshot)).toString();
    expect(field(text, 'proxysg', 'requests')).toBe(String(snapshot.proxysg!.requests));
    expect(field(text, 'proxysg', 'requests_with_cert_errors')).toBe(String(snapshot.proxysg!.requestsWithCertErrors));
    expect(field(text, 'ocsp', 'lines')).toBe(String(snapshot.ocsp!.lines));
    expect(field(text, 'audit', 'records')).toBe(String(snapshot.audit!.records));
    expect(text).toContain('error_hosts {');
    expect(text).toContain('hdr_histogram: "');
  });

  run('certcrunch reads protoc\'s encoding of the same snapshot as the original', async () => {
    const { snapshot } = await analyze([examples], { workers: 0 });
    const original = encodeSnapshot(snapshot);
    const reencoded = protoc('encode', protoc('decode', original));
    // protoc leaves proto3 zeros out, which the writers here do not always: other bytes, one message.
    expect(contents(decodeSnapshot(reencoded))).toEqual(contents(decodeSnapshot(original)));
  });
});
