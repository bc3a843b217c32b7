/**
 * Lambda Managed Instances: the nodejs24.x runtime client runs invocations concurrently in worker
 * threads, each of which runs the preload again with the environment the main thread's preload
 * left. The function must answer exactly as without the layer, and every invocation's spans must
 * arrive, each child under its own invocation, by the end of the shutdown phase.
 */
import { Sandbox, type InvokeResult } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { LAYER_WRAPPER, linkOtelApi, useReceiver } from '../helpers/layer';

const INVOCATIONS = 24;
const IN_FLIGHT = 8;

async function invokeAll(sandbox: Sandbox): Promise<InvokeResult[]> {
  // Init ends with the first worker's /next; on a busy machine the second may still be loading.
  await sandbox.api.until(() => sandbox.api.runtimeWaitingCount >= 2, 10_000, 'both workers to poll');
  const results: InvokeResult[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < INVOCATIONS) {
      const n = next++;
      results[n] = await sandbox.invoke({ n, sleepMs: 30 });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
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

  it('answers as without the layer and delivers every invocation, children under their own parent', async () => {
    const taskRoot = linkOtelApi(functionFixture('concurrent'));
    const options = { runtime: 'nodejs24.x', taskRoot, handler: 'index.handler', maxConcurrency: IN_FLIGHT, workerCount: 2 } as const;

    const bare = await Sandbox.start(options);
    const expected = answers(await invokeAll(bare).finally(() => bare.shutdown()));
    expect(expected).toEqual(Array.from({ length: INVOCATIONS }, (_, n) => ({ n, handlerEnv: 'index.handler' })));

    const traced = await Sandbox.start({ ...options, wrapper: LAYER_WRAPPER, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } });
    const results = await invokeAll(traced).finally(() => traced.shutdown());
    expect(answers(results)).toEqual(expected);
    expect(new Set(results.map((r) => (r.kind === 'success' ? (r.payload as { threadId: number }).threadId : 0))).size).toBe(2);

    // Every span has arrived once shutdown() returned (SIGTERM, then SIGKILL 500 ms later).
    const spans = receiver().spans();
    const invocations = spans.filter((s) => s.name === 'test-fn');
    expect(invocations.map((s) => s.attributes['faas.invocation_id']).sort()).toEqual(results.map((r) => r.requestId).sort());
    for (const invocation of invocations) {
      expect(invocation.attributes['faas.coldstart']).toBe(false);
      const children = spans.filter((s) => s.parentSpanId === invocation.spanId);
      expect(children.map((s) => s.name)).toEqual(['work']);
      const n = children[0].attributes['work.n'];
      const result = results[Number(n)];
      expect(result.requestId).toBe(invocation.attributes['faas.invocation_id']);
    }
  });
});
