import { createRequire, isBuiltin } from 'node:module';
import { SpanKind, trace, type Attributes, type Context, type Link, type Tracer } from '@opentelemetry/api';
import { ATTR_CODE_FILE_PATH, ATTR_LAMBDA_MODULE_ORIGIN } from '../semconv';
import { nameModule, type CodeRoots } from './module-names';
import { moduleTree, type LoadNode } from './module-tree';
import type { InitMarks, InitRecord } from './recorder';

const INIT_SPAN = 'init';
/** The phases of init, each a child of the init span (times in `InitMarks`). */
const PHASE_SPANS = {
  /** Node's own start: from the process's start to the end of Node's bootstrap, before any preload. */
  node: 'node start',
  /**
   * The layer's preload: reading and compiling its file, config, tracer, export. Node starts its
   * ES module loader here too (1 to 2 ms that the runtime's own entry would pay without a preload).
   */
  layer: 'layer setup',
  /** The runtime interface client loading and starting, up to the function's module load. */
  runtime: 'runtime start',
  /** The function's module and everything it imports. */
  function: 'function load',
} as const;

export interface InitSpanOptions extends CodeRoots {
  readonly tracer: Tracer;
  /** Module loads shorter than this get no span. */
  readonly minModuleMs: number;
  /** Attributes of the init span. */
  readonly attributes?: Attributes;
  /** Links of the init span. */
  readonly links?: Link[];
  /** The file a CommonJS request loaded, found again from its requiring file; for naming. */
  readonly resolveRequire?: (request: string, parent: string) => string | undefined;
}

interface Phase {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Turns an init record into spans under `parent`: `init` (process start to handler ready), its
 * phases, and under the phase each happened in, one span per module load that took at least
 * `minModuleMs`, nested as the loads nested. Runs once, when the first invocation's spans are
 * exported. Returns how many spans it created.
 */
export function emitInitSpans(record: InitRecord, parent: Context, options: InitSpanOptions): number {
  const at = (ms: number): number => record.timeOrigin + ms;
  const { tracer } = options;
  const { marks } = record;
  const init = tracer.startSpan(
    INIT_SPAN,
    { kind: SpanKind.INTERNAL, startTime: at(0), attributes: options.attributes, links: options.links },
    parent,
  );
  const initContext = trace.setSpan(parent, init);
  const phases = initPhases(marks);
  const modules = record.modules === undefined ? [] : moduleTree(record.modules);
  const emitter = new ModuleSpans(tracer, at, options);
  for (const phase of phases) {
    const span = tracer.startSpan(phase.name, { kind: SpanKind.INTERNAL, startTime: at(phase.start) }, initContext);
    const inside = modules.filter((node) => node.start >= phase.start && node.start < phase.end);
    emitter.emit(inside, trace.setSpan(initContext, span), undefined);
    span.end(at(phase.end));
  }
  emitter.emit(
    modules.filter((node) => !phases.some((phase) => node.start >= phase.start && node.start < phase.end)),
    initContext,
    undefined,
  );
  init.end(at(marks.handlerReady));
  return 1 + phases.length + emitter.count;
}

function initPhases(marks: InitMarks): Phase[] {
  return [
    { name: PHASE_SPANS.node, start: 0, end: marks.nodeReady },
    { name: PHASE_SPANS.layer, start: marks.nodeReady, end: marks.preloadEnd },
    { name: PHASE_SPANS.runtime, start: marks.preloadEnd, end: marks.functionLoadStart },
    { name: PHASE_SPANS.function, start: marks.functionLoadStart, end: marks.functionLoadEnd },
  ];
}

class ModuleSpans {
  count = 0;
  private readonly resolveRequire: (request: string, parent: string) => string | undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly at: (ms: number) => number,
    private readonly options: InitSpanOptions,
  ) {
    this.resolveRequire = options.resolveRequire ?? resolveFrom;
  }

  /** `parentFile`: the file of the enclosing module span, which absorbs a nested load of itself. */
  emit(nodes: readonly LoadNode[], parent: Context, parentFile: string | undefined): void {
    for (const node of nodes) {
      if (node.end - node.start < this.options.minModuleMs) continue;
      const file = node.file ?? (node.parent === undefined ? undefined : this.resolveRequire(node.request, node.parent));
      // `require()` of an ES module, then that module's own evaluation: one span.
      if (file !== undefined && file === parentFile) {
        this.emit(node.children, parent, parentFile);
        continue;
      }
      const { name, origin } = nameModule(node.request, file, this.options);
      const attributes: Attributes = { [ATTR_LAMBDA_MODULE_ORIGIN]: origin };
      if (file !== undefined) attributes[ATTR_CODE_FILE_PATH] = file;
      const span = this.tracer.startSpan(`${node.kind} ${name}`, { kind: SpanKind.INTERNAL, startTime: this.at(node.start), attributes }, parent);
      this.count++;
      this.emit(node.children, trace.setSpan(parent, span), file);
      span.end(this.at(node.end));
    }
  }
}

function resolveFrom(request: string, parent: string): string | undefined {
  if (isBuiltin(request)) return undefined;
  try {
    return createRequire(parent).resolve(request);
  } catch {
    return undefined;
  }
}
