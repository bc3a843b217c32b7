import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { TextDecoder } from 'node:util';
import * as nodeModule from 'node:module';

/** A CommonJS load as Node's `module.require` tracing channel saw it (times from `performance.now()`). */
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

interface RequireMessage {
  readonly id?: unknown;
  readonly parentFilename?: unknown;
}

interface ResolveContext {
  readonly conditions?: readonly string[];
  readonly parentURL?: string;
}
interface Resolved {
  readonly url: string;
  readonly format?: string | null;
}
interface LoadContext {
  readonly conditions?: readonly string[];
  readonly format?: string | null;
}
interface Loaded {
  readonly format?: string | null;
  readonly source?: string | ArrayBuffer | ArrayBufferView | null;
}
interface SyncHooks {
  registerHooks?: (hooks: {
    resolve: (specifier: string, context: ResolveContext, next: (specifier: string, context: ResolveContext) => Resolved) => Resolved;
    load: (url: string, context: LoadContext, next: (url: string, context: LoadContext) => Loaded) => Loaded;
  }) => { deregister(): void };
}

export interface ModuleLoadOptions {
  /** CommonJS loads shorter than this are not kept (those an ES module imports always are). */
  readonly minMs: number;
  /** `file:` URL prefix of the layer's own files, whose ES modules are not marked. */
  readonly layerUrl: string;
}

/**
 * Records module loads until `stop()`. Costs per `require`: two `performance.now()` calls and a
 * comparison; per ES module: a resolve and a load hook (in-thread, `module.registerHooks`, Node
 * >= 22.15) and one statement appended to its source. Nothing stays installed after `stop()`.
 *
 * Measured on the bench's heavy function (nodejs24.x, 2 shared cores, medians): see
 * bench/module-hooks.mjs for the figures and how they were taken.
 */
export class ModuleLoadRecorder {
  readonly loads: ModuleLoads = { requires: [], imports: [], loaded: new Map(), evaluated: new Map() };
  private readonly stack: number[] = [];
  private readonly evaluatedUrls: string[] = [];
  private hooks: { deregister(): void } | undefined;
  private readonly onStart = (): void => {
    this.stack.push(performance.now());
  };
  private readonly onEnd = (message: unknown): void => {
    const start = this.stack.pop();
    const end = performance.now();
    if (start === undefined) return;
    const { id, parentFilename } = message as RequireMessage;
    // An ES module's CommonJS import has no parent file; the graph needs it, fast or not.
    const parent = typeof parentFilename === 'string' && parentFilename !== '' ? parentFilename : undefined;
    if (typeof id === 'string' && (end - start >= this.options.minMs || parent === undefined)) {
      this.loads.requires.push({ id, parent, start, end });
    }
  };

  private constructor(private readonly options: ModuleLoadOptions) {}

  static start(options: ModuleLoadOptions): ModuleLoadRecorder {
    const recorder = new ModuleLoadRecorder(options);
    subscribe('tracing:module.require:start', recorder.onStart);
    subscribe('tracing:module.require:end', recorder.onEnd);
    recorder.hookImports();
    return recorder;
  }

  stop(): void {
    unsubscribe('tracing:module.require:start', this.onStart);
    unsubscribe('tracing:module.require:end', this.onEnd);
    this.hooks?.deregister();
    this.hooks = undefined;
    delete (globalThis as Record<symbol, unknown>)[EVALUATED_KEY];
  }

  private hookImports(): void {
    const { registerHooks } = nodeModule as unknown as SyncHooks;
    // Before Node 22.15 only `module.register()` could see ES modules load, at the price of a
    // loader thread: ES modules then go untimed (their CommonJS imports still show).
    if (typeof registerHooks !== 'function') return;
    const { imports, loaded, evaluated } = this.loads;
    const urls = this.evaluatedUrls;
    const decoder = new TextDecoder();
    Object.defineProperty(globalThis, EVALUATED_KEY, {
      value: (index: number) => {
        const url = urls[index];
        if (url !== undefined) evaluated.set(url, performance.now());
      },
      configurable: true,
      writable: true,
    });
    const layerUrl = this.options.layerUrl;
    this.hooks = registerHooks({
      resolve(specifier, context, next) {
        const at = performance.now();
        const resolved = next(specifier, context);
        if (context.conditions?.includes('import')) imports.push({ parentUrl: context.parentURL, specifier, url: resolved.url, at });
        return resolved;
      },
      load(url, context, next) {
        const result = next(url, context);
        if (result.format === 'module' && !url.startsWith(layerUrl)) {
          const source = sourceText(result.source, decoder);
          if (source === undefined) return result;
          loaded.set(url, performance.now());
          // Appended, never prepended: line and column numbers of the module's own code stay
          // what they were, so its stack traces and source maps do not change.
          return { ...result, source: `${source}\n;globalThis[Symbol.for(${JSON.stringify(EVALUATED_KEY.description)})]?.(${urls.push(url) - 1});\n` };
        }
        if (result.format === 'commonjs' && context.conditions?.includes('import')) loaded.set(url, performance.now());
        return result;
      },
    });
  }
}

/** The source as Node would decode it (UTF-8, byte order mark dropped); undefined when there is none. */
function sourceText(source: Loaded['source'], decoder: TextDecoder): string | undefined {
  if (typeof source === 'string') return source;
  if (source instanceof ArrayBuffer) return decoder.decode(new Uint8Array(source));
  if (ArrayBuffer.isView(source)) return decoder.decode(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  return undefined;
}
