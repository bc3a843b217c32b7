/**
 * Lambda Managed Instances: the nodejs24.x runtime client runs invocations concurrently in worker
 * threads, each of which runs the preload again with the environment the main thread's preload
 * left. The function must answer exactly as without the layer, and every invocation's spans must
 * arrive, each child under its own invocation, by the end of the shutdown phase.
 */
import { Sandbox, type InvokeResult } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { LAYER_WRAPPER, linkOtelApi, useReceiver } from '../helpers/layer';

async function invokeAll(sandbox: Sandbox, invocations: number, inFlight: number): Promise<InvokeResult[]> {
  // Init ends with the first worker's /next; on a busy machine the second may still be loading.
  await sandbox.api.until(() => sandbox.api.runtimeWaitingCount >= 2, 10_000, 'both workers to poll');
  const results: InvokeResult[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < invocations) {
      const n = next++;
      results[n] = await sandbox.invoke({ n, sleepMs: 30 });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return results;
}

/** What the caller sees, less what differs between any two runs (request ids, threads). */
function answers(results: readonly InvokeResult[]): unknown[] {
  return results.map((result) => {
    if (result.kind !== 'success') return result.kind;
    const { n, handlerEnv } = result.payload as { n: number; handlerEnv: string };
    return { n, handlerEnv };
  });
}

describe('nodejs24.x on Lambda Managed Instances', () => {
  const receiver = useReceiver();

  it.each([
    [24, 8, {}],
    // Default settings: each worker makes more spans than the buffer holds (2048) within one 5 s
    // tick, so batches must also leave as soon as 512 spans wait.
    [3000, 64, {}],
  ])('%i invocations, %i in flight: answers as without the layer, every span delivered under its own parent', async (invocations, inFlight, extraEnv) => {
    const taskRoot = linkOtelApi(functionFixture('concurrent'));
    const options = { runtime: 'nodejs24.x', taskRoot, handler: 'index.handler', maxConcurrency: inFlight, workerCount: 2 } as const;

    const bare = await Sandbox.start(options);
    const expected = answers(await invokeAll(bare, invocations, inFlight).finally(() => bare.shutdown()));
    expect(expected).toEqual(Array.from({ length: invocations }, (_, n) => ({ n, handlerEnv: 'index.handler' })));

    const traced = await Sandbox.start({ ...options, wrapper: LAYER_WRAPPER, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, ...extraEnv } });
    const results = await invokeAll(traced, invocations, inFlight).finally(() => traced.shutdown());
    expect(answers(results)).toEqual(expected);
    expect(new Set(results.map((r) => (r.kind === 'success' ? (r.payload as { threadId: number }).threadId : 0))).size).toBe(2);

    // Every span has arrived once shutdown() returned (SIGTERM, then SIGKILL 500 ms later).
    const spans = receiver().spans();
    const invocationSpans = spans.filter((s) => s.name === 'test-fn');
    expect(invocationSpans.map((s) => s.attributes['faas.invocation_id']).sort()).toEqual(results.map((r) => r.requestId).sort());
    const byParent = new Map<string, string[]>();
    for (const span of spans) byParent.set(span.parentSpanId, [...(byParent.get(span.parentSpanId) ?? []), span.name]);
    const byRequest = new Map(results.map((r, n) => [r.requestId, n]));
    for (const invocation of invocationSpans) {
      expect(invocation.attributes['faas.coldstart']).toBe(false);
      expect(byParent.get(invocation.spanId)).toEqual(['work']);
      const work = spans.find((s) => s.parentSpanId === invocation.spanId);
      // The child's own record of which invocation it ran in matches its parent's.
      expect(work?.attributes['work.n']).toBe(byRequest.get(String(invocation.attributes['faas.invocation_id'])));
    }
  });
});

describe('nodejs24.x on Lambda Managed Instances, more workers than libuv has pool threads', () => {
  const receiver = useReceiver();

  it('exports to an endpoint named by host name while every pool thread holds a /next poll', async () => {
    // Six workers: four park their /next in libuv's four pool threads, where getaddrinfo would wait.
    const sandbox = await Sandbox.start({
      runtime: 'nodejs24.x',
      taskRoot: linkOtelApi(functionFixture('concurrent')),
      handler: 'index.handler',
      wrapper: LAYER_WRAPPER,
      maxConcurrency: 8,
      workerCount: 6,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://localhost:${receiver().port}`, OTEL_BSP_SCHEDULE_DELAY: '300' },
    });
    const results = await (async () => {
      await sandbox.api.until(() => sandbox.api.runtimeWaitingCount >= 4, 10_000, 'the pool to fill with polls');
      return Promise.all(Array.from({ length: 8 }, (_, n) => sandbox.invoke({ n, sleepMs: 10 })));
    })().finally(() => sandbox.shutdown());
    expect(results.map((r) => r.kind)).toEqual(Array(8).fill('success'));
    const delivered = receiver().spans().filter((s) => s.name === 'test-fn').map((s) => s.attributes['faas.invocation_id']);
    expect(delivered.sort()).toEqual(results.map((r) => r.requestId).sort());
    expect(sandbox.logs()).not.toContain('[lambda-otel-preload]');
  });
});
