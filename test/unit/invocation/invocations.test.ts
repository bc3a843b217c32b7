import { context, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { EventEmitter } from 'node:events';
import type { ProcessEvents } from '../../../src/runtime/timing';
import { inMemoryInvocations, lambdaContext, useContextManager } from '../../helpers/invocations';

useContextManager();

/** A stand-in for `process`: the crash watcher's listeners go here, never on jest's own process. */
function fakeProcess(options: { runtimeListens: boolean }): EventEmitter & ProcessEvents {
  const proc = new EventEmitter() as EventEmitter & ProcessEvents;
  if (options.runtimeListens) {
    // What aws-lambda-ric 3.x installs before it loads the handler.
    proc.on('uncaughtException', () => undefined);
    proc.on('unhandledRejection', () => undefined);
  }
  return proc;
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('an invocation that outlives its deadline', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('ends its span as timed out before the deadline, cuts its open children, and exports at once', () => {
    // Prepare: a 1 s function (margin 100 ms) with a child span left open.
    const { invocations, exporter, calls, provider } = inMemoryInvocations();
    const invocation = invocations.start({}, lambdaContext('r1', 1000));
    const child = provider.getTracer('app').startSpan('fetch', {}, invocation.context);

    // Act: run up to just before the margin, then past it.
    jest.advanceTimersByTime(899);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    jest.advanceTimersByTime(2);

    // Assess
    const spans = exporter.getFinishedSpans();
    const span = spans.find((s) => s.name === 'orders');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.status.message).toMatch(/timed out/);
    expect(span?.attributes).toMatchObject({ 'error.type': 'timeout', 'aws.lambda.timeout_ms': 1000, 'aws.lambda.timeout.remaining_ms': 100 });
    const cut = spans.find((s) => s.name === 'fetch');
    expect(cut?.attributes['aws.lambda.cut_short']).toBe('timeout');
    expect(cut?.status.code).toBe(SpanStatusCode.ERROR);
    expect(cut?.parentSpanContext?.spanId).toBe(span?.spanContext().spanId);
    // The process dies at the deadline anyway: the export may use all of the 100 ms left.
    expect(calls).toEqual(['now 100']);
    child.end();
    expect(exporter.getFinishedSpans()).toHaveLength(2);
  });

  it('ignores the handler\'s late answer: nothing more is recorded or exported', async () => {
    const { invocations, exporter, calls } = inMemoryInvocations();
    const invocation = invocations.start({}, lambdaContext('r1', 1000));
    jest.advanceTimersByTime(1000);
    await invocation.answer({ result: 'late' }, 'after-settle');
    expect(calls).toEqual(['now 100']);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('adapts the margin to the timeout, or takes the one configured', () => {
    const adaptive = inMemoryInvocations();
    adaptive.invocations.start({}, lambdaContext('long', 900_000));
    jest.advanceTimersByTime(900_000 - 501);
    expect(adaptive.calls).toEqual([]);
    jest.advanceTimersByTime(2);
    expect(adaptive.calls).toEqual(['now 500']);

    const configured = inMemoryInvocations({ timeoutMarginMs: 250 });
    configured.invocations.start({}, lambdaContext('r', 3000));
    jest.advanceTimersByTime(3000 - 251);
    expect(configured.calls).toEqual([]);
    jest.advanceTimersByTime(2);
    expect(configured.calls).toEqual(['now 250']);
  });

  it('costs no timer once the invocation answered', async () => {
    const { invocations, calls } = inMemoryInvocations();
    const invocation = invocations.start({}, lambdaContext('r1', 1000));
    expect(jest.getTimerCount()).toBe(1);
    await invocation.answer({ result: 1 }, 'after-settle');
    jest.advanceTimersByTime(2000);
    expect(calls).toEqual(['before r1', 'after r1']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sets no timer when the context cannot tell the remaining time', () => {
    const { invocations } = inMemoryInvocations();
    invocations.start({}, { awsRequestId: 'r1' });
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('a process that crashes during an invocation', () => {
  it('records the exception on the active invocation, cuts its children, and exports blocking', () => {
    const { invocations, exporter, calls, provider } = inMemoryInvocations();
    const proc = fakeProcess({ runtimeListens: false });
    invocations.watchCrashes(proc);
    const invocation = invocations.start({}, lambdaContext('r1', 3000));
    provider.getTracer('app').startSpan('query', {}, invocation.context);

    const failure = new RangeError('boom');
    context.with(invocation.context, () => proc.emit('uncaughtExceptionMonitor', failure, 'uncaughtException'));

    const span = exporter.getFinishedSpans().find((s) => s.name === 'orders');
    expect(span?.attributes['aws.lambda.crashed']).toBe(true);
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span?.events[0].attributes).toMatchObject({ 'exception.type': 'RangeError', 'exception.message': 'boom' });
    expect(exporter.getFinishedSpans().find((s) => s.name === 'query')?.attributes['aws.lambda.cut_short']).toBe('crash');
    expect(calls).toEqual(['blocking 500']);
  });

  it('leaves alone a process that handles its own uncaught exceptions (nodejs24.x)', () => {
    const { invocations, exporter, calls } = inMemoryInvocations();
    const proc = fakeProcess({ runtimeListens: false });
    invocations.watchCrashes(proc);
    proc.on('uncaughtException', () => undefined); // the user's own handler: the process survives
    invocations.start({}, lambdaContext('r1', 3000));
    proc.emit('uncaughtExceptionMonitor', new Error('handled by the user'), 'uncaughtException');
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(calls).toEqual([]);
  });

  it('knows that the 3.x runtime exits on any uncaught exception and unhandled rejection', () => {
    const { invocations, exporter, calls } = inMemoryInvocations();
    const proc = fakeProcess({ runtimeListens: true });
    invocations.watchCrashes(proc);
    proc.on('uncaughtException', () => undefined); // a user listener does not save the process there
    invocations.start({}, lambdaContext('r1', 3000));
    proc.emit('unhandledRejection', 'plain reason', Promise.resolve());
    expect(exporter.getFinishedSpans()[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'plain reason' });
    expect(calls).toEqual(['blocking 500']);
  });

  it('adds no unhandledRejection listener where none was: rejections keep crashing (nodejs24.x)', () => {
    const { invocations } = inMemoryInvocations();
    const proc = fakeProcess({ runtimeListens: false });
    invocations.watchCrashes(proc);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
    expect(proc.listenerCount('uncaughtException')).toBe(0);
  });

  it('still exports what waits in the buffer when no invocation is in flight', () => {
    const { invocations, calls } = inMemoryInvocations();
    const proc = fakeProcess({ runtimeListens: false });
    invocations.watchCrashes(proc);
    proc.emit('uncaughtExceptionMonitor', new Error('between invocations'), 'uncaughtException');
    expect(calls).toEqual(['blocking 500']);
  });
});

describe('two invocations interleaved in one thread (managed instances)', () => {
  it('keep their spans, answers and hand-offs apart', async () => {
    // Prepare: two invocations whose handlers wait on gates, so their steps interleave.
    const { invocations, exporter, calls, provider } = inMemoryInvocations({ initializationType: 'lambda-managed-instances' });
    const tracer = provider.getTracer('app');
    const gates = { a: deferred(), b: deferred() };
    const run = async (id: 'a' | 'b'): Promise<void> => {
      const invocation = invocations.start({}, lambdaContext(id, 3000));
      await context.with(invocation.context, async () => {
        await tracer.startActiveSpan(`work ${id}`, async (span) => {
          await gates[id].promise;
          tracer.startSpan(`step ${id}`).end();
          span.end();
        });
      });
      await invocation.answer({ result: id }, 'after-settle');
    };

    // Act: start a, start b, let b finish first, then a.
    const a = run('a');
    const b = run('b');
    gates.b.resolve();
    await b;
    gates.a.resolve();
    await a;

    // Assess: every child under its own invocation, hand-offs in the order they answered.
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.find((s) => s.name === name);
    const invocationSpans = spans.filter((s) => s.name === 'orders');
    expect(invocationSpans.map((s) => s.attributes['faas.invocation_id'])).toEqual(['b', 'a']);
    expect(invocationSpans.map((s) => s.attributes['faas.coldstart'])).toEqual([false, false]);
    for (const id of ['a', 'b']) {
      const invocation = invocationSpans.find((s) => s.attributes['faas.invocation_id'] === id);
      expect(byName(`work ${id}`)?.parentSpanContext?.spanId).toBe(invocation?.spanContext().spanId);
      expect(byName(`step ${id}`)?.parentSpanContext?.spanId).toBe(byName(`work ${id}`)?.spanContext().spanId);
      expect(byName(`work ${id}`)?.spanContext().traceId).toBe(invocation?.spanContext().traceId);
    }
    expect(calls.filter((c) => c.startsWith('before'))).toEqual(['before b', 'before a']);
  });

  it('crash: the active one gets the exception, the other one is marked as crashed alongside', () => {
    const { invocations, exporter } = inMemoryInvocations();
    const proc = fakeProcess({ runtimeListens: false });
    invocations.watchCrashes(proc);
    const a = invocations.start({}, lambdaContext('a', 3000));
    invocations.start({}, lambdaContext('b', 3000));
    context.with(a.context, () => proc.emit('uncaughtExceptionMonitor', new Error('from a'), 'uncaughtException'));
    const byId = (id: string) => exporter.getFinishedSpans().find((s) => s.attributes['faas.invocation_id'] === id);
    expect(byId('a')?.status.message).toBe('from a');
    expect(byId('a')?.events.map((e) => e.name)).toEqual(['exception']);
    expect(byId('b')?.status.message).toBe('the process crashed while this invocation ran');
    expect(byId('b')?.events).toEqual([]);
    expect(byId('b')?.attributes['aws.lambda.crashed']).toBe(true);
  });

  it('timeout: only the invocation whose deadline came is cut', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const { invocations, exporter, provider } = inMemoryInvocations();
      const short = invocations.start({}, lambdaContext('short', 1000));
      const long = invocations.start({}, lambdaContext('long', 5000));
      provider.getTracer('app').startSpan('long work', {}, long.context);
      provider.getTracer('app').startSpan('short work', {}, short.context);
      jest.advanceTimersByTime(1000);
      expect(exporter.getFinishedSpans().map((s) => s.name).sort()).toEqual(['orders', 'short work']);
      expect(exporter.getFinishedSpans().find((s) => s.name === 'orders')?.attributes['faas.invocation_id']).toBe('short');
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('trace context inside an invocation', () => {
  it('the invocation span is the parent of what the handler starts, and nothing leaks after it', async () => {
    const { invocations, exporter, provider } = inMemoryInvocations();
    const invocation = invocations.start({}, lambdaContext('r1'));
    await context.with(invocation.context, async () => provider.getTracer('app').startSpan('inside').end());
    await invocation.answer({ result: 1 }, 'after-settle');
    expect(trace.getActiveSpan()).toBeUndefined();
    const [inside, span] = exporter.getFinishedSpans();
    expect(inside.parentSpanContext?.spanId).toBe(span.spanContext().spanId);
  });
});

describe('the span budget of an invocation', () => {
  it('exports the first spans, counts the rest on the invocation span, and keeps their context sampled', async () => {
    // Prepare: a budget of 3 spans, a handler that makes 5.
    const { invocations, exporter, provider } = inMemoryInvocations({ maxSpans: 3 });
    const invocation = invocations.start({}, lambdaContext('r1'));
    const tracer = provider.getTracer('app');

    // Act
    const contexts = Array.from({ length: 5 }, (_, n) => {
      const span = tracer.startSpan(`call ${n}`, {}, invocation.context);
      span.end();
      return span.spanContext();
    });
    await invocation.answer({ result: 1 }, 'after-settle');

    // Assess: what goes downstream is sampled whatever the budget; only 3 children are kept.
    expect(contexts.every((c) => c.traceFlags === TraceFlags.SAMPLED)).toBe(true);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['call 0', 'call 1', 'call 2', 'orders']);
    expect(exporter.getFinishedSpans()[3].attributes['lambda_otel.spans_dropped.over_budget']).toBe(2);
  });

  it('counts each invocation on its own budget', async () => {
    const { invocations, exporter, provider } = inMemoryInvocations({ maxSpans: 1 });
    for (const id of ['a', 'b']) {
      const invocation = invocations.start({}, lambdaContext(id));
      provider.getTracer('app').startSpan(`call ${id}`, {}, invocation.context).end();
      await invocation.answer({ result: 1 }, 'after-settle');
    }
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['call a', 'orders', 'call b', 'orders']);
  });
});

describe('the account of dropped spans', () => {
  it('reports each drop once, on the first invocation span that ends after it', async () => {
    const { invocations, exporter, dropped } = inMemoryInvocations();
    dropped.add('export-failed', 3);
    dropped.add('buffer-full', 2);
    for (const id of ['a', 'b']) await invocations.start({}, lambdaContext(id)).answer({ result: 1 }, 'after-settle');
    const [a, b] = exporter.getFinishedSpans();
    expect(a.attributes).toMatchObject({ 'lambda_otel.spans_dropped.export_failed': 3, 'lambda_otel.spans_dropped.buffer_full': 2 });
    expect(a.attributes['lambda_otel.spans_dropped.shutdown']).toBeUndefined();
    expect(Object.keys(b.attributes).filter((key) => key.startsWith('lambda_otel.'))).toEqual([]);
  });
});
