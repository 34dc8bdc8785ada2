import { describe, expect, it } from 'vitest';
import { ADDON_ABI_VERSION, ADDON_EXPORTS } from '../../src/native/addon-types.js';
import { loadAddon, selectKernel } from '../../src/native/load.js';

describe('the built addon matches its TypeScript declaration', () => {
  it('exports the declared functions with the declared arities', () => {
    const addon = loadAddon() as unknown as Record<string, unknown>;
    for (const [name, arity] of Object.entries(ADDON_EXPORTS)) {
      expect(typeof addon[name], name).toBe('function');
      // N-API functions report length 0; the arity is checked by calling with too few arguments.
      if (name === 'scanElff') expect(() => (addon[name] as (...a: unknown[]) => unknown)(...new Array(arity - 1).fill(0))).toThrow(TypeError);
    }
    expect(addon['abiVersion']).toBe(ADDON_ABI_VERSION);
  });

  it('is the kernel selected by default', () => {
    expect(process.env['CERTCRUNCH_NATIVE'] === '0' ? 'typescript' : 'native').toBe(selectKernel().kernel.name);
  });
});
