/**
 * Issue #9, cold starts: the first invocation's trace shows the init (process start to handler
 * ready: Node's start, the layer's set-up, the runtime's start, the function's load) with a span
 * for each slow module, CommonJS and ES modules alike, nested as the imports nest; later
 * invocations carry none; and only an on-demand init a caller waited for is a cold start.
 */
import type { ReceivedSpan } from '../helpers/sandbox/otlp-receiver';
import { runtimes, Sandbox, type SandboxOptions } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { LAYER_WRAPPER, useReceiver, withLayer } from '../helpers/layer';

const PHASES = ['node start', 'layer setup', 'runtime start', 'function load'];
const ms = (nanos: bigint): number => Number(nanos) / 1e6;
const duration = (span: ReceivedSpan): number => ms(span.endTimeUnixNano - span.startTimeUnixNano);

/** The spans of one trace as a tree: children of a span by its id, and lookup by name. */
function traceOf(spans: ReceivedSpan[], traceId: string) {
  const inTrace = spans.filter((s) => s.traceId === traceId);
  const named = (name: string): ReceivedSpan => {
    const found = inTrace.filter((s) => s.name === name);
    if (found.length !== 1) throw new Error(`${found.length} spans named ${name} in ${inTrace.map((s) => s.name).join(', ')}`);
    return found[0];
  };
  const childrenOf = (span: ReceivedSpan): string[] => inTrace.filter((s) => s.parentSpanId === span.spanId).map((s) => s.name);
  return { spans: inTrace, named, childrenOf };
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver({ initSpans: true });
  const run = (options: Omit<SandboxOptions, 'runtime' | 'wrapper'>, fn: (sandbox: Sandbox) => Promise<void>): Promise<void> =>
    withLayer({ runtime, ...options, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, ...options.env } }, fn);

  /** Invokes the slow-init function twice; returns every span and the two invocation spans. */
  async function twoInvocations(handler: string, env: Record<string, string> = {}) {
    const answers: unknown[] = [];
    await run({ taskRoot: functionFixture('slow-init'), handler, env }, async (sandbox) => {
      for (let n = 0; n < 2; n++) {
        const result = await sandbox.invoke({ n });
        answers.push(result.kind === 'success' ? result.payload : result);
      }
    });
    expect(answers).toEqual([{ esm: true, cjs: true }, { esm: true, cjs: true }]);
    // One export per invocation; the init's spans leave with the first.
    await receiver().waitForRequests(2);
    const spans = receiver().spans();
    const [first, second] = spans.filter((s) => s.name === 'test-fn');
    return { spans, first, second };
  }

  it('shows the init under a cold start\'s span, each slow ES and CommonJS import nested as imported; warm invocations carry none', async () => {
    const { spans, first, second } = await twoInvocations('index.handler');
    expect(first.attributes).toMatchObject({ 'faas.coldstart': true, 'aws.lambda.init_type': 'on-demand' });
    const trace = traceOf(spans, first.traceId);
    const init = trace.named('init');
    expect(init.parentSpanId).toBe(first.spanId);
    expect(init.scope.name).toBe('lambda-otel-preload/init');
    expect(trace.childrenOf(init)).toEqual(PHASES);
    // From the process's start to the handler being ready, before the invocation began.
    const phases = PHASES.map((name) => trace.named(name));
    expect(phases[0].startTimeUnixNano).toBe(init.startTimeUnixNano);
    for (let i = 1; i < phases.length; i++) expect(phases[i].startTimeUnixNano).toBe(phases[i - 1].endTimeUnixNano);
    expect(init.endTimeUnixNano).toBeGreaterThanOrEqual(phases[3].endTimeUnixNano);
    expect(init.endTimeUnixNano).toBeLessThanOrEqual(first.startTimeUnixNano);

    const handler = trace.named('import index.mjs');
    expect(trace.childrenOf(phases[3])).toEqual(['import index.mjs']);
    expect(trace.childrenOf(handler)).toEqual(['import lib/slow-esm.mjs', 'require lib/slow-cjs.cjs']);
    expect(trace.childrenOf(trace.named('import lib/slow-esm.mjs'))).toEqual(['import lib/inner-esm.mjs']);
    expect(trace.childrenOf(trace.named('require lib/slow-cjs.cjs'))).toEqual(['require lib/inner-cjs.cjs']);
    expectSlowModules(trace.named, 'import lib/slow-esm.mjs');
    expect(handler.attributes).toEqual({ 'aws.lambda.module.origin': 'function', 'code.file.path': expect.stringMatching(/\/index\.mjs$/) });

    expect(second.attributes['faas.coldstart']).toBe(false);
    expect(second.attributes['aws.lambda.init_type']).toBeUndefined();
    expect(spans.filter((s) => s.traceId === second.traceId).map((s) => s.name)).toEqual(['test-fn']);
  });

  it('shows a CommonJS handler\'s requires, an ES module it requires included', async () => {
    const { spans, first } = await twoInvocations('handler.handler');
    const trace = traceOf(spans, first.traceId);
    expect(trace.childrenOf(trace.named('function load'))).toEqual(['require handler.cjs']);
    expect(trace.childrenOf(trace.named('require handler.cjs'))).toEqual(['require lib/slow-cjs.cjs', 'require lib/slow-esm.mjs']);
    expect(trace.childrenOf(trace.named('require lib/slow-esm.mjs'))).toEqual(['import lib/inner-esm.mjs']);
    expectSlowModules(trace.named, 'require lib/slow-esm.mjs');
  });

  it('with LAMBDA_OTEL_INIT_SPANS=phases shows the init and its phases only, and with off nothing of it', async () => {
    const { spans, first } = await twoInvocations('index.handler', { LAMBDA_OTEL_INIT_SPANS: 'phases' });
    const trace = traceOf(spans, first.traceId);
    expect(trace.spans.map((s) => s.name).sort()).toEqual([...PHASES, 'init', 'test-fn'].sort());
    expect(duration(trace.named('function load'))).toBeGreaterThanOrEqual(115);

    receiver().reset();
    const off = await twoInvocations('index.handler', { LAMBDA_OTEL_INIT_SPANS: 'off' });
    expect(off.spans.map((s) => s.name)).toEqual(['test-fn', 'test-fn']);
    expect(off.first.attributes['faas.coldstart']).toBe(true);
  });

  it('does not count a provisioned-concurrency init as a cold start, and traces it apart, linked to the first invocation', async () => {
    await run({ taskRoot: functionFixture('slow-init'), handler: 'index.handler', initializationType: 'provisioned-concurrency' }, async (sandbox) => {
      expect((await sandbox.invoke({})).kind).toBe('success');
    });
    const spans = await receiver().waitForSpans(2);
    const first = spans.find((s) => s.name === 'test-fn') as ReceivedSpan;
    expect(first.attributes).toMatchObject({ 'faas.coldstart': false, 'aws.lambda.init_type': 'provisioned-concurrency' });
    const init = spans.find((s) => s.name === 'init') as ReceivedSpan;
    expect(init.traceId).not.toBe(first.traceId);
    expect(init.parentSpanId).toBe('');
    expect(init.links.map((l) => [l.traceId, l.spanId])).toEqual([[first.traceId, first.spanId]]);
    expect(init.attributes).toEqual({ 'aws.lambda.init_type': 'provisioned-concurrency' });
    expectSlowModules(traceOf(spans, init.traceId).named, 'import lib/slow-esm.mjs');
  });

  it('does not count an on-demand init whose first invocation came long after it as a cold start', async () => {
    // LAMBDA_OTEL_PROACTIVE_INIT_MS stands in for Lambda's 10 s, so that the test need not wait that long.
    const env = { LAMBDA_OTEL_PROACTIVE_INIT_MS: '400' };
    await run({ taskRoot: functionFixture('slow-init'), handler: 'index.handler', env }, async (sandbox) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect((await sandbox.invoke({})).kind).toBe('success');
    });
    const spans = await receiver().waitForSpans(2);
    const first = spans.find((s) => s.name === 'test-fn') as ReceivedSpan;
    expect(first.attributes).toMatchObject({
      'faas.coldstart': false,
      'aws.lambda.init_type': 'on-demand',
      'aws.lambda.proactive_initialization': true,
    });
    const init = spans.find((s) => s.name === 'init') as ReceivedSpan;
    expect(init.traceId).not.toBe(first.traceId);
    expect(init.links.map((l) => l.spanId)).toEqual([first.spanId]);
  });

  /** The init error a function's first invocation gets, with and without the layer. */
  const initErrors = async (taskRoot: string) => {
    const initError = async (wrapper: string | undefined) => {
      const sandbox = await Sandbox.start({ runtime, taskRoot, handler: 'index.handler', wrapper });
      await sandbox.shutdown();
      return sandbox.initError;
    };
    return { without: await initError(undefined), withLayer: await initError(LAYER_WRAPPER) };
  };

  it('leaves an ES module\'s init error pointing at the same line and column', async () => {
    const { without, withLayer } = await initErrors(functionFixture('throws-at-init'));
    const frames = (trace: string[] | undefined): string[] =>
      (trace ?? []).filter((line) => line.includes('broken.mjs')).map((line) => line.replace(/^.*\/lib\//, ''));
    expect(frames(without?.trace)).toEqual([expect.stringMatching(/^broken\.mjs:5:\d+\)?$/)]);
    expect(frames(withLayer?.trace)).toEqual(frames(without?.trace));
  });

  it('reports an ES module that ends mid-statement with the same SyntaxError', async () => {
    const taskRoot = functionFixture('syntax-errors', { 'index.mjs': 'imports-truncated.mjs', 'lib/truncated.mjs': 'truncated.txt' });
    const { without, withLayer } = await initErrors(taskRoot);
    expect(without).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError', errorMessage: 'SyntaxError: Unexpected end of input' });
    expect(withLayer?.errorType).toBe(without?.errorType);
    expect(withLayer?.errorMessage).toBe(without?.errorMessage);
    expect(withLayer?.trace[0]).toBe(without?.trace[0]);
  });
});

describe('nodejs24.x on Lambda Managed Instances', () => {
  const receiver = useReceiver({ initSpans: true });

  it('counts no cold start and traces no init: every worker initialised before any caller came', async () => {
    const options = { runtime: 'nodejs24.x', taskRoot: functionFixture('slow-init'), handler: 'index.handler', maxConcurrency: 4, workerCount: 2 } as const;
    const sandbox = await Sandbox.start({ ...options, wrapper: LAYER_WRAPPER, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } });
    const results = await Promise.all([0, 1, 2, 3].map((n) => sandbox.invoke({ n }))).finally(() => sandbox.shutdown());
    expect(results.map((r) => r.kind)).toEqual(['success', 'success', 'success', 'success']);
    // Every span has arrived once shutdown() returned (SIGTERM, then SIGKILL 500 ms later).
    const spans = receiver().spans();
    expect(spans.map((s) => s.name)).toEqual(['test-fn', 'test-fn', 'test-fn', 'test-fn']);
    expect(spans.map((s) => s.attributes['faas.coldstart'])).toEqual([false, false, false, false]);
    // Each worker's first invocation says how it was initialised.
    expect(spans.filter((s) => s.attributes['aws.lambda.init_type'] === 'lambda-managed-instances').length).toBeGreaterThanOrEqual(1);
  });
});

/** The fixture's slow modules take about 60 ms each, and the inner ones they load about 30 ms. */
function expectSlowModules(named: (name: string) => ReceivedSpan, esm: string): void {
  for (const name of [esm, 'require lib/slow-cjs.cjs']) {
    const span = named(name);
    expect(duration(span)).toBeGreaterThanOrEqual(58);
    expect(duration(span)).toBeLessThan(1000);
    expect(span.attributes['aws.lambda.module.origin']).toBe('function');
  }
  for (const name of ['import lib/inner-esm.mjs', 'require lib/inner-cjs.cjs']) expect(duration(named(name))).toBeGreaterThanOrEqual(29);
}
