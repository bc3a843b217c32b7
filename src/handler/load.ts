import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isObjectLike } from '../read';
import type { HandlerRef } from './resolve';
import { HandlerNotFound } from './runtime-errors';

/**
 * How the runtime loads user code. `import-all` is aws-lambda-ric 4.x (nodejs24.x): `import()`
 * for every candidate. `require-first` is 3.x (nodejs20.x/22.x): `require` for extensionless,
 * `.cjs` and non-module `.js` files, `import()` otherwise. The difference shows in what the
 * function gets (a namespace object or `module.exports`), so the layer must load like the runtime.
 */
export type LoaderStyle = 'import-all' | 'require-first';

export function loaderStyleFor(nodeMajor: number): LoaderStyle {
  return nodeMajor >= 24 ? 'import-all' : 'require-first';
}

export type UserFunction = (...args: unknown[]) => unknown;

export interface LoadOptions {
  readonly taskRoot: string;
  readonly ref: HandlerRef;
  readonly style: LoaderStyle;
  /** A `require` rooted at the runtime's entry file, so "Require stack" messages match the runtime's. */
  readonly runtimeRequire: NodeJS.Require;
  /** `import()` as seen from a module; injected because the caller is an ES module and tests are not. */
  readonly importModule: (specifier: string) => Promise<unknown>;
}

/**
 * Loads the user's module and finds the handler function exactly as the runtime would. Load errors
 * are rethrown untouched (the runtime classifies them itself when they leave our handler module);
 * a missing or non-function handler throws the runtime's own `Runtime.HandlerNotFound`.
 */
export async function loadUserFunction(options: LoadOptions): Promise<UserFunction> {
  const userModule =
    options.style === 'import-all' ? await loadImportAll(options) : await loadRequireFirst(options);
  return findFunction(userModule, options.ref, options.style);
}

async function loadImportAll({ taskRoot, ref, runtimeRequire, importModule }: LoadOptions): Promise<unknown> {
  const moduleRoot = ref.moduleRoot.replace(/\/$/, '');
  const base = resolve(taskRoot, moduleRoot, ref.moduleName);
  for (const extension of ['', '.js', '.mjs', '.cjs']) {
    if (existsSync(base + extension)) return importModule(base + extension);
  }
  const resolved = runtimeRequire.resolve(ref.moduleName, { paths: [taskRoot, join(taskRoot, moduleRoot)] });
  return runtimeRequire(resolved);
}

async function loadRequireFirst({ taskRoot, ref, runtimeRequire, importModule }: LoadOptions): Promise<unknown> {
  const base = resolve(taskRoot, ref.moduleRoot, ref.moduleName);
  const tryRequire = (file: string): unknown => (existsSync(file) ? runtimeRequire(file) : undefined);
  const tryImport = async (file: string): Promise<unknown> => (existsSync(file) ? importModule(file) : undefined);

  const extensionless = tryRequire(base);
  if (extensionless) return extensionless;
  const typeModule = existsSync(base + '.js') && hasTypeModule(dirname(base + '.js'));
  if (!typeModule) {
    const js = tryRequire(base + '.js');
    if (js) return js;
  }
  const loaded =
    (typeModule && (await tryImport(base + '.js'))) || (await tryImport(base + '.mjs')) || tryRequire(base + '.cjs');
  if (loaded) return loaded;
  return runtimeRequire(runtimeRequire.resolve(ref.moduleName, { paths: [taskRoot, ref.moduleRoot] }));
}

/** The nearest package.json decides, as in the 3.x runtime; `node_modules` stops the search. */
function hasTypeModule(folder: string): boolean {
  if (folder.endsWith('/node_modules')) return false;
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
      return typeof parsed === 'object' && parsed !== null && (parsed as { type?: unknown }).type === 'module';
    } catch {
      return false;
    }
  }
  return folder === '/' ? false : hasTypeModule(resolve(folder, '..'));
}

function findFunction(userModule: unknown, ref: HandlerRef, style: LoaderStyle): UserFunction {
  let found = walk(userModule, ref.functionPath, style);
  if (!found && style === 'import-all' && isObjectLike(userModule) && 'default' in userModule) {
    found = walk(userModule.default, ref.functionPath, style);
  }
  if (!found) throw new HandlerNotFound(`${ref.full} is undefined or not exported`);
  if (typeof found !== 'function') throw new HandlerNotFound(`${ref.full} is not a function`);
  return found as UserFunction;
}

/** 4.x only descends into objects; 3.x follows any truthy value (a function's properties too). */
function walk(root: unknown, path: string, style: LoaderStyle): unknown {
  return path.split('.').reduce<unknown>((nested, key) => {
    if (style === 'import-all') return isObjectLike(nested) ? nested[key] : undefined;
    return nested ? (nested as Record<string, unknown>)[key] : nested;
  }, root);
}
