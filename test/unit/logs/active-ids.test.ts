import { context, trace } from '@opentelemetry/api';
import { activeIdsSource } from '../../../src/logs/active-ids';
import { inMemoryInvocations, lambdaContext, useContextManager } from '../../helpers/invocations';

useContextManager();

describe('activeIdsSource: the ids a console line gets', () => {
  it('inside an invocation: the invocation span, then a child span the function started', () => {
    const { invocations, provider } = inMemoryInvocations();
    const idsNow = activeIdsSource();
    const invocation = invocations.start({}, lambdaContext('r1'));
    const root = invocation.span.spanContext();
    context.with(invocation.context, () => {
      expect(idsNow()?.text).toBe(`trace_id=${root.traceId} span_id=${root.spanId} trace_flags=01\t`);
      provider.getTracer('app').startActiveSpan('child', (child) => {
        const own = child.spanContext();
        expect(idsNow()?.json).toBe(`,"trace_id":"${root.traceId}","span_id":"${own.spanId}","trace_flags":"01"`);
        child.end();
      });
      expect(idsNow()?.text).toContain(`span_id=${root.spanId} `);
    });
  });

  it('outside any invocation (init), none, even under a span of the function\'s own', () => {
    const { provider } = inMemoryInvocations();
    const idsNow = activeIdsSource();
    expect(idsNow()).toBeUndefined();
    provider.getTracer('app').startActiveSpan('at init', (span) => {
      expect(idsNow()).toBeUndefined();
      span.end();
    });
  });

  it('under an invocation that has ended (a timer it left behind): none, never its stale ids', () => {
    const { invocations } = inMemoryInvocations();
    const idsNow = activeIdsSource();
    const first = invocations.start({}, lambdaContext('r1'));
    void first.answer({ result: 'ok' }, 'after-settle');
    const second = invocations.start({}, lambdaContext('r2'));
    context.with(first.context, () => expect(idsNow()).toBeUndefined());
    context.with(second.context, () => expect(idsNow()?.text).toContain(second.span.spanContext().spanId));
  });

  it('an unsampled invocation: its ids with trace_flags 00', () => {
    const { invocations } = inMemoryInvocations();
    const invocation = invocations.start({}, lambdaContext('r1'));
    const unsampled = trace.wrapSpanContext({ ...invocation.span.spanContext(), traceFlags: 0 });
    context.with(trace.setSpan(invocation.context, unsampled), () => expect(activeIdsSource()()?.text).toMatch(/ trace_flags=00\t$/));
  });
});
