import { SpanStatusCode, trace } from '@opentelemetry/api';
import { createDiag } from '../../../src/diag';
import type { UserFunction } from '../../../src/handler/load';
import { HANDLER_STREAMING, wrapHandler } from '../../../src/handler/wrap';
import { immediates, inMemoryInvocations, lambdaContext, useContextManager } from '../../helpers/invocations';

useContextManager();

const diagLines: string[] = [];
const diag = createDiag('warn', (line) => diagLines.push(line));
beforeEach(() => (diagLines.length = 0));

function setup(initializationType = 'on-demand', policyWaits = false) {
  const { invocations, exporter, calls } = inMemoryInvocations({ initializationType, policyWaits });
  return { starter: invocations, exporter, order: calls };
}

describe('wrapHandler', () => {
  it('passes the promise result through after the span ended, and tells the policy before and after the answer', async () => {
    const { starter, order, exporter } = setup();
    const handler: UserFunction = async (event) => {
      order.push('handler');
      return { echoed: event };
    };
    const result = await wrapHandler(handler, starter, diag)({ a: 1 }, lambdaContext('r1'));
    order.push('response');
    expect(result).toEqual({ echoed: { a: 1 } });
    expect(order).toEqual(['handler', 'before r1', 'response']);
    // The runtime posts one setImmediate after the handler settled; the policy hears of it after that.
    await immediates(2);
    expect(order).toEqual(['handler', 'before r1', 'response', 'after r1']);
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
    const { starter, exporter } = setup();
    const wrapped = wrapHandler(async () => 1, starter, diag);
    await wrapped({}, lambdaContext('r1'));
    await wrapped({}, lambdaContext('r2'));
    expect(exporter.getFinishedSpans().map((s) => s.attributes['faas.coldstart'])).toEqual([true, false]);
    const provisioned = setup('provisioned-concurrency');
    await wrapHandler(async () => 1, provisioned.starter, diag)({}, lambdaContext('r3'));
    expect(provisioned.exporter.getFinishedSpans()[0].attributes['faas.coldstart']).toBe(false);
  });

  it('rethrows the very same rejection and records it on the span', async () => {
    const { starter, exporter } = setup();
    const failure = new TypeError('bad input');
    const wrapped = wrapHandler(async () => Promise.reject(failure), starter, diag);
    await expect(wrapped({}, lambdaContext('r1'))).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad input' });
    expect(span.events[0].name).toBe('exception');
    expect(span.events[0].attributes?.['exception.type']).toBe('TypeError');
  });

  it('rethrows synchronous throws synchronously', () => {
    const { starter, exporter } = setup();
    const failure = new Error('sync');
    const wrapped = wrapHandler(() => {
      throw failure;
    }, starter, diag);
    expect(() => wrapped({}, lambdaContext('r1'))).toThrow(failure);
    expect(exporter.getFinishedSpans()[0].status.code).toBe(SpanStatusCode.ERROR);
  });

  it('serves callback handlers: same arguments, after the policy, and returns what the handler returned', async () => {
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
    expect(order).toEqual(['before r1', 'callback']);
    // With callbackWaitsForEmptyEventLoop (the default) the 3.x runtime answers from `beforeExit`.
    await immediates(3);
    expect(order).toEqual(['before r1', 'callback']);
    process.emit('beforeExit', 0);
    expect(order).toEqual(['before r1', 'callback', 'after r1']);
  });

  it('tells the policy at once when a callback answer does not wait for an empty event loop', async () => {
    const { starter, order } = setup();
    const handler: UserFunction = (_event, ctx, callback) => {
      (ctx as { callbackWaitsForEmptyEventLoop: boolean }).callbackWaitsForEmptyEventLoop = false;
      (callback as (e: unknown, r: unknown) => void)(null, 1);
    };
    await new Promise((resolve) => wrapHandler(handler, starter, diag)({}, { ...lambdaContext('r1') }, resolve));
    await immediates(2);
    expect(order).toEqual(['before r1', 'after r1']);
  });

  it.each([false, true])('passes every callback call on, in order, and ends the span once (policy waits: %s)', async (policyWaits) => {
    const { starter, exporter } = setup('on-demand', policyWaits);
    const answers: unknown[] = [];
    const handler: UserFunction = (_event, _ctx, callback) => {
      (callback as (e: unknown, r: unknown) => void)(null, 'first');
      (callback as (e: unknown, r: unknown) => void)(null, 'second');
    };
    wrapHandler(handler, starter, diag)({}, lambdaContext('r1'), (_error: unknown, result: unknown) => answers.push(result));
    // Without a policy to wait for, the answer goes out in the same turn, as without the layer.
    expect(answers).toEqual(policyWaits ? [] : ['first', 'second']);
    await immediates(1);
    expect(answers).toEqual(['first', 'second']);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('lets a throw of the runtime\'s own completion reach the runtime (3.x context.fail)', async () => {
    const failure = new Error('the runtime could not format the error');
    const throwingFail = () => {
      throw failure;
    };
    for (const policyWaits of [false, true]) {
      const { starter } = setup('on-demand', policyWaits);
      const context = { ...lambdaContext('r1'), fail: throwingFail, succeed: () => undefined, done: () => undefined };
      let wrappedFail: (error: unknown) => unknown = () => undefined;
      const handler: UserFunction = (_event, ctx) => {
        wrappedFail = (ctx as { fail: (error: unknown) => unknown }).fail;
        return undefined;
      };
      wrapHandler(handler, starter, diag)({}, context, () => undefined);
      if (policyWaits) await expect(wrappedFail('boom')).rejects.toBe(failure);
      else expect(() => wrappedFail('boom')).toThrow(failure);
    }
  });

  it('makes the invocation span the active span inside the handler', async () => {
    const { starter, exporter } = setup();
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
    const { starter, exporter } = setup();
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
    const broken = {
      start: () => {
        throw new Error('our bug');
      },
    };
    const wrapped = wrapHandler(async (event) => event, broken, diag);
    expect(await wrapped('a', {})).toBe('a');
    expect(await wrapped('b', {})).toBe('b');
    expect(diagLines).toEqual([expect.stringContaining('running untraced: Error: our bug')]);
  });
});
