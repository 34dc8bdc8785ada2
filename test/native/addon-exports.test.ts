import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { ADDON_ABI_VERSION, ADDON_EXPORTS } from '../../src/native/addon-types.js';
import { ADDON_PATH, checkAddonFile, loadAddon, selectKernel } from '../../src/native/load.js';

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

describe('an addon file cut short', () => {
  const dir = tempDir();

  it('is refused before it is loaded (loading it would die of SIGBUS), at whatever length', () => {
    expect(() => checkAddonFile(ADDON_PATH)).not.toThrow();
    const whole = readFileSync(ADDON_PATH);
    for (const length of [64, 30_000, Math.floor(whole.length / 2), whole.length - 1]) {
      const cut = join(dir, `cut-${length}.node`);
      writeFileSync(cut, whole.subarray(0, length));
      expect(() => checkAddonFile(cut), String(length)).toThrow('is cut short');
    }
  });

  it('in a child process: --version names the TypeScript kernel and why, instead of dying', () => {
    // The check runs on the file the loader would map; shown here on a copy of the package.
    const root = join(dir, 'pkg');
    cpSync(join(ADDON_PATH, '..', '..', '..', 'dist'), join(root, 'dist'), { recursive: true });
    cpSync(join(ADDON_PATH, '..', '..', '..', 'package.json'), join(root, 'package.json'));
    mkdirSync(join(root, 'build', 'Release'), { recursive: true });
    writeFileSync(join(root, 'build', 'Release', 'certcrunch.node'), readFileSync(ADDON_PATH).subarray(0, 30_000));
    symlinkSync(join(ADDON_PATH, '..', '..', '..', 'node_modules'), join(root, 'node_modules'));
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli', 'main.js'), '--version']);
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(r.stdout.toString()).toMatch(/kernel: typescript; native addon unavailable: .*is cut short/);
  });
});
