/**
 * Issue #3: spans leave after the caller has its answer, inside the runtime process, through the
 * internal-extension window, and nothing the export does changes when or what the function answers.
 */
import { runtimes, Sandbox } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { LAYER_WRAPPER, linkOtelApi, useReceiver, withLayer as run } from '../helpers/layer';

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  it('registers as an internal extension and exports only after the caller has its answer', async () => {
    receiver().setBehaviour({ delayMs: 50 });
    await run({ runtime, taskRoot: functionFixture('echo-cjs'), handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } }, async (sandbox) => {
      expect(sandbox.extensions.map((e) => ({ name: e.name, events: e.events }))).toEqual([
        { name: 'lambda-otel-preload', events: ['INVOKE'] },
      ]);
      for (let n = 0; n < 3; n++) {
        const result = await sandbox.invoke({ n });
        const request = (await receiver().waitForRequests(n + 1)).at(-1);
        const { responseAt, frozenAt } = result.timing;
        expect(result.kind).toBe('success');
        // The receiver sees the spans only after the response arrived: the caller never waited for
        // the backend...
        expect(request?.startedAt).toBeGreaterThanOrEqual(responseAt ?? Infinity);
        // ...and the environment freezes only after the backend answered (50 ms later).
        expect(frozenAt).toBeGreaterThanOrEqual((request?.receivedAt ?? Infinity) + 45);
      }
    });
  });

  it('in sync mode exports before the answer instead', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, LAMBDA_OTEL_EXPORT_MODE: 'sync' };
    await run({ runtime, taskRoot: functionFixture('echo-cjs'), handler: 'index.handler', env }, async (sandbox) => {
      const result = await sandbox.invoke({});
      const [request] = await receiver().waitForRequests(1);
      expect(request.receivedAt).toBeLessThanOrEqual(result.timing.responseAt ?? -Infinity);
      expect(sandbox.extensions).toHaveLength(0);
    });
  });

  it('loses no span over 100 invocations with freezes in between', async () => {
    const requestIds = await run(
      { runtime, taskRoot: functionFixture('echo-cjs'), handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } },
      async (sandbox) => {
        const ids: string[] = [];
        for (let n = 0; n < 100; n++) {
          const result = await sandbox.invoke({ n });
          expect(result.timing.frozenAt).toBeDefined();
          ids.push(result.requestId);
        }
        return ids;
      },
    );
    const spans = await receiver().waitForSpans(100);
    expect(spans.map((s) => s.attributes['faas.invocation_id']).sort()).toEqual([...requestIds].sort());
  });

  it('flushes spans still open at the freeze when SIGTERM comes, and the function\'s own SIGTERM listener runs', async () => {
    const taskRoot = linkOtelApi(functionFixture('flushes-at-sigterm'));
    const sandbox = await Sandbox.start({ runtime, taskRoot, handler: 'index.handler', wrapper: LAYER_WRAPPER, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } });
    expect((await sandbox.invoke({})).kind).toBe('success');
    await receiver().waitForSpans(1);
    // The environment sits frozen past the timer's due time, as it would before a shutdown.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const shutdown = await sandbox.shutdown();
    expect(shutdown.sigtermSent).toBe(true);
    const names = (await receiver().waitForSpans(3, 2000)).map((s) => s.name).sort();
    expect(names).toEqual(['late-background-work', 'test-fn', 'user-sigterm-listener']);
    expect(sandbox.logs()).toContain('user listener ran');
  });

  it('reconnects when the kept-alive connection to the backend died during a freeze', async () => {
    await run({ runtime, taskRoot: functionFixture('echo-cjs'), handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } }, async (sandbox) => {
      for (let n = 0; n < 3; n++) {
        expect((await sandbox.invoke({ n })).kind).toBe('success');
        await receiver().waitForSpans(n + 1);
        // The function is frozen now; the backend drops the idle connection, as one does after a long pause.
        receiver().dropIdleConnections();
      }
      expect(sandbox.logs()).not.toContain('[lambda-otel-preload]');
    });
    expect(receiver().spans()).toHaveLength(3);
  });
});

describe('nodejs22.x callback handlers', () => {
  const receiver = useReceiver();

  it.each([
    ['answers at once', {}, 0],
    ['waits for its pending timer, as without the layer', { PENDING_TIMER_MS: '150' }, 150],
  ])('a callback handler that %s still answers', async (_name, fixtureEnv, minimumMs) => {
    const taskRoot = functionFixture('callback-answers-done');
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, ...fixtureEnv };
    const timings = await run({ runtime: 'nodejs22.x', taskRoot, handler: 'index.handler', env }, async (sandbox) => {
      const results = [await sandbox.invoke({}), await sandbox.invoke({})];
      for (const result of results) expect(result).toMatchObject({ kind: 'success', payload: { done: true } });
      return results.map((r) => (r.timing.responseAt ?? Infinity) - r.timing.invokeStart);
    });
    for (const ms of timings) {
      expect(ms).toBeGreaterThanOrEqual(minimumMs);
      expect(ms).toBeLessThan(minimumMs + 400);
    }
  });
});
