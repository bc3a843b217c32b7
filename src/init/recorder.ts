import { pathToFileURL } from 'node:url';
import { ModuleLoadRecorder, type ModuleLoads } from './module-loads';
import { restoreSyntaxError, type ImportModule } from './syntax-errors';

/**
 * When each part of the environment's init ended, in milliseconds since the process started
 * (`performance.now()`, whose origin is `performance.timeOrigin`).
 */
export interface InitMarks {
  /** Node's own start-up done, before any `--import` preload loads (`performance.nodeTiming`). */
  readonly nodeReady: number;
  readonly preloadStart: number;
  readonly preloadEnd: number;
  readonly functionLoadStart: number;
  readonly functionLoadEnd: number;
  readonly handlerReady: number;
}

/** What the recorder hands over, once: plain data, turned into spans by `init-spans.ts`. */
export interface InitRecord {
  /**
   * The process's start in epoch milliseconds: `performance.timeOrigin`, which Node takes while
   * its binary initialises, before `main()` (earlier than `performance.nodeTiming.nodeStart`);
   * the exec wrapper's shell and the kernel's exec come before it and are not seen.
   */
  readonly timeOrigin: number;
  readonly marks: InitMarks;
  /** Undefined when module loads were not recorded. */
  readonly modules: ModuleLoads | undefined;
}

export type InitPhase = 'preload-end' | 'function-load-start' | 'function-load-end';

export interface RecordingOptions {
  /** CommonJS loads shorter than this are dropped as they end. */
  readonly minModuleMs: number;
  /** The folder holding the layer's own files, whose ES modules are not marked. */
  readonly layerDir: string;
}

/**
 * Milliseconds on the monotonic clock that `performance.now()` reads too, shifted: without touching
 * `performance`, whose first use loads eleven of Node's internal modules. Moving that load into
 * the start of every preload changed when V8 collects during init, enough to grow its young
 * generation once later on (test/e2e/soak.test.ts).
 */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Created at the start of the preload, it notes when each phase of init ends and which modules the
 * function's load loaded when, as plain data: nothing here creates a span or touches
 * OpenTelemetry. `ready()` (the handler is ready) stops the recording: no hook stays installed
 * after init.
 */
export class InitRecorder {
  /** On the `monotonicMs()` clock, turned into `performance.now()` times by `take()`. */
  private readonly marks: { -readonly [K in keyof InitMarks]?: number } = {};
  private recording: RecordingOptions | undefined;
  private modules: ModuleLoadRecorder | undefined;
  private taken = false;

  /** Create it at the preload's first statement: that is `preloadStart`. */
  constructor() {
    this.marks.preloadStart = monotonicMs();
  }

  /**
   * Records the module loads of the function's load, from `function-load-start` to `ready()`. Not
   * the runtime's own: Lambda's runtime loads the same few files at every start, and hooking them
   * cost each start the decoding of its 55 KB entry file.
   */
  recordModuleLoads(options: RecordingOptions): void {
    this.recording = options;
  }

  mark(phase: InitPhase): void {
    const now = monotonicMs();
    if (phase === 'preload-end') this.marks.preloadEnd = now;
    else if (phase === 'function-load-end') this.marks.functionLoadEnd = now;
    else {
      this.marks.functionLoadStart = now;
      const options = this.recording;
      if (options !== undefined && this.modules === undefined && this.marks.handlerReady === undefined) {
        this.modules = ModuleLoadRecorder.start({ minMs: options.minModuleMs, layerUrl: `${pathToFileURL(options.layerDir).href}/` });
      }
    }
  }

  /** The handler is ready: init is over for the layer. Stops recording; later calls do nothing. */
  ready(): void {
    if (this.marks.handlerReady !== undefined) return;
    this.marks.handlerReady = monotonicMs();
    this.modules?.stop();
  }

  /**
   * After the function's load failed with `error`: a SyntaxError that the statements appended to
   * ES modules changed gets the message the module's own source gives back. Call after `ready()`.
   */
  async restoreSyntaxError(error: unknown, importModule: ImportModule): Promise<void> {
    const candidates = this.modules?.unfinished() ?? [];
    if (candidates.length > 0) await restoreSyntaxError(error, candidates, importModule);
  }

  /** When the handler became ready, once it has, on the `performance.now()` clock. */
  get readyAt(): number | undefined {
    const { handlerReady } = this.marks;
    return handlerReady === undefined ? undefined : handlerReady + performanceOffset();
  }

  /** The record, for the first caller after `ready()`; undefined for every other call. */
  take(): InitRecord | undefined {
    const { preloadStart, preloadEnd, functionLoadStart, functionLoadEnd, handlerReady } = this.marks;
    if (this.taken || preloadStart === undefined || handlerReady === undefined) return undefined;
    this.taken = true;
    const offset = performanceOffset();
    const at = (mark: number | undefined, fallback: number): number => (mark ?? fallback) + offset;
    const start = at(preloadStart, preloadStart);
    const nodeReady = performance.nodeTiming.bootstrapComplete;
    const marks: InitMarks = {
      nodeReady: nodeReady > 0 && nodeReady <= start ? nodeReady : start,
      preloadStart: start,
      preloadEnd: at(preloadEnd, preloadStart),
      functionLoadStart: at(functionLoadStart, handlerReady),
      functionLoadEnd: at(functionLoadEnd, handlerReady),
      handlerReady: at(handlerReady, handlerReady),
    };
    const modules = this.modules?.loads;
    this.modules = undefined;
    return { timeOrigin: performance.timeOrigin, marks, modules };
  }
}

/** What to add to a `monotonicMs()` time to get the `performance.now()` time of the same moment. */
function performanceOffset(): number {
  return performance.now() - monotonicMs();
}
