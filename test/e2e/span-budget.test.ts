/**
 * Issue #10: a span budget per invocation. A handler that makes 100 000 spans keeps the first
 * `LAMBDA_OTEL_MAX_SPANS_PER_INVOCATION`, and the count of the others reaches the user on its
 * invocation span; memory does not grow with the number of spans.
 */
import { linkOtelApi, useReceiver, withLayer } from '../helpers/layer';
import { runtimes } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

const MB = 1024 * 1024;

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  it('keeps the budget, counts what it dropped, and holds memory flat', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, LAMBDA_OTEL_MAX_SPANS_PER_INVOCATION: '500' };
    const memory = await withLayer({ runtime, taskRoot: linkOtelApi(functionFixture('many-spans')), handler: 'index.handler', env, timeoutMs: 60_000, memoryMb: 512 }, async (sandbox) => {
      const small = await sandbox.invoke({ spans: 1000 });
      const large = await sandbox.invoke({ spans: 100_000 });
      expect([small.kind, large.kind]).toEqual(['success', 'success']);
      const heap = (r: typeof small) => (r.kind === 'success' ? (r.payload as { heapUsed: number }).heapUsed : NaN);
      return { small: heap(small), large: heap(large) };
    });
    const spans = await receiver().waitForSpans(1002, 10_000);
    const invocations = spans.filter((s) => s.name === 'test-fn');
    expect(invocations.map((s) => s.attributes['lambda_otel.spans_dropped.over_budget'])).toEqual([500, 99_500]);
    expect(spans.filter((s) => s.name === 'call')).toHaveLength(1000);
    // 100 times the spans, about the same heap: nothing is held per dropped span (margin for GC timing).
    expect(memory.large - memory.small).toBeLessThan(20 * MB);
  });
});
