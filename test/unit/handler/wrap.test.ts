import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createDiag } from '../../../src/diag';
import type { UserFunction } from '../../../src/handler/load';
import { HANDLER_STREAMING, wrapHandler } from '../../../src/handler/wrap';
import { InvocationTracer } from '../../../src/invocation/invocation-tracer';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
afterAll(() => context.disable());

const diagLines: string[] = [];
const diag = createDiag('warn', (line) => diagLines.push(line));

function setup(initializationType = 'on-demand') {
  const order: string[] = [];
  const starter = new InvocationTracer({
    tracer: provider.getTracer('test'),
    propagator: new W3CTraceContextPropagator(),
    xrayContext: 'link',
    captureUrlQuery: false,
    traceHeaderFromEnv: () => undefined,
    functionName: 'fn',
    functionVersion: '$LATEST',
    initializationType,
    policy: {
      onFinished: async ({ remainingMs, answersOnEmptyLoop }) => {
        order.push(`flush ${remainingMs}${answersOnEmptyLoop ? ' on empty loop' : ''}`);
      },
      shutdown: async () => {},
    },
  });
  return { starter, order };
}

const lambdaContext = (requestId: string) => ({
  awsRequestId: requestId,
  functionName: 'orders',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders:live',
  getRemainingTimeInMillis: () => 2500,
});

beforeEach(() => {
  exporter.reset();
  diagLines.length = 0;
});

describe('wrapHandler', () => {
  it('passes the promise result through after the span ended and the flush ran', async () => {
    const { starter, order } = setup();
    const handler: UserFunction = async (event) => {
      order.push('handler');
      return { echoed: event };
    };
    const result = await wrapHandler(handler, starter, diag)({ a: 1 }, lambdaContext('r1'));
    order.push('response');
    expect(result).toEqual({ echoed: { a: 1 } });
    expect(order).toEqual(['handler', 'flush 2500', 'response']);
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('orders');
    expect(span.attributes).toMatchObject({
      'faas.invocation_id': 'r1',
      'faas.coldstart': true,
      'cloud.account.id': '123456789012',
      'cloud.resource_id': 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
    });
  });

  it('marks only the first invocation of an on-demand environment as a cold start', async () => {
    const { starter } = setup();
    const wrapped = wrapHandler(async () => 1, starter, diag);
    await wrapped({}, lambdaContext('r1'));
    await wrapped({}, lambdaContext('r2'));
    expect(exporter.getFinishedSpans().map((s) => s.attributes['faas.coldstart'])).toEqual([true, false]);
    const provisioned = wrapHandler(async () => 1, setup('provisioned-concurrency').starter, diag);
    await provisioned({}, lambdaContext('r3'));
    expect(exporter.getFinishedSpans()[2].attributes['faas.coldstart']).toBe(false);
  });

  it('rethrows the very same rejection and records it on the span', async () => {
    const { starter } = setup();
    const failure = new TypeError('bad input');
    const wrapped = wrapHandler(async () => Promise.reject(failure), starter, diag);
    await expect(wrapped({}, lambdaContext('r1'))).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad input' });
    expect(span.events[0].name).toBe('exception');
    expect(span.events[0].attributes?.['exception.type']).toBe('TypeError');
  });

  it('rethrows synchronous throws synchronously', () => {
    const { starter } = setup();
    const failure = new Error('sync');
    const wrapped = wrapHandler(() => {
      throw failure;
    }, starter, diag);
    expect(() => wrapped({}, lambdaContext('r1'))).toThrow(failure);
    expect(exporter.getFinishedSpans()[0].status.code).toBe(SpanStatusCode.ERROR);
  });

  it('serves callback handlers: same arguments, after the flush, and returns what the handler returned', async () => {
    const { starter, order } = setup();
    const handler: UserFunction = (_event, _ctx, callback) => {
      setImmediate(() => (callback as (e: unknown, r: unknown) => void)(null, 'via callback'));
      return undefined;
    };
    const wrapped = wrapHandler(handler, starter, diag);
    expect(wrapped.length).toBe(3);
    const answer = await new Promise((resolve) => {
      const returned = wrapped({}, lambdaContext('r1'), (error: unknown, result: unknown) => {
        order.push('callback');
        resolve({ error, result });
      });
      expect(returned).toBeUndefined();
    });
    expect(answer).toEqual({ error: null, result: 'via callback' });
    expect(order).toEqual(['flush 2500 on empty loop', 'callback']);
  });

  it('tells the policy when a callback answer does not wait for an empty event loop', async () => {
    const { starter, order } = setup();
    const handler: UserFunction = (_event, ctx, callback) => {
      (ctx as { callbackWaitsForEmptyEventLoop: boolean }).callbackWaitsForEmptyEventLoop = false;
      (callback as (e: unknown, r: unknown) => void)(null, 1);
    };
    await new Promise((resolve) => wrapHandler(handler, starter, diag)({}, { ...lambdaContext('r1') }, resolve));
    expect(order).toEqual(['flush 2500']);
  });

  it('makes the invocation span the active span inside the handler', async () => {
    const { starter } = setup();
    let inner: string | undefined;
    await wrapHandler(async () => {
      inner = trace.getActiveSpan()?.spanContext().spanId;
    }, starter, diag)({}, lambdaContext('r1'));
    expect(inner).toBe(exporter.getFinishedSpans()[0].spanContext().spanId);
  });

  it('copies what the runtime inspects: length, name, streaming symbols', () => {
    const { starter } = setup();
    const streaming = async function stream(_e: unknown, _s: unknown, _c: unknown) {};
    Object.assign(streaming, {
      [HANDLER_STREAMING]: 'response',
      [Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark')]: 1024,
    });
    const wrapped = wrapHandler(streaming as UserFunction, starter, diag) as unknown as Record<symbol, unknown>;
    expect(wrapped[HANDLER_STREAMING]).toBe('response');
    expect(wrapped[Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark')]).toBe(1024);
    expect((wrapped as unknown as UserFunction).length).toBe(3);
    expect((wrapped as unknown as UserFunction).name).toBe('stream');
  });

  it('forwards every argument of a streaming handler and reads the context from the third', async () => {
    const { starter } = setup();
    const seen: unknown[] = [];
    const handler = Object.assign(async (...args: unknown[]) => void seen.push(...args), { [HANDLER_STREAMING]: 'response' });
    const stream = { write() {} };
    await wrapHandler(handler as UserFunction, starter, diag)({ e: 1 }, stream, lambdaContext('s1'));
    expect(seen[1]).toBe(stream);
    expect(exporter.getFinishedSpans()[0].attributes['faas.invocation_id']).toBe('s1');
  });

  it('returns a streaming handler\'s non-promise result untouched, so the runtime still rejects it', () => {
    const { starter } = setup();
    const handler = Object.assign(() => 'not a promise', { [HANDLER_STREAMING]: 'response' });
    expect(wrapHandler(handler as UserFunction, starter, diag)({}, {}, lambdaContext('s1'))).toBe('not a promise');
  });

  it('runs the function untraced, with one diagnostic line, when the span cannot start', async () => {
    const broken = { start: () => { throw new Error('our bug'); } };
    const wrapped = wrapHandler(async (event) => event, broken, diag);
    expect(await wrapped('a', {})).toBe('a');
    expect(await wrapped('b', {})).toBe('b');
    expect(diagLines).toEqual([expect.stringContaining('running untraced: Error: our bug')]);
  });
});
