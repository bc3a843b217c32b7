/**
 * Issue #2's promises, end to end in the sandbox: one trace per invocation with the handler's own
 * spans inside it, nothing lost across freezes, the standard toggles, and a backend that is dead
 * or hanging costing the function nothing but a bounded wait.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimes } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { comparable, linkOtelApi, useReceiver, withLayer } from '../helpers/layer';
import { PROJECT_NODE_MODULES, PROJECT_ROOT } from '../helpers/paths';
import { LAYER_NAME } from '../../src/layer-files';

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  it('puts the handler\'s own spans inside the invocation span, one trace per invocation', async () => {
    const taskRoot = linkOtelApi(functionFixture('own-spans'));
    await withLayer({ runtime, taskRoot, handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } }, async (sandbox) => {
      expect((await sandbox.invoke({ n: 1 })).kind).toBe('success');
      expect((await sandbox.invoke({ n: 2 })).kind).toBe('success');
    });
    const spans = await receiver().waitForSpans(6);
    const invocations = spans.filter((s) => s.name === 'test-fn');
    expect(invocations).toHaveLength(2);
    expect(new Set(invocations.map((s) => s.traceId)).size).toBe(2);
    for (const invocation of invocations) {
      const load = spans.find((s) => s.name === 'load-order' && s.traceId === invocation.traceId);
      const parse = spans.find((s) => s.name === 'parse-order' && s.traceId === invocation.traceId);
      expect(invocation.parentSpanId).toBe('');
      expect(load?.parentSpanId).toBe(invocation.spanId);
      expect(parse?.parentSpanId).toBe(load?.spanId);
    }
  });

  it.each(['after-response', 'sync'])('%s export: no span lost across freezes, cold start on the first only', async (mode) => {
    const taskRoot = functionFixture('echo-cjs');
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, LAMBDA_OTEL_EXPORT_MODE: mode };
    const requestIds: string[] = [];
    await withLayer({ runtime, taskRoot, handler: 'index.handler', env }, async (sandbox) => {
      for (let n = 0; n < 10; n++) {
        const result = await sandbox.invoke({ n });
        expect(result.kind).toBe('success');
        expect(result.timing.frozenAt).toBeDefined();
        requestIds.push(result.requestId);
      }
    });
    const spans = await receiver().waitForSpans(10);
    expect(spans.map((s) => s.attributes['faas.invocation_id'])).toEqual(requestIds);
    expect(spans.map((s) => s.attributes['faas.coldstart'])).toEqual([true, ...Array(9).fill(false)]);
  });

  it('carries the function\'s facts on the resource and the invocation\'s on the span', async () => {
    const taskRoot = functionFixture('echo-cjs');
    let arn = '';
    let requestId = '';
    await withLayer(
      {
        runtime,
        taskRoot,
        handler: 'index.handler',
        functionName: 'orders',
        memoryMb: 256,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_RESOURCE_ATTRIBUTES: 'team=payments,deployment.environment.name=prod' },
      },
      async (sandbox) => {
        requestId = (await sandbox.invoke({})).requestId;
        arn = sandbox.functionArn;
        expect(sandbox.environment().AWS_LAMBDA_LOG_STREAM_NAME).toBeTruthy();
      },
    );
    const [span] = await receiver().waitForSpans(1);
    const account = arn.split(':')[4];
    expect(span.kind).toBe('SERVER');
    expect(span.attributes).toMatchObject({
      'faas.invocation_id': requestId,
      'faas.coldstart': true,
      'cloud.account.id': account,
      'cloud.resource_id': `arn:aws:lambda:us-east-1:${account}:function:orders`,
      'faas.trigger': 'other',
    });
    expect(span.resource).toMatchObject({
      'service.name': 'orders',
      team: 'payments',
      'deployment.environment.name': 'prod',
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
      'cloud.region': 'us-east-1',
      'faas.name': 'orders',
      'faas.version': '$LATEST',
      'faas.max_memory': 256 * 1024 * 1024,
      'aws.log.group.names': ['/aws/lambda/orders'],
      // The SDK that made the spans, and this layer as its distribution.
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': packageVersion(join(PROJECT_NODE_MODULES, '@opentelemetry', 'sdk-trace-base')),
      'telemetry.distro.name': LAYER_NAME,
      'telemetry.distro.version': packageVersion(PROJECT_ROOT),
    });
    expect(typeof span.resource['faas.instance']).toBe('string');
  });

  it('honours OTEL_SERVICE_NAME, http/json, gzip and headers', async () => {
    const taskRoot = functionFixture('echo-cjs');
    const env = {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver().tracesUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/never-used',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret%20value',
      OTEL_SERVICE_NAME: 'checkout',
    };
    await withLayer({ runtime, taskRoot, handler: 'index.handler', env }, (sandbox) => sandbox.invoke({}));
    const [span] = await receiver().waitForSpans(1);
    expect(span.resource['service.name']).toBe('checkout');
    const [request] = receiver().requests();
    expect(request.contentType).toBe('application/json');
    expect(request.contentEncoding).toBe('gzip');
    expect(request.headers['x-api-key']).toBe('s3cret value');
  });

  it('with OTEL_TRACES_EXPORTER=console prints the spans instead', async () => {
    const taskRoot = functionFixture('echo-cjs');
    const logs = await withLayer(
      { runtime, taskRoot, handler: 'index.handler', env: { OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } },
      async (sandbox) => {
        await sandbox.invoke({});
        return sandbox.logs();
      },
    );
    expect(logs).toContain("name: 'test-fn'");
    expect(logs).toContain('faas.invocation_id');
    expect(receiver().requests()).toHaveLength(0);
  });

  it('with OTEL_SDK_DISABLED=true exports nothing and answers the same', async () => {
    const taskRoot = functionFixture('echo-cjs');
    const result = await withLayer(
      { runtime, taskRoot, handler: 'index.handler', env: { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } },
      async (sandbox) => {
        const answer = await sandbox.invoke({ a: 1 });
        expect(sandbox.extensions).toHaveLength(0);
        return answer;
      },
    );
    expect(comparable(result)).toMatchObject({ kind: 'success', payload: { echo: { a: 1 } } });
    expect(receiver().requests()).toHaveLength(0);
  });

  it('reports a malformed setting in one line naming it, and still traces', async () => {
    const taskRoot = functionFixture('echo-cjs');
    const logs = await withLayer(
      {
        runtime,
        taskRoot,
        handler: 'index.handler',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_TRACES_SAMPLER: 'sometimes', OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' },
      },
      async (sandbox) => {
        expect((await sandbox.invoke({})).kind).toBe('success');
        return sandbox.logs();
      },
    );
    const ours = logs.split('\n').filter((line) => line.includes('[lambda-otel-preload]'));
    expect(ours).toEqual([
      expect.stringContaining('OTEL_EXPORTER_OTLP_TIMEOUT="soon" is not a positive number of milliseconds (at most 900000); using 10000 ms'),
      expect.stringContaining('OTEL_TRACES_SAMPLER="sometimes" is not one of'),
    ]);
    await receiver().waitForSpans(1);
  });

  it.each(['sync', 'after-response'])('%s export: a dead endpoint costs at most the bound, and says so once', async (mode) => {
    const taskRoot = functionFixture('echo-cjs');
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', // the discard port: nothing listens
      LAMBDA_OTEL_EXPORT_MODE: mode,
    };
    await withLayer({ runtime, taskRoot, handler: 'index.handler', env }, async (sandbox) => {
      for (let n = 0; n < 5; n++) {
        const result = await sandbox.invoke({ n });
        expect(comparable(result)).toMatchObject({ kind: 'success', payload: { echo: { n } } });
        // The first export retries the connection within the 500 ms bound; the next ones skip
        // the backend for 2 s.
        expect((result.timing.frozenAt ?? Infinity) - result.timing.invokeStart).toBeLessThan(n === 0 ? 500 + 300 : 150);
      }
      const lines = sandbox.logs().split('\n').filter((line) => line.includes('[lambda-otel-preload]'));
      expect(lines).toEqual([expect.stringContaining('export to http://127.0.0.1:9/v1/traces failed (ECONNREFUSED)')]);
    });
  });

  it.each(['sync', 'after-response'])('%s export: a hanging backend holds an invocation no longer than the flush bound', async (mode) => {
    receiver().setBehaviour({ hang: true });
    const taskRoot = functionFixture('echo-cjs');
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, LAMBDA_OTEL_EXPORT_MODE: mode, LAMBDA_OTEL_FLUSH_TIMEOUT_MS: '200' };
    await withLayer({ runtime, taskRoot, handler: 'index.handler', env }, async (sandbox) => {
      const first = await sandbox.invoke({ n: 1 });
      expect(first.kind).toBe('success');
      const billed = (first.timing.frozenAt ?? Infinity) - first.timing.invokeStart;
      expect(billed).toBeGreaterThanOrEqual(200);
      expect(billed).toBeLessThan(600);
      // Backing off: the next invocation does not pay the bound again.
      const second = await sandbox.invoke({ n: 2 });
      expect((second.timing.frozenAt ?? Infinity) - second.timing.invokeStart).toBeLessThan(150);
    });
  });
});
