import { createRequire } from 'node:module';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ADDON_ABI_VERSION, type NativeAddon } from './addon-types.js';
import type { CompiledPattern, ElffOutput, ElffScanRequest, ElffTally, ErrorHostSlots, Interner, Kernel, PatternOutput, ScanBlock } from './types.js';
import { encodePatternSpec, type PatternSpec } from '../formats/pattern-spec.js';

const here = dirname(fileURLToPath(import.meta.url));
/** src/native and dist/native both sit two levels below the package root. */
export const ADDON_PATH = join(here, '..', '..', 'build', 'Release', 'certcrunch.node');

export interface KernelChoice {
  kernel: Kernel;
  /** Why the native kernel is not in use, when it is not. */
  reason?: string;
}

/** The TypeScript kernel, loaded only when it is the one in use: a scan thread starts sooner without it. */
const fallback = async (): Promise<Kernel> => (await import('./fallback/index.js')).fallbackKernel;

async function choose(): Promise<KernelChoice> {
  if (process.env['CERTCRUNCH_NATIVE'] === '0') return { kernel: await fallback(), reason: 'disabled by CERTCRUNCH_NATIVE=0' };
  try {
    return { kernel: nativeKernel(loadAddon()) };
  } catch (err) {
    return { kernel: await fallback(), reason: `native addon unavailable: ${(err as Error).message.split('\n')[0]}` };
  }
}

const chosen = await choose();

/** The native kernel unless CERTCRUNCH_NATIVE=0 or it cannot load; then the TS fallback. Decided when this module loads. */
export function selectKernel(): KernelChoice {
  return chosen;
}

/**
 * Refuses an addon file cut short (an interrupted copy or install): the loader maps it whole,
 * and the first touch of a page past its end kills the process with SIGBUS, beyond any catch.
 * Checks that a 64-bit little-endian ELF file holds its loaded segments and section table;
 * other formats are left to the loader.
 */
export function checkAddonFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(64);
    if (readSync(fd, head, 0, 64, 0) < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return;
    const cut = new Error(`${path} is cut short; run npm run build:native`);
    const programs = Number(head.readBigUInt64LE(0x20));
    const programSize = head.readUInt16LE(0x36);
    const programCount = head.readUInt16LE(0x38);
    const sections = Number(head.readBigUInt64LE(0x28));
    if (programs + programSize * programCount > size || sections + head.readUInt16LE(0x3a) * head.readUInt16LE(0x3c) > size) throw cut;
    const table = Buffer.alloc(programSize * programCount);
    readSync(fd, table, 0, table.length, programs);
    for (let at = 0; at + 40 <= table.length; at += programSize) {
      const loaded = table.readUInt32LE(at) === 1; // PT_LOAD
      if (loaded && Number(table.readBigUInt64LE(at + 8)) + Number(table.readBigUInt64LE(at + 32)) > size) throw cut;
    }
  } finally {
    closeSync(fd);
  }
}

export function loadAddon(): NativeAddon {
  checkAddonFile(ADDON_PATH);
  const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
  if (addon.abiVersion !== ADDON_ABI_VERSION) {
    throw new Error(`addon ABI ${addon.abiVersion} does not match ${ADDON_ABI_VERSION}; run npm run build:native`);
  }
  return addon;
}

export function nativeKernel(addon: NativeAddon): Kernel {
  return {
    name: 'native',
    createInterner: (slots: number): Interner => new addon.Interner(slots),
    createElffTally: (slots: number, errorHosts?: ErrorHostSlots): ElffTally =>
      errorHosts ? new addon.ElffTally(slots, errorHosts.hostSlot, Int32Array.from(errorHosts.pairSlots)) : new addon.ElffTally(slots),
    scanElff(req: ElffScanRequest, tally: ElffTally, out: ElffOutput): number {
      return addon.scanElff(
        req.buf, req.from, req.to, req.limit, req.atEof, req.fieldCount, req.colSlot, req.slots,
        tally as InstanceType<NativeAddon['ElffTally']>, out.offsets, out.kinds, out.ids, out.state,
        req.dateSlot, req.timeSlot, req.errorSlot, req.emitAll, req.prefixTokens ?? 0,
      );
    },
    decodeHexSpans: (src, starts, ends, count, dst, results) => addon.decodeHexSpans(src, starts, ends, count, dst, results),
    compilePattern(spec: PatternSpec): CompiledPattern {
      return { spec, native: new addon.Pattern(encodePatternSpec(spec)) } as CompiledPattern;
    },
    scanPattern(pattern: CompiledPattern, b: ScanBlock, interner: Interner, out: PatternOutput): number {
      const native = (pattern as CompiledPattern & { native?: InstanceType<NativeAddon['Pattern']> }).native;
      if (!native) throw new TypeError('pattern was not compiled by the native kernel');
      return addon.scanPattern(
        native, b.buf, b.from, b.to, b.limit, b.atEof, interner as InstanceType<NativeAddon['Interner']>,
        out.offsets, out.kinds, out.ids, out.nums, out.state,
      );
    },
  };
}
