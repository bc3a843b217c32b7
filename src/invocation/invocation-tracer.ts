import { SpanStatusCode, trace, type Context, type Span, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import type { XrayContext } from '../config/load';
import type { ExportPolicy } from '../export/policy';
import { parentContext } from '../propagation/extract';
import { detectTrigger } from '../triggers/detect';
import { responseAttributes } from '../triggers/response';
import type { Trigger } from '../triggers/types';
import { invocationAttributes } from './attributes';
import { coldStartTracker } from './coldstart';
import { asLambdaContext, remainingTimeMs, stringField, type LambdaContext } from './lambda-context';

export interface InvocationTracerOptions {
  readonly tracer: Tracer;
  readonly propagator: TextMapPropagator;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly initializationType: string;
  readonly xrayContext: XrayContext;
  readonly captureUrlQuery: boolean;
  /**
   * The Lambda X-Ray header of the current invocation where the context does not carry it: the
   * 3.x runtime sets it only in `_X_AMZN_TRACE_ID`, per invocation.
   */
  readonly traceHeaderFromEnv: () => string | undefined;
  /** Decides when the finished spans leave: before the answer, after it, or on a timer. */
  readonly policy: ExportPolicy;
}

export interface Outcome {
  readonly error?: unknown;
  readonly result?: unknown;
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
    private readonly trigger: Trigger,
    private readonly lambdaContext: LambdaContext,
    private readonly policy: ExportPolicy,
  ) {}

  /**
   * Ends the span and hands the invocation to the export policy, once; later calls (a callback
   * after a rejection, say) resolve at once. The caller answers the runtime when this settles.
   */
  finish({ error, result }: Outcome, answersOnEmptyLoop = false): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.ended = true;
    if (error !== undefined && error !== null) {
      this.span.recordException(error instanceof Error ? error : String(error));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    } else {
      const response = responseAttributes(this.trigger, result);
      this.span.setAttributes(response.attributes);
      if (response.isError) this.span.setStatus({ code: SpanStatusCode.ERROR });
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

  start(event: unknown, lambdaContext: unknown): Invocation {
    const ctx = asLambdaContext(lambdaContext);
    const { tracer, functionVersion, propagator, xrayContext } = this.options;
    const trigger = detectTrigger(event, { captureQuery: this.options.captureUrlQuery });
    const traceHeader = stringField(ctx.xRayTraceId) ?? this.options.traceHeaderFromEnv();
    const { parent, links } = parentContext(trigger, traceHeader, propagator, xrayContext);
    const span = tracer.startSpan(
      trigger.spanName ?? stringField(ctx.functionName) ?? this.options.functionName,
      {
        kind: trigger.kind,
        attributes: { ...trigger.attributes, ...invocationAttributes(ctx, this.takeColdStart(), functionVersion) },
        links,
      },
      parent,
    );
    return new Invocation(span, trace.setSpan(parent, span), trigger, ctx, this.options.policy);
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
