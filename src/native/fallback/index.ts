import type { CompiledPattern, ElffOutput, ElffScanRequest, ElffTally, ErrorHostSlots, Interner, Kernel, PatternOutput, ScanBlock } from '../types.js';
import type { PatternSpec } from '../../formats/pattern-spec.js';
import { scanPatternFallback } from './pattern-scan.js';
import { decodeHexSpansFallback } from './hex.js';
import { MapInterner } from './interner.js';
import { scanElffFallback } from './elff-scan.js';
import { MapElffTally } from './elff-tally.js';

/** The pure TypeScript kernel: always available, and the oracle the native kernel is tested against. */
export const fallbackKernel: Kernel = {
  name: 'typescript',
  createInterner: (slots: number): Interner => new MapInterner(slots),
  createElffTally: (slots: number, errorHosts?: ErrorHostSlots): ElffTally => new MapElffTally(slots, errorHosts),
  scanElff(req: ElffScanRequest, tally: ElffTally, out: ElffOutput): number {
    if (!(tally instanceof MapElffTally)) throw new TypeError('tally was not created by the typescript kernel');
    return scanElffFallback(req, tally, out);
  },
  compilePattern: (spec: PatternSpec): CompiledPattern => ({ spec }),
  scanPattern(pattern: CompiledPattern, block: ScanBlock, interner: Interner, out: PatternOutput): number {
    if (!(interner instanceof MapInterner)) throw new TypeError('interner was not created by the typescript kernel');
    return scanPatternFallback(pattern.spec, block, interner, out);
  },
  decodeHexSpans: decodeHexSpansFallback,
};
