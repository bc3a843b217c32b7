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
 * Created at the start of the preload, it notes when each phase of init ends and (once asked to)
 * which modules loaded when, as plain data: nothing here creates a span or touches OpenTelemetry.
 * `ready()` (the handler is ready) stops the recording: no hook stays installed after init.
 */
export class InitRecorder {
  private readonly marks: { -readonly [K in keyof InitMarks]?: number } = {};
  private modules: ModuleLoadRecorder | undefined;
  private taken = false;

  /** `preloadStart`: `performance.now()` at the preload's first statement. */
  constructor(preloadStart: number) {
    this.marks.preloadStart = preloadStart;
  }

  /** Records module loads from now until `ready()`. */
  recordModuleLoads({ minModuleMs, layerDir }: RecordingOptions): void {
    if (this.modules !== undefined || this.marks.handlerReady !== undefined) return;
    this.modules = ModuleLoadRecorder.start({ minMs: minModuleMs, layerUrl: `${pathToFileURL(layerDir).href}/` });
  }

  mark(phase: InitPhase): void {
    const now = performance.now();
    if (phase === 'preload-end') this.marks.preloadEnd = now;
    else if (phase === 'function-load-start') this.marks.functionLoadStart = now;
    else this.marks.functionLoadEnd = now;
  }

  /** The handler is ready: init is over for the layer. Stops recording; later calls do nothing. */
  ready(): void {
    if (this.marks.handlerReady !== undefined) return;
    this.marks.handlerReady = performance.now();
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

  /** When the handler became ready, once it has. */
  get readyAt(): number | undefined {
    return this.marks.handlerReady;
  }

  /** The record, for the first caller after `ready()`; undefined for every other call. */
  take(): InitRecord | undefined {
    const { preloadStart, preloadEnd, functionLoadStart, functionLoadEnd, handlerReady } = this.marks;
    if (this.taken || preloadStart === undefined || handlerReady === undefined) return undefined;
    this.taken = true;
    const nodeReady = performance.nodeTiming.bootstrapComplete;
    const marks: InitMarks = {
      nodeReady: nodeReady > 0 && nodeReady <= preloadStart ? nodeReady : preloadStart,
      preloadStart,
      preloadEnd: preloadEnd ?? preloadStart,
      functionLoadStart: functionLoadStart ?? handlerReady,
      functionLoadEnd: functionLoadEnd ?? handlerReady,
      handlerReady,
    };
    const modules = this.modules?.loads;
    this.modules = undefined;
    return { timeOrigin: performance.timeOrigin, marks, modules };
  }
}
