import * as nodeModule from 'node:module';
import { isAbsolute, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InstrumentationName } from '../config/load';
import { describeError, type Diag } from '../diag';
import { INSTRUMENTATIONS_FILE, PRELOAD_FILE } from '../layer-files';
import { watchModules } from '../module-hooks';
import { PATCHED_MODULES, type InstrumentationContext, type InstrumentationsFile } from './catalog';

export interface OnFirstUseOptions {
  readonly names: readonly InstrumentationName[];
  /** The folder holding the preload and the instrumentation files (layer-files.ts). */
  readonly layerDir: string;
  readonly context: InstrumentationContext;
  readonly diag: Diag;
}

/**
 * Arms the configured instrumentations without loading them. Loading OpenTelemetry's
 * instrumentation machinery and the instrumentations costs about 10 ms of cold start, so they load
 * only when the function first requires a module one of them patches (or calls `fetch`, or
 * imports `node:http(s)`), synchronously, before that module reaches the function; each is
 * enabled on its own first use.
 *
 * Called just before the user's module loads, after the runtime required its own builtins: the
 * runtime's `require('node:http')` must not count as the function using HTTP.
 */
export function loadOnFirstUse(options: OnFirstUseOptions): void {
  if (options.names.length === 0) return;
  const activator = new Activator(options);
  const patched = new PatchedModules(options.names);
  watchRequires(patched, activator);
  if (options.names.includes('undici')) armFetch(() => activator.activate('undici'));
  if (options.names.includes('http')) armBuiltinImports('http', activator, options.layerDir);
}

class Activator {
  private readonly outcomes = new Map<InstrumentationName, boolean>();
  /** A require that goes through every hook installed so far, the instrumentations' own included. */
  private readonly load: NodeJS.Require;

  constructor(private readonly options: OnFirstUseOptions) {
    this.load = nodeModule.createRequire(join(options.layerDir, PRELOAD_FILE));
  }

  isActive(name: InstrumentationName): boolean {
    return this.outcomes.get(name) === true;
  }

  /** Loads and enables an instrumentation once; false when it could not be (it then stays off). */
  activate(name: InstrumentationName): boolean {
    const known = this.outcomes.get(name);
    if (known !== undefined) return known;
    let enabled = false;
    try {
      // One CommonJS file (required once, then from the require cache): see layer/build.mjs.
      (this.load(`./${INSTRUMENTATIONS_FILE}`) as InstrumentationsFile).instrumentations[name].enable(this.options.context);
      enabled = true;
      this.options.diag.debug(`instrumentation ${name} loaded on first use`);
    } catch (error) {
      this.options.diag.error(`instrumentation ${name} is off: ${describeError(error)}`);
    }
    this.outcomes.set(name, enabled);
    return enabled;
  }

  /** Requires builtins again, through every hook, so that their exports are patched in place. */
  patchBuiltins(modules: readonly string[]): void {
    for (const module of modules) this.load(module);
  }

  warnOnce(name: InstrumentationName, message: string): void {
    this.options.diag.once(`repatch:${name}`, 'warn', `instrumentation ${name} could not patch ${message}`);
  }
}

/**
 * Which requires may load a module an instrumentation patches. Decided from the request string
 * (and, for a relative request, the requiring file) alone: this runs for every require of the
 * function's whole init, so nothing here resolves a path.
 */
class PatchedModules {
  private readonly builtins = new Map<string, InstrumentationName>();
  private readonly packages: { readonly name: string; readonly dir: string; readonly owner: InstrumentationName }[] = [];

  constructor(names: readonly InstrumentationName[]) {
    for (const owner of names) {
      for (const module of PATCHED_MODULES[owner]) {
        if (nodeModule.isBuiltin(module)) this.builtins.set(module, owner);
        else this.packages.push({ name: module, dir: `${sep}node_modules${sep}${module.split('/').join(sep)}${sep}`, owner });
      }
    }
  }

  /** The instrumentation a require may concern: a builtin, a package (or a subpath), or a file inside one. */
  ownerOf(request: string, parentFilename: string | undefined): InstrumentationName | undefined {
    const builtin = this.builtins.get(request.startsWith('node:') ? request.slice(5) : request);
    if (builtin !== undefined) return builtin;
    const relative = request.startsWith('.') || isAbsolute(request);
    for (const pkg of this.packages) {
      if (relative ? parentFilename?.includes(pkg.dir) : request === pkg.name || request.startsWith(`${pkg.name}/`)) return pkg.owner;
    }
    return undefined;
  }
}

interface RequiringModule {
  readonly filename?: string;
  require(request: string): unknown;
}

/**
 * Wraps `Module.prototype.require` (and `process.getBuiltinModule`). When a require that may
 * concern an instrumentation returns, the instrumentation is loaded, and the module is required
 * once more through the hook the instrumentation installed just now, which patches its exports
 * before the function sees them. That second require is only needed when the instrumentation was
 * not active yet as the require began: a require that began later passed the instrumentation's
 * own hook, which is outside this one.
 */
function watchRequires(patched: PatchedModules, activator: Activator): void {
  const proto = nodeModule.Module.prototype as unknown as RequiringModule;
  const original = proto.require;
  let repeating = false;
  proto.require = function (this: RequiringModule, request: string): unknown {
    if (repeating) return original.call(this, request);
    const owner = patched.ownerOf(request, this.filename);
    const wasActive = owner !== undefined && activator.isActive(owner);
    const exports = original.call(this, request);
    if (owner === undefined || wasActive || !activator.activate(owner)) return exports;
    try {
      repeating = true;
      return proto.require.call(this, request);
    } catch (error) {
      activator.warnOnce(owner, `${request}: ${describeError(error)}`);
      return exports;
    } finally {
      repeating = false;
    }
  };
  watchGetBuiltinModule(patched, activator);
}

/** `process.getBuiltinModule('node:https')` (Node >= 22.3) reaches a builtin past every require. */
function watchGetBuiltinModule(patched: PatchedModules, activator: Activator): void {
  const original = process.getBuiltinModule;
  if (typeof original !== 'function') return;
  const watched = function (this: unknown, id: string): unknown {
    const owner = patched.ownerOf(id, undefined);
    const exports: unknown = Reflect.apply(original, this, [id]);
    if (owner !== undefined && !activator.isActive(owner) && activator.activate(owner)) activator.patchBuiltins([id]);
    return exports;
  };
  process.getBuiltinModule = watched as typeof process.getBuiltinModule;
}

/**
 * `fetch` is undici, which reports every request on diagnostics channels; the instrumentation
 * subscribes to them when it loads. The first call of the global `fetch` loads it, then puts the
 * original function back, so only that one call goes through this wrapper.
 */
function armFetch(activate: () => boolean): void {
  const original = globalThis.fetch;
  if (typeof original !== 'function') return;
  const armed = function fetch(this: unknown, ...args: Parameters<typeof globalThis.fetch>): ReturnType<typeof globalThis.fetch> {
    if (globalThis.fetch === armed) globalThis.fetch = original;
    activate();
    return Reflect.apply(original, this, args);
  };
  Object.defineProperty(armed, 'length', { value: original.length });
  globalThis.fetch = armed;
}

/**
 * An ES module's `import 'node:https'` goes through no require hook. On Node >= 22.15 the layer's
 * in-thread module hooks see it resolve: the instrumentation loads and patches the builtin before
 * its ES module facade is built, and named imports (`import { request } from 'node:https'`) are
 * synced too.
 */
function armBuiltinImports(name: InstrumentationName, activator: Activator, layerDir: string): void {
  const modules = PATCHED_MODULES[name];
  const names = new Set(modules.flatMap((module) => [module, `node:${module}`]));
  // The layer's own exporter imports node:http(s) too; that is not the function using HTTP.
  const layerUrl = pathToFileURL(layerDir).href + '/';
  const stop = watchModules({
    resolved(specifier, context) {
      if (names.has(specifier) && context.conditions?.includes('import') && !context.parentURL?.startsWith(layerUrl)) {
        stop?.();
        if (activator.activate(name)) {
          activator.patchBuiltins(modules);
          nodeModule.syncBuiltinESMExports();
        }
      }
    },
  });
}
