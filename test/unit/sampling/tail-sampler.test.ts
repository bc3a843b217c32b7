/**
 * Issue 14: tail sampling, decided when each invocation has ended. The invocations run in memory
 * (real provider, real invocation lifecycle) with trace ids the test chooses, so every decision is
 * known in advance.
 */
import { context, defaultTextMapSetter, TraceFlags, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IdGenerator, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TailSamplingConfig } from '../../../src/config/load';
import type { Invocation } from '../../../src/invocation/invocation';
import { loadEvent } from '../../helpers/events';
import { inMemoryInvocations, lambdaContext, useContextManager } from '../../helpers/invocations';

useContextManager();

const REASON = 'lambda_otel.sampling.reason';
const DROPPED_INVOCATIONS = 'lambda_otel.invocations_dropped.sampled_out';
const DROPPED_SPANS = 'lambda_otel.spans_dropped.sampled_out';
/** The threshold of a 10 % ratio: trace ids whose last 56 bits are at least e666… are in its share. */
const TEN_PERCENT = 'e666';

/** Trace ids the test chooses: `in` the 10 % ratio's share, or `out` of it. */
class ChosenTraceIds implements IdGenerator {
  next: 'in' | 'out' = 'out';
  private count = 0;

  generateTraceId(): string {
    const serial = (++this.count).toString(16).padStart(18, '0');
    return serial + (this.next === 'in' ? 'f0000000000000' : '10000000000000');
  }

  generateSpanId(): string {
    return (++this.count).toString(16).padStart(16, '0');
  }
}

function tailSampled(config: Partial<TailSamplingConfig> = {}, maxSpans = 1000) {
  const ids = new ChosenTraceIds();
  // Provisioned concurrency: no cold start, unless a test asks for one.
  const setup = inMemoryInvocations({
    tailSampling: { ratio: 0.1, slow: { ms: 60_000 }, ...config },
    idGenerator: ids,
    initializationType: 'provisioned-concurrency',
    maxSpans,
  });
  const tracer = setup.provider.getTracer('app');
  const propagator = new W3CTraceContextPropagator();

  /** What a downstream call made inside the invocation would carry. */
  const outgoing = (invocation: Invocation): Record<string, string> => {
    const headers: Record<string, string> = {};
    context.with(invocation.context, () => propagator.inject(context.active(), headers, defaultTextMapSetter));
    return headers;
  };

  const start = (requestId: string, trace: 'in' | 'out', event: unknown = {}, remainingMs?: number): Invocation => {
    ids.next = trace;
    return setup.invocations.start(event, lambdaContext(requestId, remainingMs));
  };

  const child = (invocation: Invocation, name = 'call'): Span => tracer.startSpan(name, {}, invocation.context);

  /** One invocation with `spans` children, answered with `outcome`. */
  const invoke = async (requestId: string, trace: 'in' | 'out', outcome: { error?: unknown } = {}, spans = 1): Promise<Invocation> => {
    const invocation = start(requestId, trace);
    for (let i = 0; i < spans; i++) child(invocation).end();
    await invocation.answer('error' in outcome ? outcome : { result: 'ok' }, 'after-settle');
    return invocation;
  };

  const exported = (): ReadableSpan[] => setup.exporter.getFinishedSpans();
  const invocationSpans = (): ReadableSpan[] => exported().filter((s) => s.name === 'orders');
  return { ...setup, ids, outgoing, start, child, invoke, exported, invocationSpans };
}

const traceStateOf = (span: ReadableSpan): string | undefined => span.spanContext().traceState?.serialize();
const isSampled = (span: ReadableSpan): boolean => (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;

describe('tail sampling', () => {
  it('holds every span of an invocation until it ends, then exports them all, or none', async () => {
    const tail = tailSampled();
    const failing = tail.start('r1', 'out');
    tail.child(failing).end();
    expect(tail.exported()).toEqual([]);

    await failing.answer({ error: new Error('boom') }, 'after-settle');
    expect(tail.exported().map((s) => s.name).sort()).toEqual(['call', 'orders']);

    await tail.invoke('r2', 'out');
    expect(tail.exported()).toHaveLength(2);
  });

  it('keeps failures for certain: sampled, th:0 on every span, and the reason on the invocation span', async () => {
    const tail = tailSampled();
    await tail.invoke('r1', 'out', { error: new TypeError('boom') });
    await tail.invoke('r2', 'in', { error: 'also boom' });
    const spans = tail.exported();
    expect(spans).toHaveLength(4);
    for (const span of spans) {
      expect(isSampled(span)).toBe(true);
      expect(traceStateOf(span)).toBe('ot=th:0');
    }
    expect(tail.invocationSpans().map((s) => s.attributes[REASON])).toEqual(['error', 'error']);
  });

  it('keeps the ratio\'s share with the ratio\'s threshold, and tells downstream so from the start', async () => {
    const tail = tailSampled();
    const chosen = tail.start('r1', 'in');
    const headers = tail.outgoing(chosen);
    expect(headers.traceparent).toMatch(/-01$/);
    expect(headers.tracestate).toBe(`ot=th:${TEN_PERCENT}`);
    tail.child(chosen).end();
    await chosen.answer({ result: 'ok' }, 'after-settle');

    const spans = tail.exported();
    expect(spans.map(traceStateOf)).toEqual([`ot=th:${TEN_PERCENT}`, `ot=th:${TEN_PERCENT}`]);
    expect(tail.invocationSpans()[0].attributes[REASON]).toBe('ratio');
  });

  it('tells downstream "not sampled" where only a rule could keep the trace', async () => {
    const tail = tailSampled();
    const other = tail.start('r1', 'out');
    const headers = tail.outgoing(other);
    expect(headers.traceparent).toMatch(/-00$/);
    expect(headers.tracestate).toBeUndefined();
    await other.answer({ result: 'ok' }, 'after-settle');
    expect(tail.exported()).toEqual([]);
  });

  it('counts what it dropped on the next invocation it keeps, and only there', async () => {
    const tail = tailSampled();
    for (const id of ['r1', 'r2', 'r3']) await tail.invoke(id, 'out', {}, 2);
    await tail.invoke('r4', 'in');
    await tail.invoke('r5', 'in');
    const [first, second] = tail.invocationSpans();
    expect(first.attributes).toMatchObject({ [DROPPED_INVOCATIONS]: 3, [DROPPED_SPANS]: 9 });
    expect(second.attributes[DROPPED_INVOCATIONS]).toBeUndefined();
    expect(second.attributes[DROPPED_SPANS]).toBeUndefined();
  });

  it('leaves every drop count of an invocation dropped whole to the next one kept', async () => {
    const tail = tailSampled({}, 2);
    await tail.invoke('r1', 'out', {}, 5);
    await tail.invoke('r2', 'in');
    // Sampled out: the invocation span and the 2 children within the budget; the 3 past it, as such.
    expect(tail.invocationSpans()[0].attributes).toMatchObject({ [DROPPED_SPANS]: 3, 'lambda_otel.spans_dropped.over_budget': 3 });
  });

  it('makes spans that end after their invocation follow its verdict, and starts later ones as it says', async () => {
    const tail = tailSampled();
    const kept = tail.start('kept', 'out');
    const keptLate = tail.child(kept, 'late');
    await kept.answer({ error: new Error('boom') }, 'after-settle');
    const dropped = tail.start('dropped', 'out');
    const droppedLate = tail.child(dropped, 'late');
    await dropped.answer({ result: 'ok' }, 'after-settle');

    keptLate.end();
    droppedLate.end();
    const afterKept = tail.child(kept, 'after');
    const afterDropped = tail.child(dropped, 'after');
    expect(afterKept.isRecording()).toBe(true);
    expect(afterKept.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
    expect(afterKept.spanContext().traceState?.serialize()).toBe('ot=th:0');
    expect(afterDropped.isRecording()).toBe(false);
    expect(tail.outgoing(dropped).traceparent).toMatch(/-00$/);
    afterKept.end();
    afterDropped.end();

    const late = tail.exported().filter((s) => s.name !== 'orders');
    expect(late.map((s) => [s.name, s.spanContext().traceId])).toEqual([
      ['late', kept.span.spanContext().traceId],
      ['after', kept.span.spanContext().traceId],
    ]);
    expect(late.map(traceStateOf)).toEqual(['ot=th:0', 'ot=th:0']);
    // The dropped invocation's late span is counted: it was recorded; the one started after was not.
    await tail.invoke('next', 'in');
    expect(tail.invocationSpans()[1].attributes[DROPPED_SPANS]).toBe(2);
  });

  it('keeps two interleaved invocations\' spans apart (managed instances)', async () => {
    const tail = tailSampled();
    const failing = tail.start('a', 'out');
    const fine = tail.start('b', 'out');
    tail.child(failing, 'a-call').end();
    tail.child(fine, 'b-call').end();
    await fine.answer({ result: 'ok' }, 'after-settle');
    await failing.answer({ error: new Error('a failed') }, 'after-settle');
    expect(tail.exported().map((s) => s.name).sort()).toEqual(['a-call', 'orders']);
    expect(new Set(tail.exported().map((s) => s.spanContext().traceId))).toEqual(new Set([failing.span.spanContext().traceId]));
    expect(tail.invocationSpans()[0].attributes[DROPPED_INVOCATIONS]).toBe(1);
  });

  it('keeps cold starts, and only the rules asked for', async () => {
    const cold = inMemoryInvocations({ tailSampling: { ratio: 0, keep: ['coldstart'] } });
    const first = cold.invocations.start({}, lambdaContext('r1'));
    await first.answer({ result: 'ok' }, 'after-settle');
    const failing = cold.invocations.start({}, lambdaContext('r2'));
    await failing.answer({ error: new Error('not kept') }, 'after-settle');
    expect(cold.exporter.getFinishedSpans().map((s) => [s.attributes['faas.coldstart'], s.attributes[REASON]])).toEqual([[true, 'coldstart']]);
  });

  it('samples spans outside any invocation by the ratio alone, as they start', () => {
    const tail = tailSampled();
    const tracer = tail.provider.getTracer('module init');
    tail.ids.next = 'in';
    const chosen = tracer.startSpan('load config');
    tail.ids.next = 'out';
    const other = tracer.startSpan('warm cache');
    expect([chosen.isRecording(), other.isRecording()]).toEqual([true, false]);
    chosen.end();
    other.end();
    expect(tail.exported().map((s) => [s.name, traceStateOf(s)])).toEqual([['load config', `ot=th:${TEN_PERCENT}`]]);
  });

  describe('under a parent from the event', () => {
    const parentId = 'abcdef0123456789abcdef0123456789';
    const parentSpanId = '0123456789abcdef';
    const withParent = (flags: '00' | '01', tracestate?: string) => {
      const event = loadEvent('api-gateway-v2');
      event.headers = { ...(event.headers as object), traceparent: `00-${parentId}-${parentSpanId}-${flags}`, ...(tracestate && { tracestate }) };
      return event;
    };

    it('a sampled parent keeps the whole trace as it came, without holding it', async () => {
      const tail = tailSampled();
      const invocation = tail.start('r1', 'out', withParent('01', 'ot=th:c,vendor=x'));
      tail.child(invocation).end();
      expect(tail.exported().map((s) => s.name)).toEqual(['call']);
      await invocation.answer({ result: { statusCode: 200 } }, 'after-settle');

      const [server] = tail.exported().filter((s) => s.parentSpanContext?.spanId === parentSpanId);
      expect(server.attributes[REASON]).toBe('parent');
      expect(server.spanContext().traceId).toBe(parentId);
      expect(tail.exported().map(traceStateOf)).toEqual(['ot=th:c,vendor=x', 'ot=th:c,vendor=x']);
    });

    it('a parent not sampled is followed: nothing is recorded, nothing counted', async () => {
      const tail = tailSampled();
      const invocation = tail.start('r1', 'in', withParent('00'));
      expect(invocation.span.isRecording()).toBe(false);
      await invocation.answer({ error: new Error('boom') }, 'after-settle');
      await tail.invoke('r2', 'in');
      expect(tail.invocationSpans()).toHaveLength(1);
      expect(tail.invocationSpans()[0].attributes[DROPPED_INVOCATIONS]).toBeUndefined();
    });

    it('with keep-errors, a failure under a parent not sampled is kept for certain, the rest dropped', async () => {
      const tail = tailSampled({ unsampledParent: 'keep-errors' });
      const fine = tail.start('fine', 'in', withParent('00'));
      expect(tail.outgoing(fine).traceparent).toMatch(/-00$/);
      await fine.answer({ result: { statusCode: 200 } }, 'after-settle');
      const failing = tail.start('failing', 'in', withParent('00', 'ot=th:fff'));
      tail.child(failing).end();
      await failing.answer({ result: { statusCode: 503 } }, 'after-settle');

      const spans = tail.exported();
      expect(spans).toHaveLength(2);
      const server = spans.find((s) => s.parentSpanContext?.spanId === parentSpanId);
      expect(server?.attributes).toMatchObject({ [REASON]: 'error', [DROPPED_INVOCATIONS]: 1, [DROPPED_SPANS]: 1 });
      for (const span of spans) {
        expect(isSampled(span)).toBe(true);
        expect(traceStateOf(span)).toBe('ot=th:0');
      }
    });
  });

  describe('with a clock the test moves', () => {
    beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
    afterEach(() => jest.useRealTimers());

    const timed = async (tail: ReturnType<typeof tailSampled>, id: string, ms: number) => {
      const invocation = tail.start(id, 'out');
      jest.advanceTimersByTime(ms);
      await invocation.answer({ result: 'ok' }, 'after-settle');
    };

    it('keeps invocations that took at least a fixed duration', async () => {
      const tail = tailSampled({ slow: { ms: 500 } });
      await timed(tail, 'fast', 499);
      await timed(tail, 'slow', 500);
      expect(tail.invocationSpans().map((s) => [s.attributes['faas.invocation_id'], s.attributes[REASON]])).toEqual([['slow', 'slow']]);
    });

    it('keeps invocations slower than a percentile of the recent ones, once there are enough of them', async () => {
      const tail = tailSampled({ slow: { percentile: 90 } });
      // Too little history for p90 before the tenth: the first, however long, is not "slower than p90".
      for (let i = 0; i < 10; i++) await timed(tail, `early ${i}`, i === 0 ? 2000 : 10);
      // Ten durations now (2000 and 10 x 9): p90 is 10 ms.
      await timed(tail, 'as slow as p90', 10);
      await timed(tail, 'slower than p90', 11);
      expect(tail.invocationSpans().map((s) => s.attributes['faas.invocation_id'])).toEqual(['slower than p90']);
    });

    it('keeps a timed-out invocation with the spans it cut short, for certain', () => {
      const tail = tailSampled();
      const invocation = tail.start('r1', 'out', {}, 1000);
      tail.child(invocation, 'hanging');
      jest.advanceTimersByTime(901);
      const spans = tail.exported();
      expect(spans.map((s) => [s.name, s.attributes[REASON] ?? s.attributes['aws.lambda.cut_short']])).toEqual([
        ['orders', 'timeout'],
        ['hanging', 'timeout'],
      ]);
      expect(spans.map(traceStateOf)).toEqual(['ot=th:0', 'ot=th:0']);
      expect(tail.calls).toEqual(['now 100']);
    });
  });
});
