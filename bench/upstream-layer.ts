/**
 * Builds the upstream reference layer into test/.work/upstream-layer/ (never committed):
 *   otel-handler                 the exec wrapper (copied from ./upstream/otel-handler)
 *   init.cjs                     ./upstream/init.ts bundled by esbuild (CJS, loaded with --require)
 *   node_modules/import-in-the-middle (+ its 3 dependencies)  the ESM loader hook, kept as a
 *                                package as upstream ships it (its generated code imports it by path)
 * and zips it with the same zip writer as our layer. Also snapshots our built layer (see below).
 */
import { build } from 'esbuild';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT as ROOT, WORK_DIR } from '../test/helpers/paths';
import { WRAPPER_FILE } from '../src/layer-files';

// A real import() (esbuild's CJS transform would turn `import()` into require(), which cannot load .mjs on Node 20).
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export { PROJECT_ROOT as ROOT } from '../test/helpers/paths';
export const UPSTREAM_DIR = join(WORK_DIR, 'upstream-layer');
export const UPSTREAM_WRAPPER = join(UPSTREAM_DIR, 'otel-handler');
const HOOK_PACKAGES = ['import-in-the-middle', 'cjs-module-lexer', 'es-module-lexer', 'module-details-from-path'];

export interface LayerSize {
  readonly zipped: number;
  readonly unzipped: number;
  readonly files: number;
}

export async function buildUpstreamLayer(): Promise<LayerSize> {
  rmSync(UPSTREAM_DIR, { recursive: true, force: true });
  mkdirSync(UPSTREAM_DIR, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(__dirname, 'upstream', 'init.ts')],
    outfile: join(UPSTREAM_DIR, 'init.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    external: ['import-in-the-middle'],
    logLevel: 'warning',
  });
  copyFileSync(join(__dirname, 'upstream', 'otel-handler'), UPSTREAM_WRAPPER);
  chmodSync(UPSTREAM_WRAPPER, 0o755);
  for (const name of HOOK_PACKAGES) {
    cpSync(join(ROOT, 'node_modules', name), join(UPSTREAM_DIR, 'node_modules', name), {
      recursive: true,
      dereference: true,
      filter: (src) => !/\.(md|ts|map)$/.test(src) && !/\/(test|tests|\.github)$/.test(src),
    });
  }
  return zipDir(UPSTREAM_DIR, join(WORK_DIR, 'upstream-layer.zip'));
}

/** Zips a folder as layer/build.mjs zips ours (layer/zip.mjs, Unix modes kept). */
export async function zipDir(dir: string, out: string): Promise<LayerSize> {
  const { createZip } = (await importEsm(pathToFileURL(join(ROOT, 'layer', 'zip.mjs')).href)) as {
    createZip: (e: { name: string; data: Buffer; mode: number }[]) => Buffer;
  };
  const files: string[] = [];
  (function walk(d: string): void {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  })(dir);
  const zip = createZip(files.map((path) => ({ name: relative(dir, path), data: readFileSync(path), mode: statSync(path).mode & 0o777 })));
  writeFileSync(out, zip);
  return { zipped: zip.length, unzipped: files.reduce((sum, path) => sum + statSync(path).size, 0), files: files.length };
}

export const OURS_DIR = join(WORK_DIR, 'bench-ours-layer');
export const OURS_WRAPPER = join(OURS_DIR, 'layer', WRAPPER_FILE);

/**
 * Our layer as `npm run build` left it (dist/layer, dist/layer.zip), copied to
 * test/.work/bench-ours-layer first so that a rebuild of dist/ during the run cannot pull it
 * from under the sandboxes.
 */
export function snapshotOursLayer(): LayerSize {
  const dist = join(ROOT, 'dist');
  if (!existsSync(join(dist, 'layer.zip'))) throw new Error('dist/layer.zip missing: run `npm run build` first');
  rmSync(OURS_DIR, { recursive: true, force: true });
  cpSync(join(dist, 'layer'), join(OURS_DIR, 'layer'), { recursive: true });
  copyFileSync(join(dist, 'layer.zip'), join(OURS_DIR, 'layer.zip'));
  const files: string[] = [];
  (function walk(d: string): void {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  })(join(OURS_DIR, 'layer'));
  return {
    zipped: statSync(join(OURS_DIR, 'layer.zip')).size,
    unzipped: files.reduce((sum, path) => sum + statSync(path).size, 0),
    files: files.length,
  };
}
