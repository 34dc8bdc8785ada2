import type { ElffOutput, ElffScanRequest, Interner, Kernel } from '../types.js';
import { MapInterner } from './interner.js';
import { scanElffFallback } from './elff-scan.js';

/** The pure TypeScript kernel: always available, and the oracle the native kernel is tested against. */
export const fallbackKernel: Kernel = {
  name: 'typescript',
  createInterner: (slots: number): Interner => new MapInterner(slots),
  scanElff(req: ElffScanRequest, interner: Interner, out: ElffOutput): number {
    if (!(interner instanceof MapInterner)) throw new TypeError('interner was not created by the typescript kernel');
    return scanElffFallback(req, interner, out);
  },
};
