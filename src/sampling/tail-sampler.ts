import {
  createContextKey,
  isSpanContextValid,
  SamplingDecision,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  type TraceState,
} from '@opentelemetry/api';
import type { ReadableSpan, Sampler, SamplingResult, Span as SdkSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { KeepRule, TailSamplingConfig } from '../config/load';
import type { DroppedSpans } from '../export/dropped-spans';
import { ATTR_INVOCATIONS_DROPPED_SAMPLED_OUT, ATTR_SAMPLING_REASON } from '../semconv';
import { RecentDurations } from './recent-durations';
import { decide, KEPT_BY_PARENT, NOT_RECORDED, type Failure, type KeepReason, type Verdict } from './rules';
import { CERTAIN_THRESHOLD, RatioThreshold, withThreshold } from './threshold';

/** The window of LAMBDA_OTEL_SAMPLING_SLOW's percentile: enough for p99.9 to mean something. */
const RECENT_INVOCATIONS = 1000;

const HELD_SPANS_KEY = createContextKey('lambda-otel-preload held spans');

const RECORD: SamplingResult = { decision: SamplingDecision.RECORD };
const RECORD_AND_SAMPLED: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const NOT_RECORD: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/**
 * Tail sampling (LAMBDA_OTEL_SAMPLING=tail): whether an invocation's spans are exported is decided
 * once it has ended, from how it went. One per process (per worker thread on managed instances),
 * in three moments:
 * - as a span starts, `sampler` records it, whatever happens next (unless a parent that was not
 *   sampled is followed). It marks it sampled, which is what its trace context tells the services
 *   it calls, exactly when the trace will be kept anyway: its parent was sampled, or its trace id
 *   is in the ratio's share.
 * - as a span ends, this processor (between the invocation's span budget and the export buffer)
 *   holds it with its invocation's `HeldSpans`, found in the context the span started in;
 * - as the invocation ends, its verdict forwards every one of its spans to the buffer, or drops
 *   them all, counted (`sampled-out`) for the next invocation kept. Spans that end later follow
 *   the same verdict; spans that start later are started as it says.
 * Spans outside any invocation (module initialisation) are sampled at their start by the same
 * ratio, as nothing would decide for them later.
 */
export class TailSampler implements SpanProcessor {
  readonly sampler: Sampler;
  readonly ratio: RatioThreshold;
  private readonly keep: ReadonlySet<KeepRule>;
  /** Set for a percentile threshold only: a fixed one needs no history. */
  private readonly durations: RecentDurations | undefined;
  private readonly holders = new WeakMap<ReadableSpan, HeldSpans>();
  private droppedInvocations = 0;

  constructor(
    private readonly next: SpanProcessor,
    private readonly config: TailSamplingConfig,
    /** Where every span made and not exported is counted; the invocation span kept next reports them. */
    private readonly droppedSpans: DroppedSpans,
  ) {
    this.ratio = new RatioThreshold(config.ratio);
    this.keep = new Set(config.keep);
    this.durations = 'percentile' in config.slow && this.keep.has('slow') ? new RecentDurations(RECENT_INVOCATIONS) : undefined;
    this.sampler = {
      shouldSample: (context, traceId) => heldSpansOf(context)?.sample(context, traceId) ?? this.sampleOutside(context, traceId),
      toString: () => `TailSampling{ratio=${config.ratio}}`,
    };
  }

  /**
   * The holder of a new invocation's spans, from the context its span starts in: a sampled
   * parent keeps everything, one not sampled is followed (nothing recorded) unless failures are
   * kept under it all the same.
   */
  hold(parent: Context, coldStart: boolean): HeldSpans {
    const remote = trace.getSpanContext(parent);
    if (remote === undefined || !isSpanContextValid(remote)) return new HeldSpans(this, undefined, coldStart, false);
    if ((remote.traceFlags & TraceFlags.SAMPLED) !== 0) return new HeldSpans(this, KEPT_BY_PARENT, coldStart, false);
    if (this.config.unsampledParent === 'follow') return new HeldSpans(this, NOT_RECORDED, coldStart, false);
    return new HeldSpans(this, undefined, coldStart, true);
  }

  onStart(span: SdkSpan, parentContext: Context): void {
    const held = heldSpansOf(parentContext);
    if (held !== undefined) this.holders.set(span, held);
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const held = this.holders.get(span);
    if (held === undefined) {
      this.next.onEnd(span);
      return;
    }
    this.holders.delete(span);
    held.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }

  /** The verdict on an invocation that has just ended, its duration added to the recent ones. */
  conclude(held: HeldSpans, failure: Failure | undefined, traceId: string, durationMs: number): Verdict {
    const slow = this.isSlow(durationMs);
    this.durations?.add(durationMs);
    if (held.preVerdict !== undefined) return held.preVerdict;
    const inRatio = !held.underUnsampledParent && this.ratio.keeps(traceId);
    return decide({ failure, coldStart: held.coldStart, slow, inRatio, underUnsampledParent: held.underUnsampledParent }, this.keep);
  }

  /**
   * What a kept invocation's span says: why, and how many invocations were dropped since the last
   * one kept (their spans: `lambda_otel.spans_dropped.sampled_out`, with the other drop counts).
   */
  keptAttributes(reason: KeepReason): Attributes {
    const attributes: Attributes = { [ATTR_SAMPLING_REASON]: reason };
    if (this.droppedInvocations > 0) attributes[ATTR_INVOCATIONS_DROPPED_SAMPLED_OUT] = this.droppedInvocations;
    this.droppedInvocations = 0;
    return attributes;
  }

  droppedInvocation(): void {
    this.droppedInvocations++;
  }

  /** A span of a dropped invocation, held or ending late. */
  droppedSpan(): void {
    this.droppedSpans.add('sampled-out', 1);
  }

  forward(span: ReadableSpan): void {
    this.next.onEnd(span);
  }

  private isSlow(durationMs: number): boolean {
    const { slow } = this.config;
    if ('ms' in slow) return durationMs >= slow.ms;
    const threshold = this.durations?.percentile(slow.percentile);
    return threshold !== undefined && durationMs > threshold;
  }

  private sampleOutside(context: Context, traceId: string): SamplingResult {
    const parent = trace.getSpanContext(context);
    if (parent !== undefined && isSpanContextValid(parent)) {
      return (parent.traceFlags & TraceFlags.SAMPLED) !== 0 ? RECORD_AND_SAMPLED : NOT_RECORD;
    }
    return this.ratio.keeps(traceId) ? { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: this.ratio.traceState } : NOT_RECORD;
  }
}

function heldSpansOf(context: Context): HeldSpans | undefined {
  return context.getValue(HELD_SPANS_KEY) as HeldSpans | undefined;
}

/**
 * One invocation's spans, from their start to its verdict. Found in the context of every span
 * started inside the invocation, its own span included (`within`), so no span escapes it; the
 * invocation gives the verdict when it ends (`end`).
 */
export class HeldSpans {
  /** Ended spans waiting for the verdict; undefined once it is given. */
  private waiting: ReadableSpan[] | undefined;
  private verdict: Verdict | undefined;
  private readonly startedAt = performance.now();
  /** The last tracestate made certain (`th:0`), and what it became: an invocation's spans share one. */
  private certainFrom: TraceState | undefined;
  private certainTo: TraceState | undefined;

  constructor(
    private readonly owner: TailSampler,
    /** Known from the start: kept (a sampled parent) or not recorded (an unsampled parent followed). */
    readonly preVerdict: Verdict | undefined,
    readonly coldStart: boolean,
    readonly underUnsampledParent: boolean,
  ) {
    this.verdict = preVerdict;
    this.waiting = preVerdict === undefined ? [] : undefined;
  }

  /** The context the invocation's span starts in. */
  within(context: Context): Context {
    return context.setValue(HELD_SPANS_KEY, this);
  }

  /** How a span started inside the invocation is recorded: until the verdict, always. */
  sample(context: Context, traceId: string): SamplingResult {
    const { verdict } = this;
    if (verdict === undefined) {
      if (this.underUnsampledParent || !this.owner.ratio.keeps(traceId)) return RECORD;
      // The invocation's own span starts the trace with the ratio's threshold; its children inherit it.
      return trace.getSpan(context) === undefined ? { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: this.owner.ratio.traceState } : RECORD_AND_SAMPLED;
    }
    if (!verdict.keep) return NOT_RECORD;
    if (verdict.weight === 'recorded') return RECORD_AND_SAMPLED;
    return { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: this.certain(trace.getSpanContext(context)?.traceState) };
  }

  onEnd(span: ReadableSpan): void {
    if (this.waiting !== undefined) this.waiting.push(span);
    else this.release(span);
  }

  /**
   * The invocation has ended (its span is about to): decide, write why on its span, and release
   * the spans held. True when the invocation is kept.
   */
  end(span: Span, failure: Failure | undefined): boolean {
    const verdict = this.owner.conclude(this, failure, span.spanContext().traceId, performance.now() - this.startedAt);
    this.verdict = verdict;
    if (verdict.keep) {
      span.setAttributes(this.owner.keptAttributes(verdict.reason));
    } else if (verdict.recorded) {
      this.owner.droppedInvocation();
    }
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    for (const held of waiting) this.release(held);
    return verdict.keep;
  }

  private release(span: ReadableSpan): void {
    const verdict = this.verdict;
    if (verdict === undefined || !verdict.keep) {
      this.owner.droppedSpan();
    } else if (verdict.weight === 'recorded') {
      this.owner.forward(span);
    } else {
      const context = span.spanContext();
      this.owner.forward(withSpanContext(span, { ...context, traceFlags: context.traceFlags | TraceFlags.SAMPLED, traceState: this.certain(context.traceState) }));
    }
  }

  private certain(state: TraceState | undefined): TraceState | undefined {
    if (state !== this.certainFrom || this.certainTo === undefined) {
      this.certainFrom = state;
      this.certainTo = withThreshold(state, CERTAIN_THRESHOLD);
    }
    return this.certainTo;
  }
}

/** The same ended span with another span context: its flags and tracestate as finally decided. */
function withSpanContext(span: ReadableSpan, spanContext: SpanContext): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
