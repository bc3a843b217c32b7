import { context, createContextKey, propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } from '@opentelemetry/core';
import { PLAIN_ROOT_CONTEXT } from '../../../src/propagation/root-context';
import { parentContext } from '../../../src/propagation/extract';
import { detectTrigger } from '../../../src/triggers/detect';
import { loadEvent } from '../../helpers/events';

const KEY = createContextKey('test key');
const OTHER = createContextKey('other key');

/**
 * What makes a context cheap for the garbage collector: no function of its own. The API's
 * BaseContext stores three closures on every instance (see src/propagation/root-context.ts).
 */
function ownFunctions(ctx: Context): string[] {
  return Object.entries(ctx).filter(([, value]) => typeof value === 'function').map(([name]) => name);
}

describe('PLAIN_ROOT_CONTEXT', () => {
  it('is an immutable map like ROOT_CONTEXT: setValue and deleteValue return new contexts', () => {
    const one = PLAIN_ROOT_CONTEXT.setValue(KEY, 1);
    const two = one.setValue(OTHER, 2);
    const gone = two.deleteValue(KEY);
    expect(PLAIN_ROOT_CONTEXT.getValue(KEY)).toBeUndefined();
    expect(one.getValue(KEY)).toBe(1);
    expect(one.getValue(OTHER)).toBeUndefined();
    expect([two.getValue(KEY), two.getValue(OTHER)]).toEqual([1, 2]);
    expect([gone.getValue(KEY), gone.getValue(OTHER)]).toEqual([undefined, 2]);
    // The same operations on the API's root give the same values.
    const api = ROOT_CONTEXT.setValue(KEY, 1).setValue(OTHER, 2).deleteValue(KEY);
    expect([api.getValue(KEY), api.getValue(OTHER)]).toEqual([gone.getValue(KEY), gone.getValue(OTHER)]);
  });

  it('passes its kind on to every context derived from it, each without functions of its own', () => {
    const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 });
    const derived = [PLAIN_ROOT_CONTEXT, trace.setSpan(PLAIN_ROOT_CONTEXT, span), propagation.setBaggage(PLAIN_ROOT_CONTEXT, propagation.createBaggage())];
    for (const ctx of derived) expect(ownFunctions(ctx)).toEqual([]);
    expect(trace.getSpan(derived[1])).toBe(span);
    // What the test above guards against.
    expect(ownFunctions(ROOT_CONTEXT.setValue(KEY, 1))).toEqual(['getValue', 'setValue', 'deleteValue']);
  });

  it('is where every invocation context starts, with or without a parent in the event', () => {
    const w3c = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
    for (const event of ['api-gateway-v2', 'sqs', 's3-put']) {
      const { parent } = parentContext(detectTrigger(loadEvent(event), { captureQuery: false }), undefined, w3c, 'parent');
      expect(ownFunctions(parent)).toEqual([]);
    }
  });

  it('works as the active context of a context manager', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const ctx = PLAIN_ROOT_CONTEXT.setValue(KEY, 'active');
      expect(context.with(ctx, () => context.active().getValue(KEY))).toBe('active');
    } finally {
      context.disable();
    }
  });
});
