/**
 * Issue #10, "Handlers" and "Events and results": functions that throw what is not an Error, answer
 * twice, mutate their context, replace `console`, exit the process, get huge, deep or non-UTF-8
 * events, or return what cannot be serialised. The caller and the platform must see exactly what
 * they see without the layer; the layer must never throw first, nor print a line.
 */
import { comparable, useReceiver } from '../helpers/layer';
import { LAYER_WRAPPER } from '../helpers/paths';
import { runtimes, Sandbox, type InvokeResult, type RuntimeName } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

/** What the caller and the platform observe of one invocation, less what differs between runs. */
function observed(result: InvokeResult): Record<string, unknown> {
  const { exitCode, signal } = result as { exitCode?: unknown; signal?: unknown };
  return { ...comparable(result), exitCode, signal, resetAfter: result.resetAfter };
}

const CASES = [
  'throw-string',
  'throw-null',
  'throw-undefined',
  'throw-hostile-object',
  'mutate-context',
  'replace-console',
  'exit-0',
  'exit-3',
  'circular-result',
  'bigint-result',
  'hostile-result',
] as const;

/** 10 000 levels of `{"a":…}`. */
function deeplyNested(): Buffer {
  const depth = 10_000;
  return Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

const EVENTS: readonly (readonly [string, unknown])[] = [
  ['a 6 MB event', { case: 'echo', blob: 'x'.repeat(6 * 1024 * 1024 - 64) }],
  ['an event nested 10 000 levels deep', deeplyNested()],
  ['an event that is not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])],
  ['an event that is not JSON', Buffer.from('not json at all')],
];

/** Runs every input in one environment (re-initialised after an exit), without or with the layer. */
async function runAll(runtime: RuntimeName, handler: string, inputs: readonly unknown[], env: Record<string, string>, wrapper?: string) {
  const sandbox = await Sandbox.start({ runtime, taskRoot: functionFixture('hostile'), handler, wrapper, env });
  try {
    const results: InvokeResult[] = [];
    for (const input of inputs) results.push(await sandbox.invoke(input));
    return { results, logs: sandbox.logs() };
  } finally {
    await sandbox.shutdown();
  }
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  it('handlers that misbehave: the same answers, errors and exits as without the layer, each traced', async () => {
    const inputs = CASES.map((name) => ({ case: name }));
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url };
    const bare = await runAll(runtime, 'index.handler', inputs, env);
    const traced = await runAll(runtime, 'index.handler', inputs, env, LAYER_WRAPPER);

    expect(traced.results.map(observed)).toEqual(bare.results.map(observed));
    expect(traced.logs).not.toContain('[lambda-otel-preload]');
    // Every invocation has its span, including those that exited the process.
    const spans = await receiver().waitForSpans(CASES.length);
    const byRequest = new Map(spans.map((s) => [s.attributes['faas.invocation_id'], s]));
    CASES.forEach((name, n) => {
      const span = byRequest.get(traced.results[n].requestId);
      expect({ name, traced: span !== undefined }).toEqual({ name, traced: true });
    });
    const statusOf = (name: (typeof CASES)[number]) => byRequest.get(traced.results[CASES.indexOf(name)].requestId)?.status;
    expect(statusOf('throw-string')).toEqual({ code: 'ERROR', message: 'x' });
    expect(statusOf('throw-null')?.code).toBe('UNSET');
    expect(statusOf('throw-hostile-object')?.code).toBe('ERROR');
    expect(statusOf('exit-3')).toEqual({ code: 'ERROR', message: expect.stringContaining('process.exit(3)') });
  });

  it.each(EVENTS)('%s: the same outcome as without the layer', async (_name, event) => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url };
    const bare = await runAll(runtime, 'index.handler', [event], env);
    const traced = await runAll(runtime, 'index.handler', [event], env, LAYER_WRAPPER);
    expect(traced.results.map(observed)).toEqual(bare.results.map(observed));
    expect(traced.logs).not.toContain('[lambda-otel-preload]');
  });
});

describe('nodejs22.x callback handlers that answer more than once', () => {
  const receiver = useReceiver();

  it('keeps the first answer the runtime would keep, and ends the span once', async () => {
    const inputs = ['callback-twice', 'callback-then-resolve', 'resolve-then-callback'].map((name) => ({ case: name }));
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url };
    const bare = await runAll('nodejs22.x', 'callback.handler', inputs, env);
    const traced = await runAll('nodejs22.x', 'callback.handler', inputs, env, LAYER_WRAPPER);
    expect(traced.results.map(observed)).toEqual(bare.results.map(observed));
    const spans = await receiver().waitForSpans(inputs.length);
    expect(spans.filter((s) => s.attributes['faas.invocation_id'] !== undefined)).toHaveLength(inputs.length);
  });
});
