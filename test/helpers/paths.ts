import { join } from 'node:path';
import { PRELOAD_DIR, WRAPPER_FILE } from '../../src/layer-files';

/** Where things are, for tests, the bench and the demo: every path from the project root, once. */
export const PROJECT_ROOT = join(__dirname, '..', '..');
export const PROJECT_NODE_MODULES = join(PROJECT_ROOT, 'node_modules');
/** What `npm run build` writes. */
export const DIST = join(PROJECT_ROOT, 'dist');
/** The layer as `npm run build` leaves it, unpacked: what Lambda puts under /opt. */
export const BUILT_LAYER = join(DIST, 'layer');
export const LAYER_WRAPPER = join(BUILT_LAYER, WRAPPER_FILE);
export const BUILT_PRELOAD_DIR = join(BUILT_LAYER, PRELOAD_DIR);
export const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');
/** Sample events, one per trigger the layer knows. */
export const EVENT_FIXTURES = join(FIXTURES, 'events');
/**
 * Test functions: one task root per folder, each handler type-checked (`// @ts-check`). A few
 * folders hold files the tests copy under the names they need instead (load-candidates,
 * syntax-errors, bench-orders) or compile (bundles-own-sdk).
 */
export const FUNCTION_FIXTURES = join(FIXTURES, 'functions');
/** Scratch space of the test harness (git-ignored). */
export const WORK_DIR = join(PROJECT_ROOT, 'test', '.work');
