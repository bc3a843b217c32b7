/**
 * Issue 12, compatibility: values that users of the upstream OpenTelemetry Lambda layer set keep
 * their meaning here. `xray-lambda` takes the Lambda X-Ray header as the invocation's parent;
 * `otlp,console` sends every span to both.
 */
import { useReceiver, withLayer } from '../helpers/layer';
import { makeXRayTraceId, runtimes } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  it('OTEL_PROPAGATORS=tracecontext,xray-lambda and OTEL_TRACES_EXPORTER=otlp,console', async () => {
    const xray = makeXRayTraceId(true);
    let logs = '';
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_PROPAGATORS: 'tracecontext,xray-lambda', OTEL_TRACES_EXPORTER: 'otlp,console' };
    await withLayer({ runtime, taskRoot: functionFixture('echo'), handler: 'index.handler', env }, async (sandbox) => {
      expect((await sandbox.invoke({ n: 1 }, { traceId: xray })).kind).toBe('success');
      logs = sandbox.logs();
    });

    const [span] = await receiver().waitForSpans(1);
    const [, epoch, random, parent] = /^Root=1-([0-9a-f]{8})-([0-9a-f]{24});Parent=([0-9a-f]{16})/.exec(xray) ?? [];
    expect({ traceId: span.traceId, parentSpanId: span.parentSpanId }).toEqual({ traceId: epoch + random, parentSpanId: parent });
    // The console exporter printed the same span.
    expect(logs).toContain(span.spanId);
    expect(logs).not.toContain('[lambda-otel-preload] WARN');
  });
});
