export * from './types.js';
export { selectKernel, loadAddon, nativeKernel, type KernelChoice } from './load.js';
export { fallbackKernel } from './fallback/index.js';
