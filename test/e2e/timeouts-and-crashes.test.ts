/**
 * Issue #9: the traces people open when something went wrong. A function that runs out of time and
 * one that dies of an uncaught error still deliver their invocation span (and the spans open inside
 * it), on both runtime versions and in every export mode, and the caller sees exactly what it sees
 * without the layer.
 */
import { comparable, linkOtelApi, useReceiver } from '../helpers/layer';
import { LAYER_WRAPPER } from '../helpers/paths';
import { Downstream } from '../helpers/sandbox/downstream';
import type { ReceivedSpan } from '../helpers/sandbox/otlp-receiver';
import { runtimes, Sandbox, type InvokeResult, type SandboxOptions } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

/** What the caller and the platform observe of one invocation, less what differs between runs. */
function observed(result: InvokeResult): Record<string, unknown> {
  const { exitCode, signal } = result as { exitCode?: unknown; signal?: unknown };
  return { ...comparable(result), exitCode, signal, resetAfter: result.resetAfter };
}

/**
 * The function's own log lines (not the layer's), without timestamps, request ids, the trace ids
 * log correlation adds, and stack frames: a stack captured inside the handler passes through the
 * layer's wrapper (and Node keeps ten frames), so frames differ with any wrapper; the messages
 * must not.
 */
function functionLogs(logs: string): string[] {
  return logs
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('[lambda-otel-preload]') && !/^\s+at /.test(line))
    .map((line) =>
      line
        // Frames inside the JSON error objects of the 3.x runtime's log lines.
        .replace(/,"\s+at [^"]*"/g, '')
        .replace(/trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16} trace_flags=[0-9a-f]{2}\t/, '')
        .replace(/,"trace_id":"[0-9a-f]{32}","span_id":"[0-9a-f]{16}","trace_flags":"[0-9a-f]{2}"/, '')
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<request-id>')
        .replace(/\(file:\/\/\/tmp\/[^)]+\)|\/tmp\/lambda-task-[^\s:)]+/g, '<path>'),
    );
}

/** Invokes once in a fresh environment, without and then with the layer. */
async function bareAndTraced(options: SandboxOptions, event: unknown) {
  const run = async (wrapper: string | undefined) => {
    const sandbox = await Sandbox.start({ ...options, wrapper });
    try {
      const result = await sandbox.invoke(event);
      return { result, logs: sandbox.logs() };
    } finally {
      await sandbox.shutdown();
    }
  };
  return { bare: await run(undefined), traced: await run(LAYER_WRAPPER) };
}

function invocationSpan(spans: readonly ReceivedSpan[]): ReceivedSpan {
  const found = spans.find((s) => s.parentSpanId === '' && s.attributes['faas.invocation_id'] !== undefined);
  if (found === undefined) throw new Error(`no invocation span among ${spans.map((s) => s.name).join(', ')}`);
  return found;
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();
  let downstream: Downstream;
  beforeAll(async () => (downstream = await Downstream.start({ status: 200 })));
  afterAll(() => downstream.close());

  describe('a function that runs out of time', () => {
    it.each([
      ['after-response', {}],
      ['sync', {}],
      ['batch', {}],
      ['deferred', {}],
      ['after-response', { delayMs: 2000 }],
    ])('delivers its timed-out invocation span and the cut-short fetch (%s export, receiver %j)', async (mode, behaviour) => {
      // Prepare: a 1 s timeout; the handler waits 3 s on a call that never answers.
      receiver().setBehaviour(behaviour);
      const options: SandboxOptions = {
        runtime,
        taskRoot: functionFixture('runs-out-of-time'),
        handler: 'index.handler',
        timeoutMs: 1000,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, LAMBDA_OTEL_EXPORT_MODE: mode },
      };

      // Act
      const { bare, traced } = await bareAndTraced(options, { url: downstream.url('/hang'), sleepMs: 3000 });

      // Assess: the caller sees the same timeout, and the trace says what happened.
      expect(traced.result.kind).toBe('timeout');
      expect(observed(traced.result)).toEqual(observed(bare.result));
      const spans = await receiver().waitForSpans(2);
      const invocation = invocationSpan(spans);
      expect(invocation.status).toMatchObject({ code: 'ERROR', message: expect.stringMatching(/^timed out/) });
      expect(invocation.attributes).toMatchObject({ 'error.type': 'timeout', 'aws.lambda.timeout_ms': 1000 });
      // Acted 100 ms before the deadline (the margin for a 1 s timeout), give or take the timer's
      // lateness; the deadline is in epoch milliseconds and the timer runs on the monotonic clock,
      // both whole milliseconds, so the timer may also fire when Date.now() reads one early.
      expect(invocation.attributes['aws.lambda.timeout.remaining_ms']).toBeGreaterThan(30);
      expect(invocation.attributes['aws.lambda.timeout.remaining_ms']).toBeLessThanOrEqual(101);
      const fetchSpan = spans.find((s) => s.parentSpanId === invocation.spanId);
      expect(fetchSpan).toMatchObject({ name: 'GET', kind: 'CLIENT', status: { code: 'ERROR' } });
      expect(fetchSpan?.attributes['aws.lambda.cut_short']).toBe('timeout');
    });
  });

  describe('a function whose process dies of an uncaught error', () => {
    it.each(['throw-in-timer', 'unhandled-rejection'])('%s: the span arrives with the exception, the crash is unchanged', async (how) => {
      const options: SandboxOptions = {
        runtime,
        taskRoot: linkOtelApi(functionFixture('crashes')),
        handler: 'index.handler',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url },
      };
      const { bare, traced } = await bareAndTraced(options, { how });

      // The caller, the platform and the logs see the same crash as without the layer.
      expect(observed(traced.result)).toEqual(observed(bare.result));
      expect(functionLogs(traced.logs)).toEqual(functionLogs(bare.logs));
      expect(traced.logs).not.toContain('[lambda-otel-preload]');

      const spans = await receiver().waitForSpans(2);
      const invocation = invocationSpan(spans);
      const message = how === 'throw-in-timer' ? 'timer exploded' : 'nobody awaited me';
      expect(invocation.status).toEqual({ code: 'ERROR', message: expect.stringContaining(message) });
      expect(invocation.attributes['aws.lambda.crashed']).toBe(true);
      expect(invocation.events.map((e) => e.name)).toEqual(['exception']);
      expect(String(invocation.events[0].attributes['exception.message'])).toContain(message);
      const doomed = spans.find((s) => s.name === 'doomed work');
      expect(doomed?.parentSpanId).toBe(invocation.spanId);
      expect(doomed?.attributes['aws.lambda.cut_short']).toBe('crash');
    });

    it('a backend that cannot answer before the process dies: the span waits on disk and leaves at the next start', async () => {
      // The dying process's export hangs (a starved CPU or a slow backend would look the same).
      receiver().setBehaviour({ answers: (n) => (n === 0 ? { hang: true } : {}) });
      const sandbox = await Sandbox.start({
        runtime,
        taskRoot: linkOtelApi(functionFixture('crashes')),
        handler: 'index.handler',
        wrapper: LAYER_WRAPPER,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url },
      });
      try {
        const crashed = await sandbox.invoke({ how: 'throw-in-timer' });
        expect(receiver().spans()).toEqual([]);
        // Lambda starts the runtime again in the same environment (its /tmp kept) for the next invocation.
        const next = await sandbox.invoke({ how: 'none' });
        expect(next.coldStart).toBe(true);
        const spans = await receiver().waitForSpans(4);
        const crashedSpan = spans.find((s) => s.attributes['faas.invocation_id'] === crashed.requestId);
        expect(crashedSpan?.attributes['aws.lambda.crashed']).toBe(true);
        expect(sandbox.logs()).not.toContain('[lambda-otel-preload]');
      } finally {
        await sandbox.shutdown();
      }
    });

    it('keeps the meaning of the function\'s own uncaughtException listener', async () => {
      const options: SandboxOptions = {
        runtime,
        taskRoot: linkOtelApi(functionFixture('crashes')),
        handler: 'index.handler',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url },
      };
      const { bare, traced } = await bareAndTraced(options, { how: 'throw-in-timer', userListener: true });
      expect(observed(traced.result)).toEqual(observed(bare.result));
      expect(functionLogs(traced.logs)).toEqual(functionLogs(bare.logs));
      const spans = await receiver().waitForSpans(2);
      const invocation = invocationSpan(spans);
      if (runtime === 'nodejs24.x') {
        // Node's default applies: the listener saves the process, and the invocation answers.
        expect(traced.result).toMatchObject({ kind: 'success', payload: 'survived' });
        expect(invocation.status.code).toBe('UNSET');
        expect(invocation.attributes['aws.lambda.crashed']).toBeUndefined();
      } else {
        // aws-lambda-ric 3.x posts the error and exits whatever other listeners there are.
        expect(invocation.attributes['aws.lambda.crashed']).toBe(true);
      }
    });
  });
});
