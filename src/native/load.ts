import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ADDON_ABI_VERSION, type NativeAddon } from './addon-types.js';
import type { CompiledPattern, ElffOutput, ElffScanRequest, ElffTally, Interner, Kernel, PatternOutput, ScanBlock } from './types.js';
import { encodePatternSpec, type PatternSpec } from '../formats/pattern-spec.js';

const here = dirname(fileURLToPath(import.meta.url));
/** src/native and dist/native both sit two levels below the package root. */
const ADDON_PATH = join(here, '..', '..', 'build', 'Release', 'certcrunch.node');

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

export function loadAddon(): NativeAddon {
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
    createElffTally: (slots: number): ElffTally => new addon.ElffTally(slots),
    scanElff(req: ElffScanRequest, tally: ElffTally, out: ElffOutput): number {
      return addon.scanElff(
        req.buf, req.from, req.to, req.limit, req.atEof, req.fieldCount, req.colSlot, req.slots,
        tally as InstanceType<NativeAddon['ElffTally']>, out.offsets, out.kinds, out.ids, out.state,
        req.dateSlot, req.timeSlot, req.errorSlot, req.emitAll,
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
