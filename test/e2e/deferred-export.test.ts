/**
 * Issue #13: the `deferred` export mode. The environment is not held after the response just to
 * wait for the backend: the request for an invocation's spans is written once the caller has its
 * answer, and the backend's answer is read in a later invocation, after a freeze. Nothing that was
 * promised is lost: every span arrives, across freezes and at shutdown, and a function invoked
 * rarely still sees its spans right after each invocation.
 */
import { useReceiver, withLayer } from '../helpers/layer';
import { runtimes, type InvokeResult } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

/** What Lambda bills after the response: until the environment froze. */
const heldAfterAnswer = (result: InvokeResult): number => (result.timing.frozenAt ?? Infinity) - (result.timing.responseAt ?? Infinity);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  it('does not hold the environment for a backend 100 ms away, and delivers every span by the end', async () => {
    receiver().setBehaviour({ delayMs: 100 });
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, LAMBDA_OTEL_EXPORT_MODE: 'deferred' };
    const results = await withLayer({ runtime, taskRoot: functionFixture('echo-cjs'), handler: 'index.handler', env }, async (sandbox) => {
      const out: InvokeResult[] = [];
      for (let n = 0; n < 20; n++) out.push(await sandbox.invoke({ n }));
      return out;
    });
    expect(results.every((r) => r.kind === 'success')).toBe(true);
    // after-response mode would hold each environment at least 100 ms, for the backend's answer.
    expect(median(results.map(heldAfterAnswer))).toBeLessThan(50);
    // Every span arrived, by the end of the shutdown phase at the latest, none twice.
    const ids = receiver().spans().map((s) => String(s.attributes['faas.invocation_id']));
    expect(ids.sort()).toEqual(results.map((r) => r.requestId).sort());
    // Batched: fewer requests than invocations when the backend is slower than the invocations come.
    expect(receiver().requests().length).toBeLessThan(20);
  });

  it('lets invocations that come within 100 ms share a request, 8 spans at a time, and delivers every span by the end', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, LAMBDA_OTEL_EXPORT_MODE: 'deferred' };
    let elapsedMs = 0;
    let duringRun = 0;
    const results = await withLayer({ runtime, taskRoot: functionFixture('echo-cjs'), handler: 'index.handler', env }, async (sandbox) => {
      const out: InvokeResult[] = [];
      const started = performance.now();
      for (let n = 0; n < 40; n++) out.push(await sandbox.invoke({ n }));
      elapsedMs = performance.now() - started;
      duringRun = receiver().requests().length;
      return out;
    });
    expect(results.every((r) => r.kind === 'success')).toBe(true);
    // A request leaves once 8 spans wait (one per invocation here) or the oldest is 100 ms old: at
    // most 5 for the spans and one per 100 ms of the run (about 200 ms here), where one per
    // invocation would be 40.
    expect(duringRun).toBeLessThanOrEqual(40 / 8 + Math.ceil(elapsedMs / 100));
    // Whatever still waited when the burst ended left in the shutdown phase: every span, none twice.
    const ids = receiver().spans().map((s) => String(s.attributes['faas.invocation_id']));
    expect(ids.sort()).toEqual(results.map((r) => r.requestId).sort());
  });

  it('auto: defers while invocations come often, and exports right after a rare one', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_LOG_LEVEL: 'debug' };
    await withLayer({ runtime, taskRoot: functionFixture('echo-cjs'), handler: 'index.handler', env }, async (sandbox) => {
      for (let n = 0; n < 6; n++) await sandbox.invoke({ n });
      expect(sandbox.logs()).toContain('export: deferred to the next invocations');
      // A pause longer than 2 s: the next invocation's spans leave before the environment freezes.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const rare = await sandbox.invoke({ n: 6 });
      expect(sandbox.logs()).toContain('export: after each response');
      const delivered = receiver().spans().map((s) => s.attributes['faas.invocation_id']);
      expect(delivered).toContain(rare.requestId);
    });
  });
});
