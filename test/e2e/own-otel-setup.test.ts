/**
 * Issue #10: a function with an OpenTelemetry set-up of its own. It must not crash, its spans must
 * not be duplicated, and the layer says in one line which set-up wins.
 */
import { linkPackages, useReceiver, withLayer } from '../helpers/layer';
import { runtimes } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  it('a function that registers its own tracer provider: one line says the layer\'s stays', async () => {
    const taskRoot = linkPackages(functionFixture('own-otel-setup'), {
      '@opentelemetry/api': '@opentelemetry/api',
      '@opentelemetry/sdk-trace-node': '@opentelemetry/sdk-trace-node',
    });
    const logs = await withLayer({ runtime, taskRoot, handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } }, async (sandbox) => {
      for (let n = 0; n < 2; n++) expect(await sandbox.invoke({})).toMatchObject({ kind: 'success', payload: 'answered' });
      return sandbox.logs();
    });
    const layerLines = logs.split('\n').filter((line) => line.includes('[lambda-otel-preload]'));
    expect(layerLines).toEqual([expect.stringMatching(/WARN the function registered its own OpenTelemetry set-up; the layer's stays registered/)]);
    const spans = await receiver().waitForSpans(4);
    // Through the global API: the layer's, inside the invocation. On its own provider: not ours to export.
    expect(spans.map((s) => s.name).sort()).toEqual(['test-fn', 'test-fn', 'through the global API', 'through the global API']);
    for (const span of spans.filter((s) => s.name === 'through the global API')) {
      expect(spans.find((s) => s.spanId === span.parentSpanId)?.name).toBe('test-fn');
    }
  });

  it('a function with an older @opentelemetry/api of its own: its spans join the invocation', async () => {
    const taskRoot = linkPackages(functionFixture('older-otel-api'), { '@opentelemetry/api': 'otel-api-old' });
    const logs = await withLayer({ runtime, taskRoot, handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } }, async (sandbox) => {
      expect(await sandbox.invoke({})).toMatchObject({ kind: 'success', payload: 'answered' });
      return sandbox.logs();
    });
    expect(logs).not.toContain('[lambda-otel-preload]');
    const spans = await receiver().waitForSpans(2);
    const child = spans.find((s) => s.name === 'with an older api');
    expect(spans.find((s) => s.spanId === child?.parentSpanId)?.name).toBe('test-fn');
  });
});
