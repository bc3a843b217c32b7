import { context as otelContext, trace, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import type { XrayContext } from '../config/load';
import { describeError, type Diag } from '../diag';
import type { DropCounts } from '../export/dropped-spans';
import type { ExportPolicy } from '../export/policy';
import type { TraceInit } from '../init/trace-init';
import type { PayloadRecorder } from '../payload/capture';
import { parentContext } from '../propagation/extract';
import {
  configuredTimeoutMs,
  DEADLINE_MARGIN_MS,
  defaultTimeoutMarginMs,
  readCrashRules,
  uncaughtExceptionEndsProcess,
  type ProcessEvents,
} from '../runtime/timing';
import { stringValue } from '../read';
import type { TailSampler } from '../sampling/tail-sampler';
import { detectTrigger } from '../triggers/detect';
import { invocationAttributes } from './attributes';
import { coldStartTracker, type InvocationStart } from './coldstart';
import type { Ending } from './endings';
import { Invocation, invocationOf, type InvocationFacts, type InvocationOwner } from './invocation';
import { asLambdaContext, remainingTimeMs, type LambdaContext } from './lambda-context';

export interface InvocationsOptions {
  readonly tracer: Tracer;
  readonly propagator: TextMapPropagator;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly initializationType: string;
  /** A gap longer than this between init's end and the first invocation means a proactive init. */
  readonly proactiveInitMs: number;
  /** When the handler became ready, on the `performance.now()` clock. */
  readonly initEndedAt: () => number | undefined;
  /** Puts the init's spans in a trace, on the first invocation. */
  readonly traceInit?: TraceInit;
  readonly xrayContext: XrayContext;
  readonly captureUrlQuery: boolean;
  /**
   * The Lambda X-Ray header of the current invocation where the context does not carry it: the
   * 3.x runtime sets it only in `_X_AMZN_TRACE_ID`, per invocation.
   */
  readonly traceHeaderFromEnv: () => string | undefined;
  /** Decides when the finished spans leave: before the answer, after it, or on a timer. */
  readonly policy: ExportPolicy;
  /** Spans dropped since the last call, by reason (the export's count, which includes every other). */
  readonly takeDropped: () => DropCounts | undefined;
  /** Upper bound of one export, LAMBDA_OTEL_FLUSH_TIMEOUT_MS. */
  readonly flushTimeoutMs: number;
  /** How long before the deadline a running invocation is ended as timed out; undefined: adapted to the timeout. */
  readonly timeoutMarginMs: number | undefined;
  /** With LAMBDA_OTEL_SAMPLING=tail: holds each invocation's spans until it has ended and decides. */
  readonly tailSampler?: TailSampler;
  /** Records the event and the result on the span (LAMBDA_OTEL_CAPTURE_PAYLOAD); undefined when off. */
  readonly payloads?: PayloadRecorder;
  readonly diag: Diag;
}

/**
 * The owner of every invocation of this thread: starts each (span, parent, links, deadline), keeps
 * those in flight, and ends those that will not answer by themselves: at their deadline, or when
 * the process crashes.
 */
export class Invocations {
  private readonly inFlight = new Set<Invocation>();
  private readonly takeColdStart: () => InvocationStart;
  private readonly owner: InvocationOwner;

  constructor(private readonly options: InvocationsOptions) {
    this.takeColdStart = coldStartTracker({ ...options, now: () => performance.now() });
    this.owner = {
      policy: options.policy,
      payloads: options.payloads,
      ended: (invocation) => void this.inFlight.delete(invocation),
      takeDropped: options.takeDropped,
    };
  }

  start(event: unknown, lambdaContext: unknown): Invocation {
    const ctx = asLambdaContext(lambdaContext);
    const { tracer, functionVersion, propagator, xrayContext } = this.options;
    const facts = invocationFacts(ctx);
    const trigger = detectTrigger(event, { captureQuery: this.options.captureUrlQuery });
    const traceHeader = stringValue(ctx.xRayTraceId) ?? this.options.traceHeaderFromEnv();
    const { parent, links } = parentContext(trigger, traceHeader, propagator, xrayContext);
    const start = this.takeColdStart();
    const held = this.options.tailSampler?.hold(parent, start.coldStart);
    const startIn = held === undefined ? parent : held.within(parent);
    const span = tracer.startSpan(
      trigger.spanName ?? stringValue(ctx.functionName) ?? this.options.functionName,
      {
        kind: trigger.kind,
        attributes: { ...trigger.attributes, ...invocationAttributes(ctx, start.coldStart, functionVersion), ...start.attributes },
        links,
      },
      startIn,
    );
    this.options.payloads?.recordEvent(span, event, trigger);
    const invocation = new Invocation(span, trace.setSpan(startIn, span), facts, trigger, this.owner, held);
    if (start.first) this.options.traceInit?.(invocation.context, start.coldStart, () => invocation.hasEnded);
    this.inFlight.add(invocation);
    if (facts.timeoutMs !== undefined) {
      const margin = this.options.timeoutMarginMs ?? defaultTimeoutMarginMs(facts.timeoutMs);
      invocation.armDeadline(margin, this.timeOut);
    }
    return invocation;
  }

  /**
   * Starts watching for crashes. Called once, right before the user's module loads: whatever
   * listens for uncaught exceptions then is the runtime (src/runtime/timing.ts says what that means).
   * `uncaughtExceptionMonitor` observes without changing what Node does; an `unhandledRejection`
   * listener is added only where one exists already, so no rejection that would crash stops doing so.
   */
  watchCrashes(proc: ProcessEvents = process): void {
    const rules = readCrashRules(proc);
    proc.on('uncaughtExceptionMonitor', (error) => {
      if (uncaughtExceptionEndsProcess(rules, proc)) this.crash(error);
    });
    if (proc.listenerCount('unhandledRejection') > 0) {
      proc.prependListener('unhandledRejection', (reason) => this.crash(reason));
    }
    // After a crash the invocations have ended already; what is still in flight here met `process.exit()`.
    proc.on('exit', (code) => this.die({ kind: 'exited', code }));
  }

  /** At the deadline less the margin: end the span, cut its open children, and export them now. */
  private readonly timeOut = (invocation: Invocation): void => {
    try {
      const { deadlineMs, timeoutMs } = invocation.facts;
      const remainingMs = Math.max(0, Math.round((deadlineMs ?? Date.now()) - Date.now()));
      if (!invocation.cut({ kind: 'timed-out', timeoutMs: timeoutMs ?? 0, remainingMs })) return;
      // Lambda kills the process at the deadline, whatever the layer does: the whole rest is the bound.
      void this.options.policy.flushNow(remainingMs);
    } catch (error) {
      this.options.diag.once('timeout', 'error', `could not record a timeout: ${describeError(error)}`);
    }
  };

  /**
   * The process is dying of `error`. The invocation whose context was active gets the exception;
   * any other in flight (managed instances) is marked as crashed too.
   */
  private crash(error: unknown): void {
    const culprit = invocationOf(otelContext.active());
    this.die((invocation) => ({ kind: 'crashed', error, culprit: culprit === undefined || culprit === invocation }));
  }

  /**
   * Ends what is in flight as the process dies, and sends their spans, and whatever earlier ones
   * still wait in the buffer, before Node goes on to exit exactly as it would have. Node's exit
   * path is synchronous: the export blocks the dying thread, for at most the usual export bound.
   */
  private die(ending: DyingEnding | ((invocation: Invocation) => DyingEnding)): void {
    try {
      let deadlineMs = Infinity;
      for (const invocation of [...this.inFlight]) {
        invocation.cut(typeof ending === 'function' ? ending(invocation) : ending);
        deadlineMs = Math.min(deadlineMs, invocation.facts.deadlineMs ?? Infinity);
      }
      const bound = Math.min(this.options.flushTimeoutMs, deadlineMs - Date.now() - DEADLINE_MARGIN_MS);
      this.options.policy.flushBlocking(bound);
    } catch (failure) {
      this.options.diag.once('crash', 'error', `could not record the end of the process: ${describeError(failure)}`);
    }
  }
}

type DyingEnding = Extract<Ending, { kind: 'crashed' | 'exited' }>;

function invocationFacts(context: LambdaContext): InvocationFacts {
  const remaining = remainingTimeMs(context);
  const known = Number.isFinite(remaining);
  return {
    requestId: stringValue(context.awsRequestId),
    deadlineMs: known ? Date.now() + remaining : undefined,
    timeoutMs: known ? configuredTimeoutMs(remaining) : undefined,
  };
}
