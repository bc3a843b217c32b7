/**
 * What the build takes from the layer's own code (loaded with layer/load-ts.mjs), so that no file
 * name, export name or prefix is written twice.
 */
export * from '../src/layer-files';
export { DIAG_PREFIX } from '../src/diag';
