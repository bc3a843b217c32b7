/**
 * Every handler style the Lambda Node runtime accepts, run by the real runtime client in the
 * sandbox, with and without the layer: the answers must be the same, and with the layer each
 * invocation must arrive at the OTLP receiver as one span.
 */
import { buildSync } from 'esbuild';
import type { OtlpReceiver } from '../helpers/sandbox/otlp-receiver';
import { runtimes, Sandbox, type InvokeResult, type RuntimeName } from '../helpers/sandbox/sandbox';
import { makeTaskRoot } from '../helpers/sandbox/task-root';
import { LAYER_WRAPPER, comparable, useReceiver } from '../helpers/layer';

interface Case {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly handler: string;
  readonly only?: RuntimeName;
  /** Whether the invocation itself succeeds or fails in the handler (then a span must arrive). */
  readonly traced: boolean | RuntimeName;
}

const ECHO_CJS = 'exports.handler = async (event) => ({ echo: event, handlerEnv: process.env._HANDLER });';
const ECHO_ESM = 'export const handler = async (event) => ({ echo: event, handlerEnv: process.env._HANDLER });';

function bundledCjs(): string {
  // esbuild's ESM-to-CJS output: exports are non-configurable getters, which breaks in-place patching.
  return buildSync({
    stdin: { contents: ECHO_ESM, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
  }).outputFiles[0].text;
}

const CASES: Case[] = [
  { name: 'CommonJS .js', files: { 'index.js': ECHO_CJS }, handler: 'index.handler', traced: true },
  { name: 'ES module .mjs', files: { 'index.mjs': ECHO_ESM }, handler: 'index.handler', traced: true },
  { name: '.cjs', files: { 'index.cjs': ECHO_CJS }, handler: 'index.handler', traced: true },
  {
    name: '"type":"module" .js',
    files: { 'index.js': ECHO_ESM, 'package.json': '{"type":"module"}' },
    handler: 'index.handler',
    traced: true,
  },
  { name: 'extensionless module', files: { app: ECHO_CJS }, handler: 'app.handler', traced: true },
  { name: 'nested folder', files: { 'src/handlers/api.js': ECHO_CJS }, handler: 'src/handlers/api.handler', traced: true },
  {
    name: 'nested function path',
    files: { 'index.js': 'exports.handlers = { main: async (e) => ({ nested: e }) };' },
    handler: 'index.handlers.main',
    traced: true,
  },
  {
    name: 'default export object (4.x finds it, 3.x does not)',
    files: { 'index.mjs': 'export default { handler: async (e) => ({ fromDefault: e }) };' },
    handler: 'index.handler',
    traced: 'nodejs24.x',
  },
  { name: 'esbuild-bundled CommonJS', files: { 'index.js': bundledCjs() }, handler: 'index.handler', traced: true },
  {
    name: 'callback handler',
    files: { 'index.js': 'exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { cb: event }), 5); };' },
    handler: 'index.handler',
    only: 'nodejs22.x',
    traced: true,
  },
  {
    name: 'context.succeed (3.x legacy completion)',
    files: { 'index.js': 'exports.handler = (event, context, callback) => { setTimeout(() => context.succeed({ viaSucceed: event }), 5); };' },
    handler: 'index.handler',
    only: 'nodejs22.x',
    traced: true,
  },
  {
    name: 'context.fail (3.x legacy completion)',
    files: { 'index.js': 'exports.handler = (event, context) => { context.fail(new RangeError("out of stock")); };' },
    handler: 'index.handler',
    only: 'nodejs22.x',
    traced: true,
  },
  {
    name: 'context.done with a result, from an async handler',
    files: { 'index.js': 'exports.handler = async (event, context) => { context.done(null, { viaDone: event }); };' },
    handler: 'index.handler',
    only: 'nodejs22.x',
    traced: true,
  },
  {
    name: 'callback handler on 4.x (the runtime refuses it)',
    files: { 'index.js': 'exports.handler = (event, context, callback) => callback(null, 1);' },
    handler: 'index.handler',
    only: 'nodejs24.x',
    traced: false,
  },
  {
    name: 'non-async handler returning a value',
    files: { 'index.js': 'exports.handler = (event, context) => ({ plain: event });' },
    handler: 'index.handler',
    only: 'nodejs24.x',
    traced: true,
  },
  {
    name: 'handler that throws a custom error',
    files: {
      'index.js':
        'class PaymentDeclined extends Error { constructor(m) { super(m); this.name = "PaymentDeclined"; } }\n' +
        'exports.handler = async () => { throw new PaymentDeclined("card expired"); };',
    },
    handler: 'index.handler',
    traced: true,
  },
  { name: 'missing module', files: { 'other.js': ECHO_CJS }, handler: 'index.handler', traced: false },
  { name: 'missing function', files: { 'index.js': ECHO_CJS }, handler: 'index.nope', traced: false },
  { name: 'export that is not a function', files: { 'index.js': 'exports.handler = 42;' }, handler: 'index.handler', traced: false },
  { name: 'syntax error', files: { 'index.js': 'exports.handler = async (' }, handler: 'index.handler', traced: false },
  { name: 'syntax error in ESM', files: { 'index.mjs': 'export const handler = async (' }, handler: 'index.handler', traced: false },
  { name: 'malformed handler name', files: { 'index.js': ECHO_CJS }, handler: 'index', traced: false },
  { name: 'relative handler path', files: { 'index.js': ECHO_CJS }, handler: '../index.handler', traced: false },
  {
    name: 'module that throws at load',
    files: { 'index.js': 'class ConfigMissing extends Error { name = "ConfigMissing" }\nthrow new ConfigMissing("no DB_URL");' },
    handler: 'index.handler',
    traced: false,
  },
  {
    name: 'module that imports a missing package (ESM)',
    files: { 'index.mjs': 'import "not-installed-anywhere";\nexport const handler = async () => 1;' },
    handler: 'index.handler',
    traced: false,
  },
];

const STREAMING_CASE: Case = {
  name: 'response streaming',
  files: {
    'index.mjs':
      'export const handler = awslambda.streamifyResponse(async (event, stream) => {\n' +
      '  stream.write("first,");\n  await new Promise((r) => setTimeout(r, 5));\n  stream.end("second:" + event.n);\n});',
  },
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
    const taskRoot = makeTaskRoot(testCase.files);
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

