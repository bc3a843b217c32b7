import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { ExportPolicy } from '../export/policy';
import { invocationAttributes } from './attributes';
import { coldStartTracker } from './coldstart';
import { asLambdaContext, remainingTimeMs, stringField, type LambdaContext } from './lambda-context';

export interface InvocationTracerOptions {
  readonly tracer: Tracer;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly initializationType: string;
  /** Decides when the finished spans leave: before the answer, after it, or on a timer. */
  readonly policy: ExportPolicy;
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
    private readonly lambdaContext: LambdaContext,
    private readonly policy: ExportPolicy,
  ) {}

  /**
   * Ends the span and hands the invocation to the export policy, once; later calls (a callback
   * after a rejection, say) resolve at once. The caller answers the runtime when this settles.
   */
  finish(error?: unknown, answersOnEmptyLoop = false): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.ended = true;
    if (error !== undefined && error !== null) {
      this.span.recordException(error instanceof Error ? error : String(error));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    }
    this.span.end();
    return this.policy.onFinished({
      requestId: stringField(this.lambdaContext.awsRequestId),
      remainingMs: remainingTimeMs(this.lambdaContext),
      answersOnEmptyLoop,
    });
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
    return new Invocation(span, trace.setSpan(ROOT_CONTEXT, span), ctx, this.options.policy);
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
