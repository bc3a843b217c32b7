/**
 * What the build takes from the layer's own code (loaded with layer/load-ts.mjs), so that no file
 * name, export name or prefix is written twice.
 */
import { TRIGGER_MODULES } from '../src/instrumentations/catalog';
import type { InstrumentationName } from '../src/config/load';

export * from '../src/layer-files';
export { DIAG_PREFIX } from '../src/diag';

/** Every instrumentation the layer has: one file each. */
export const INSTRUMENTATION_NAMES = Object.keys(TRIGGER_MODULES) as InstrumentationName[];
