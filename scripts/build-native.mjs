// Runs at `npm install`: builds the C++ addon. A failed build must not fail the install,
// because certcrunch falls back to its pure TypeScript kernel; it says so clearly instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  gyp = process.env.npm_config_node_gyp;
}
// Build against the headers of the running Node when they are installed beside it, so no
// header download is needed (the build machines have no general internet access).
const args = ['rebuild'];
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'common.gypi'))) {
  args.push(`--nodedir=${prefix}`);
}
const result = gyp
  ? spawnSync(process.execPath, [gyp, ...args], { stdio: 'inherit' })
  : spawnSync('node-gyp', args, { stdio: 'inherit', shell: process.platform === 'win32' });
if (result.status !== 0) {
  process.stderr.write(
    '\ncertcrunch: WARNING: the native addon failed to build; the pure TypeScript kernel will be used ' +
      '(same results, slower). `certcrunch --version` shows which kernel is active.\n',
  );
}
