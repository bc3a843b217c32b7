// The module itself, read when called: `registerHooks` is newer than a Node the layer may be built
// with, whose export names the bundle's bindings for builtins follow (layer/esbuild/builtins-as-require.mjs).
import nodeModule from 'node:module';

export interface ResolveContext {
  readonly conditions?: readonly string[];
  readonly parentURL?: string;
}
interface Resolved {
  readonly url: string;
}
export interface LoadContext {
  readonly conditions?: readonly string[];
}
export interface Loaded {
  readonly format?: string | null;
  readonly source?: string | ArrayBuffer | ArrayBufferView | null;
}
interface SyncHooks {
  registerHooks?: (hooks: {
    resolve: (specifier: string, context: ResolveContext, next: (specifier: string, context: ResolveContext) => Resolved) => Resolved;
    load: (url: string, context: LoadContext, next: (url: string, context: LoadContext) => Loaded) => Loaded;
  }) => { deregister(): void };
}

/** What a start-up concern wants to see of module loading. */
export interface ModuleWatcher {
  /** After Node resolved a `require` or `import` (`context.conditions` tells which). */
  resolved?(specifier: string, context: ResolveContext, url: string): void;
  /** After Node read a module's source; returns the result to use (the same, or a changed one). */
  loaded?(url: string, context: LoadContext, result: Loaded): Loaded;
}

/** Replaced, never changed in place: a callback may stop watching while the list is being walked. */
let watchers: readonly ModuleWatcher[] = [];
/** The watchers that look at sources, apart: most loads then cost one check. */
let loadWatchers: readonly ModuleWatcher[] = [];
let registration: { deregister(): void } | undefined;

/**
 * The layer's one `module.registerHooks()` registration (in-thread, synchronous, Node >= 22.15),
 * shared by every start-up concern that watches modules load: the instrumentations' loading on
 * an ES module's `import 'node:http'`, and the init recorder. Each registration is one more pass
 * through Node's hook chain for every `require` and `import` that is resolved, so they share one.
 * It stays registered while anyone watches. Returns the function that stops watching; undefined
 * where Node has no `registerHooks`.
 */
export function watchModules(watcher: ModuleWatcher): (() => void) | undefined {
  const { registerHooks } = nodeModule as unknown as SyncHooks;
  if (typeof registerHooks !== 'function') return undefined;
  watchers = [...watchers, watcher];
  loadWatchers = watchers.filter((each) => each.loaded !== undefined);
  registration ??= registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      for (const each of watchers) each.resolved?.(specifier, context, resolved.url);
      return resolved;
    },
    load(url, context, next) {
      let result = next(url, context);
      for (const each of loadWatchers) result = (each.loaded as NonNullable<ModuleWatcher['loaded']>)(url, context, result);
      return result;
    },
  });
  return () => {
    watchers = watchers.filter((each) => each !== watcher);
    loadWatchers = loadWatchers.filter((each) => each !== watcher);
    if (watchers.length === 0) {
      registration?.deregister();
      registration = undefined;
    }
  };
}
