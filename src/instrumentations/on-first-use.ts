import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Hook } from 'require-in-the-middle';
import type { InstrumentationName } from '../config/load';
import { describeError, type Diag } from '../diag';
import { instrumentationFile, TRIGGER_MODULES, type InstrumentationContext, type InstrumentationModule } from './catalog';

export interface OnFirstUseOptions {
  readonly names: readonly InstrumentationName[];
  /** The folder holding preload.mjs and the `instrumentations/` files. */
  readonly layerDir: string;
  readonly context: InstrumentationContext;
  readonly diag: Diag;
}

/**
 * Arms the configured instrumentations without loading them. Loading OpenTelemetry's
 * instrumentation machinery and an instrumentation costs tens of milliseconds of cold start, so
 * each one loads only when the function first requires a module it patches (or calls `fetch`, or
 * imports `node:http(s)`), synchronously, before that module reaches the function.
 *
 * Called just before the user's module loads, after the runtime required its own builtins: the
 * runtime's `require('node:http')` must not count as the function using HTTP.
 */
export function loadOnFirstUse(options: OnFirstUseOptions): void {
  if (options.names.length === 0) return;
  const activator = new Activator(options);
  const owners = new Map<string, InstrumentationName>();
  for (const name of options.names) for (const module of TRIGGER_MODULES[name]) owners.set(module, name);
  new Hook([...owners.keys()], { internals: true }, (exports, moduleName, basedir) =>
    activator.onRequire(exports, moduleName, basedir, owners),
  );
  if (options.names.includes('undici')) armFetch(() => activator.activate('undici'));
  if (options.names.includes('http')) armBuiltinImports('http', activator);
}

class Activator {
  private readonly outcomes = new Map<InstrumentationName, boolean>();
  /** A require that goes through every hook installed so far, the instrumentations' own included. */
  private readonly load: NodeJS.Require;

  constructor(private readonly options: OnFirstUseOptions) {
    this.load = nodeModule.createRequire(join(options.layerDir, 'preload.mjs'));
  }

  get layerDir(): string {
    return this.options.layerDir;
  }

  /** Loads and enables an instrumentation once; false when it could not be (it then stays off). */
  activate(name: InstrumentationName): boolean {
    const known = this.outcomes.get(name);
    if (known !== undefined) return known;
    let enabled = false;
    try {
      // The instrumentation files are ES modules: this is require(esm), synchronous on Node >= 20.19.
      (this.load(instrumentationFile(name)) as InstrumentationModule).enable(this.options.context);
      enabled = true;
      this.options.diag.debug(`instrumentation ${name} loaded on first use`);
    } catch (error) {
      this.options.diag.error(`instrumentation ${name} is off: ${describeError(error)}`);
    }
    this.outcomes.set(name, enabled);
    return enabled;
  }

  /**
   * A trigger module was required. The instrumentation's own require hook, installed only now,
   * missed this require (and any trigger module whose require is still in progress under it), so
   * the module is required once more, through that hook, which patches the loaded exports.
   */
  onRequire<T>(exports: T, moduleName: string, basedir: string | undefined, owners: ReadonlyMap<string, InstrumentationName>): T {
    const trigger = triggerOf(moduleName, owners);
    const owner = trigger === undefined ? undefined : owners.get(trigger);
    if (trigger === undefined || owner === undefined || !this.activate(owner)) return exports;
    try {
      return this.load(filenameOf(moduleName, trigger, basedir)) as T;
    } catch (error) {
      this.options.diag.once(`repatch:${owner}`, 'warn', `instrumentation ${owner} could not patch ${moduleName}: ${describeError(error)}`);
      return exports;
    }
  }

  /** Requires the trigger modules again so that their exports are patched in place. */
  patchBuiltins(modules: readonly string[]): void {
    for (const module of modules) this.load(module);
  }
}

/** RITM names a package's inner files `<package>/<path>`; the trigger is the package. */
function triggerOf(moduleName: string, owners: ReadonlyMap<string, InstrumentationName>): string | undefined {
  if (owners.has(moduleName)) return moduleName;
  for (const trigger of owners.keys()) if (moduleName.startsWith(trigger + '/')) return trigger;
  return undefined;
}

function filenameOf(moduleName: string, trigger: string, basedir: string | undefined): string {
  if (basedir === undefined) return moduleName; // a builtin
  if (moduleName === trigger) return require.resolve(trigger, { paths: [basedir] });
  return join(basedir, moduleName.slice(trigger.length + 1));
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

interface ResolveContext {
  readonly conditions?: readonly string[];
  readonly parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => unknown;
interface ModuleHooks {
  registerHooks?: (hooks: { resolve: (specifier: string, context: ResolveContext, next: NextResolve) => unknown }) => {
    deregister(): void;
  };
  syncBuiltinESMExports(): void;
}

/**
 * An ES module's `import 'node:https'` goes through no require hook. On Node >= 22.15 an in-thread
 * resolve hook sees it: the instrumentation loads and patches the builtin before its ES module
 * facade is built, and named imports (`import { request } from 'node:https'`) are synced too.
 */
function armBuiltinImports(name: InstrumentationName, activator: Activator): void {
  const { registerHooks, syncBuiltinESMExports } = nodeModule as unknown as ModuleHooks;
  if (typeof registerHooks !== 'function') return;
  const modules = TRIGGER_MODULES[name];
  const names = new Set(modules.flatMap((module) => [module, `node:${module}`]));
  // The layer's own exporter imports node:http(s) too; that is not the function using HTTP.
  const layerUrl = pathToFileURL(activator.layerDir).href + '/';
  const hooks = registerHooks({
    resolve(specifier, context, next) {
      if (names.has(specifier) && context.conditions?.includes('import') && !context.parentURL?.startsWith(layerUrl)) {
        hooks.deregister();
        if (activator.activate(name)) {
          activator.patchBuiltins(modules);
          syncBuiltinESMExports();
        }
      }
      return next(specifier, context);
    },
  });
}
