/**
 * The local command runs the layer as `npm run build` leaves it in dist/layer/, building it first
 * when it is missing or older than anything it is built from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LAYER_WRAPPER, PROJECT_ROOT } from '../test/helpers/paths';

/** What the build reads: a change to any of these makes dist/layer stale. */
const SOURCES = ['src', 'layer', 'wrapper', 'package.json', 'package-lock.json'];

/** Builds the layer if needed; returns what it did, or throws when the build failed. */
export function ensureLayerBuilt(): 'built' | 'up to date' {
  if (existsSync(LAYER_WRAPPER) && newestChange(SOURCES.map((s) => join(PROJECT_ROOT, s))) <= statSync(LAYER_WRAPPER).mtimeMs) {
    return 'up to date';
  }
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'layer', 'build.mjs')], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building the layer failed (exit ${result.status ?? result.signal})`);
  return 'built';
}

function newestChange(paths: readonly string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) newest = Math.max(newest, newestChange(readdirSync(path).map((name) => join(path, name))));
  }
  return newest;
}
