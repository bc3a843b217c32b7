import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { invocationAttributes } from './attributes';
import { coldStartTracker } from './coldstart';
import { asLambdaContext, remainingTimeMs, stringField } from './lambda-context';

export interface InvocationTracerOptions {
  readonly tracer: Tracer;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly initializationType: string;
  /** The export policy's hook between the handler settling and the runtime posting its answer. */
  readonly beforeResponse: (remainingMs: number) => Promise<void>;
}

/**
 * One invocation's state. It travels as a value through the wrapper, never in module state, so
 * concurrent invocations (managed instances) cannot mix.
 */
export class Invocation {
  private ended = false;

  constructor(
    readonly span: Span,
    readonly context: Context,
    private readonly lambdaContext: unknown,
    private readonly beforeResponseHook: (remainingMs: number) => Promise<void>,
  ) {}

  /** Ends the span once; later calls (a callback after a rejection, say) are ignored. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined && error !== null) {
      this.span.recordException(error instanceof Error ? error : String(error));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    }
    this.span.end();
  }

  beforeResponse(): Promise<void> {
    return this.beforeResponseHook(remainingTimeMs(asLambdaContext(this.lambdaContext)));
  }
}

export class InvocationTracer {
  private readonly takeColdStart: () => boolean;

  constructor(private readonly options: InvocationTracerOptions) {
    this.takeColdStart = coldStartTracker(options.initializationType);
  }

  start(_event: unknown, lambdaContext: unknown): Invocation {
    const ctx = asLambdaContext(lambdaContext);
    const { tracer, functionVersion } = this.options;
    const name = stringField(ctx.functionName) ?? this.options.functionName;
    const span = tracer.startSpan(
      name,
      { kind: SpanKind.SERVER, attributes: invocationAttributes(ctx, this.takeColdStart(), functionVersion) },
      ROOT_CONTEXT,
    );
    return new Invocation(span, trace.setSpan(ROOT_CONTEXT, span), lambdaContext, this.options.beforeResponse);
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
