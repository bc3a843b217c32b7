/**
 * Every handler style the Lambda Node runtime accepts, run by the real runtime client in the
 * sandbox, with and without the layer: the answers must be the same, and with the layer each
 * invocation must arrive at the OTLP receiver as one span.
 */
import type { OtlpReceiver } from '../helpers/sandbox/otlp-receiver';
import { runtimes, Sandbox, type InvokeResult, type RuntimeName } from '../helpers/sandbox/sandbox';
import { bundledFixture, functionFixture } from '../helpers/sandbox/task-root';
import { LAYER_WRAPPER, comparable, useReceiver } from '../helpers/layer';

interface Case {
  readonly name: string;
  /** A fresh task root holding the case's function (test/fixtures/functions), under the names the case needs. */
  readonly taskRoot: () => string;
  readonly handler: string;
  readonly only?: RuntimeName;
  /** Whether the invocation itself succeeds or fails in the handler (then a span must arrive). */
  readonly traced: boolean | RuntimeName;
}

/** The CommonJS echo as it is (index.js), or copied to `file` for the cases about a module's name and place. */
const echoCjs = (file?: string) => (): string =>
  functionFixture('echo-and-handler-cjs', file === undefined ? undefined : { [file]: 'index.js' });
const fixture = (name: string) => (): string => functionFixture(name);

const CASES: Case[] = [
  { name: 'CommonJS .js', taskRoot: echoCjs(), handler: 'index.handler', traced: true },
  { name: 'ES module .mjs', taskRoot: fixture('echo-and-handler-esm'), handler: 'index.handler', traced: true },
  { name: '.cjs', taskRoot: echoCjs('index.cjs'), handler: 'index.handler', traced: true },
  { name: '"type":"module" .js', taskRoot: fixture('type-module'), handler: 'index.handler', traced: true },
  { name: 'extensionless module', taskRoot: echoCjs('app'), handler: 'app.handler', traced: true },
  { name: 'nested folder', taskRoot: echoCjs('src/handlers/api.js'), handler: 'src/handlers/api.handler', traced: true },
  { name: 'nested function path', taskRoot: fixture('nested-function-path'), handler: 'index.handlers.main', traced: true },
  {
    name: 'default export object (4.x finds it, 3.x does not)',
    taskRoot: fixture('default-export-object'),
    handler: 'index.handler',
    traced: 'nodejs24.x',
  },
  {
    // esbuild's ESM-to-CJS output: exports are non-configurable getters, which breaks in-place patching.
    name: 'esbuild-bundled CommonJS',
    taskRoot: () => bundledFixture('echo-and-handler-esm', 'index.mjs'),
    handler: 'index.handler',
    traced: true,
  },
  { name: 'callback handler', taskRoot: fixture('callback-after-timer'), handler: 'index.handler', only: 'nodejs22.x', traced: true },
  {
    name: 'context.succeed (3.x legacy completion)',
    taskRoot: fixture('context-succeed'),
    handler: 'index.handler',
    only: 'nodejs22.x',
    traced: true,
  },
  { name: 'context.fail (3.x legacy completion)', taskRoot: fixture('context-fail'), handler: 'index.handler', only: 'nodejs22.x', traced: true },
  {
    name: 'context.done with a result, from an async handler',
    taskRoot: fixture('context-done'),
    handler: 'index.handler',
    only: 'nodejs22.x',
    traced: true,
  },
  {
    name: 'callback handler on 4.x (the runtime refuses it)',
    taskRoot: fixture('callback-answers-42'),
    handler: 'index.handler',
    only: 'nodejs24.x',
    traced: false,
  },
  {
    name: 'non-async handler returning a value',
    taskRoot: fixture('returns-without-promise'),
    handler: 'index.handler',
    only: 'nodejs24.x',
    traced: true,
  },
  { name: 'handler that throws a custom error', taskRoot: fixture('throws-custom-error'), handler: 'index.handler', traced: true },
  { name: 'missing module', taskRoot: echoCjs('other.js'), handler: 'index.handler', traced: false },
  { name: 'missing function', taskRoot: echoCjs(), handler: 'index.nope', traced: false },
  { name: 'export that is not a function', taskRoot: fixture('handler-not-a-function'), handler: 'index.handler', traced: false },
  { name: 'syntax error', taskRoot: () => functionFixture('syntax-errors', { 'index.js': 'commonjs.txt' }), handler: 'index.handler', traced: false },
  {
    name: 'syntax error in ESM',
    taskRoot: () => functionFixture('syntax-errors', { 'index.mjs': 'esm.txt' }),
    handler: 'index.handler',
    traced: false,
  },
  { name: 'malformed handler name', taskRoot: echoCjs(), handler: 'index', traced: false },
  { name: 'relative handler path', taskRoot: echoCjs(), handler: '../index.handler', traced: false },
  { name: 'module that throws at load', taskRoot: fixture('throws-at-load'), handler: 'index.handler', traced: false },
  { name: 'module that imports a missing package (ESM)', taskRoot: fixture('imports-missing-package'), handler: 'index.handler', traced: false },
];

const STREAMING_CASE: Case = {
  name: 'response streaming',
  taskRoot: fixture('streams-two-chunks'),
  handler: 'index.handler',
  traced: true,
};

async function runCase(taskRoot: string, testCase: Case, runtime: RuntimeName, withLayer: boolean, receiver?: OtlpReceiver) {
  const sandbox = await Sandbox.start({
    runtime,
    taskRoot,
    handler: testCase.handler,
    wrapper: withLayer ? LAYER_WRAPPER : undefined,
    env: receiver ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } : {},
  });
  try {
    const results: InvokeResult[] = [];
    for (const n of [1, 2]) results.push(await sandbox.invoke({ n }));
    return { results, initError: sandbox.initError, logs: sandbox.logs() };
  } finally {
    await sandbox.shutdown();
  }
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  const cases = [...CASES, STREAMING_CASE].filter((c) => c.only === undefined || c.only === runtime);
  it.each(cases.map((c) => [c.name, c] as const))('%s: same answer with the layer, and one span per invocation', async (_name, testCase) => {
    // One task root for both runs: error messages that name a path must come out identical.
    const taskRoot = testCase.taskRoot();
    const without = await runCase(taskRoot, testCase, runtime, false);
    const withLayer = await runCase(taskRoot, testCase, runtime, true, receiver());

    expect(withLayer.results.map(comparable)).toEqual(without.results.map(comparable));
    expect(withLayer.initError && comparable(withLayer.initError)).toEqual(without.initError && comparable(without.initError));
    expect(withLayer.logs).not.toContain('[lambda-otel-preload] ERROR');

    if (testCase.traced !== true && testCase.traced !== runtime) {
      expect(without.results[0].kind).not.toBe('success');
      return;
    }
    // The export window never holds the environment anywhere near the 3 s deadline.
    for (const result of withLayer.results) expect((result.timing.frozenAt ?? Infinity) - result.timing.invokeStart).toBeLessThan(1500);
    const spans = await receiver().waitForSpans(2, 5000);
    expect(spans.map((s) => s.name)).toEqual(['test-fn', 'test-fn']);
    expect(spans.map((s) => s.attributes['faas.coldstart'])).toEqual([true, false]);
    expect(spans.map((s) => s.attributes['faas.invocation_id'])).toEqual(withLayer.results.map((r) => r.requestId));
    const failed = withLayer.results[0].kind === 'error';
    expect(spans.map((s) => s.status.code)).toEqual(failed ? ['ERROR', 'ERROR'] : ['UNSET', 'UNSET']);
  });
});

