import * as nodeModule from 'node:module';
import { watchModules, type Loaded } from '../module-hooks';
import type { AppendedModule } from './syntax-errors';

/** A CommonJS load, as `Module._load` saw it (times from `performance.now()`). */
export interface RequireLoad {
  /** What was required: a request string (`'./db'`, `'express'`), or a path when an ES module imported the file. */
  readonly id: string;
  /** The requiring file; undefined when an ES module imported this CommonJS file. */
  readonly parent: string | undefined;
  readonly start: number;
  readonly end: number;
}

/** One `import` resolution (static or dynamic): which module asked for what, and when. */
export interface ImportEdge {
  readonly parentUrl: string | undefined;
  readonly specifier: string;
  readonly url: string;
  readonly at: number;
}

/**
 * Module loads as plain data. CommonJS loads carry their own start and end. ES modules have no
 * such pair: Node links a whole graph, then evaluates it depth first, so each module's end of
 * evaluation is marked (`evaluated`) and its place in the graph (`imports`, in request order)
 * and its load time (`loaded`) let `module-tree.ts` work out when each one began.
 */
export interface ModuleLoads {
  /** In the order they ended. */
  readonly requires: RequireLoad[];
  readonly imports: ImportEdge[];
  /** ES module URL (and CommonJS file imported by one) → when its source was read. */
  readonly loaded: Map<string, number>;
  /** ES module URL → when its body finished running. */
  readonly evaluated: Map<string, number>;
}

/**
 * Called by the statement appended to each ES module's source. The appended statement looks it up
 * by this key on every evaluation, so once the recording stops (the key is deleted) a module that
 * still evaluates costs an optional call on undefined.
 */
const EVALUATED_KEY = Symbol.for('lambda-otel-preload.module-evaluated');

/**
 * `Module._load(request, parent)`: every `require()` (after `Module.prototype.require`, whoever
 * wraps that) and every CommonJS file an ES module imports (then `parent` is null) passes here.
 */
type Load = (this: unknown, request: string, parent: { readonly filename?: unknown } | null | undefined, isMain: boolean) => unknown;
interface ModuleLoader {
  _load: Load;
}

export interface ModuleLoadOptions {
  /** CommonJS loads shorter than this are not kept (those an ES module imports always are). */
  readonly minMs: number;
  /** `file:` URL prefix of the layer's own files, whose ES modules are not marked. */
  readonly layerUrl: string;
}

/**
 * Records module loads until `stop()`. Costs per `require`: a wrapper frame around `Module._load`
 * (below the instrumentations' `Module.prototype.require` wrapper, whose order it leaves alone),
 * two `performance.now()` calls and a comparison; per resolution and per module read: a call from
 * the layer's one in-thread `module.registerHooks` registration (src/module-hooks.ts, Node
 * >= 22.15), shared with the instrumentations' trigger; per ES module: one statement appended to
 * its source. Nothing stays installed after `stop()`.
 *
 * Measured with bench/module-hooks.mjs (CPU time, medians of 21 processes, Node 22.23 / 24.21,
 * 2 cores shared with other work):
 * - a cached `require()`: +0.2..1.0 µs with this wrapper; +1.8..3.3 µs with Node's
 *   `module.require` tracing channel instead (its context objects and `runStores` cost more than
 *   the clock reads), so the channel is not used;
 * - four AWS SDK clients (42 CommonJS files, 196 `require()` calls): +5..8 ms, what a
 *   registration with pass-through hooks costs alone (+4..8 ms: Node's hook chain on every
 *   resolution), hence one registration for the layer; with the instrumentations' hooks armed too,
 *   as while the function loads, the recorder adds nothing measurable (-3 ms, within noise); the
 *   same clients with `import()`, as an ES module handler loads them: +8..13 ms alone, +3 ms over
 *   the instrumentations' hooks;
 * - 300 ES modules: +3..4 ms (pass-through hooks alone +1..3 ms). `module.register()` instead:
 *   +36..38 ms to start its loader thread and +98..104 ms for the same modules.
 */
export class ModuleLoadRecorder {
  readonly loads: ModuleLoads = { requires: [], imports: [], loaded: new Map(), evaluated: new Map() };
  private readonly evaluatedUrls: string[] = [];
  private unwatch: (() => void) | undefined;
  private restoreLoad: (() => void) | undefined;

  private constructor(private readonly options: ModuleLoadOptions) {}

  static start(options: ModuleLoadOptions): ModuleLoadRecorder {
    const recorder = new ModuleLoadRecorder(options);
    recorder.timeRequires();
    recorder.hookImports();
    return recorder;
  }

  /** The ES modules that got a statement appended and never finished evaluating, last loaded first. */
  unfinished(): AppendedModule[] {
    const { evaluated } = this.loads;
    return this.evaluatedUrls
      .map((url, index) => ({ url, appended: this.markFor(index) }))
      .filter(({ url }) => !evaluated.has(url))
      .reverse();
  }

  stop(): void {
    this.restoreLoad?.();
    this.restoreLoad = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
    delete (globalThis as Record<symbol, unknown>)[EVALUATED_KEY];
  }

  /** The statement appended to the `index`th marked module: it notes when the body finished. */
  private markFor(index: number): string {
    return `\n;globalThis[Symbol.for(${JSON.stringify(EVALUATED_KEY.description)})]?.(${index});\n`;
  }

  private timeRequires(): void {
    const loader = nodeModule.Module as unknown as ModuleLoader;
    const original = loader._load;
    if (typeof original !== 'function') return;
    const { requires } = this.loads;
    const { minMs } = this.options;
    let timing = true;
    const timed: Load = function (request, parent, isMain) {
      if (!timing) return original.call(this, request, parent, isMain);
      const start = performance.now();
      try {
        return original.call(this, request, parent, isMain);
      } finally {
        const end = performance.now();
        const parentFile = typeof parent?.filename === 'string' ? parent.filename : undefined;
        // An ES module's CommonJS import has no parent; the graph needs it, fast or not.
        if (end - start >= minMs || parentFile === undefined) requires.push({ id: request, parent: parentFile, start, end });
      }
    };
    loader._load = timed;
    this.restoreLoad = () => {
      timing = false;
      // A wrapper installed after ours keeps calling ours, which then only passes through.
      if (loader._load === timed) loader._load = original;
    };
  }

  private hookImports(): void {
    const { imports, loaded, evaluated } = this.loads;
    const urls = this.evaluatedUrls;
    // The global TextDecoder: importing `node:util` for it loaded 34 more of Node's internal
    // modules (streams, abort controllers) at every start.
    const decoder = new TextDecoder();
    const layerUrl = this.options.layerUrl;

    // Before Node 22.15 only `module.register()` could see ES modules load, at the price of a
    // loader thread: ES modules then go untimed (their CommonJS imports still show).
    const recorder = this;
    this.unwatch = watchModules({
      resolved(specifier, context, url) {
        if (context.conditions?.includes('import')) imports.push({ parentUrl: context.parentURL, specifier, url, at: performance.now() });
      },
      loaded(url, context, result) {
        if (result.format === 'module' && !url.startsWith(layerUrl)) {
          const source = sourceText(result.source, decoder);
          if (source === undefined) return result;
          loaded.set(url, performance.now());
          // Appended, never prepended: line and column numbers of the module's own code stay
          // what they were, so its stack traces and source maps do not change.
          return { ...result, source: source + recorder.markFor(urls.push(url) - 1) };
        }
        if (result.format === 'commonjs' && context.conditions?.includes('import')) loaded.set(url, performance.now());
        return result;
      },
    });
    if (this.unwatch === undefined) return;
    Object.defineProperty(globalThis, EVALUATED_KEY, {
      value: (index: number) => {
        const url = urls[index];
        if (url !== undefined) evaluated.set(url, performance.now());
      },
      configurable: true,
      writable: true,
    });
  }
}

/** The source as Node would decode it (UTF-8, byte order mark dropped); undefined when there is none. */
function sourceText(source: Loaded['source'], decoder: InstanceType<typeof TextDecoder>): string | undefined {
  if (typeof source === 'string') return source;
  if (source instanceof ArrayBuffer) return decoder.decode(new Uint8Array(source));
  if (ArrayBuffer.isView(source)) return decoder.decode(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  return undefined;
}
