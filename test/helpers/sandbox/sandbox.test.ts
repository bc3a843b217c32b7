/**
 * The sandbox itself, without any layer, on both runtimes: it must behave like Lambda for the
 * things the layer's tests rely on (answers, errors, streaming, init errors, freeze, timeout,
 * internal extensions, shutdown signals).
 */
import { processState, runtimes, Sandbox, withSandbox, type InvokeResult, type SandboxOptions } from './sandbox';
import { linkOtelApi } from '../layer';
import { functionFixture } from './task-root';

function opts(runtime: SandboxOptions['runtime'], fixture: string, extra: Partial<SandboxOptions> = {}): SandboxOptions {
  return { runtime, taskRoot: functionFixture(fixture), handler: 'index.handler', ...extra };
}

function expectKind<K extends InvokeResult['kind']>(r: InvokeResult, kind: K): Extract<InvokeResult, { kind: K }> {
  if (r.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify({ ...r, raw: undefined })}`);
  return r as Extract<InvokeResult, { kind: K }>;
}

describe.each(runtimes.map((r) => r.name))('sandbox on %s', (runtime) => {
  it('answers a promise handler, twice, in one process, and freezes it in between', async () => {
    await withSandbox(opts(runtime, 'reports-context'), async (sb) => {
      expect(sb.initError).toBeUndefined();
      const pid = sb.pid;
      expect(pid).toBeDefined();
      const r1 = expectKind(await sb.invoke({ a: 1 }, { traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' }), 'success');
      expect(r1.payload).toEqual({ e: { a: 1 }, n: 1, fn: 'test-fn', trace: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1', mem: '128' });
      expect(r1.streamed).toBe(false);
      expect(r1.coldStart).toBe(true);
      expect(r1.timing.responseAt).toBeGreaterThanOrEqual(r1.timing.invokeStart);
      expect(r1.timing.frozenAt).toBeGreaterThanOrEqual(r1.timing.responseAt as number);
      expect(sb.frozen).toBe(true);
      expect(processState(pid as number)).toBe('T');
      const r2 = expectKind(await sb.invoke('x'), 'success');
      expect(r2.payload).toMatchObject({ e: 'x', n: 2 });
      expect(r2.coldStart).toBe(false);
      expect(sb.pid).toBe(pid);
      expect(sb.inits).toHaveLength(1);
    });
  });

  it('reports a thrown error', async () => {
    await withSandbox(opts(runtime, 'throws-payment-declined'), async (sb) => {
      const r = expectKind(await sb.invoke({}), 'error');
      expect(r.errorType).toBe('PaymentDeclined');
      expect(r.errorMessage).toBe('boom');
      expect(r.trace.length).toBeGreaterThan(0);
      // The process survives a function error.
      expectKind(await sb.invoke({}), 'error');
      expect(sb.inits).toHaveLength(1);
    });
  });

  it('receives a streamed response', async () => {
    await withSandbox(opts(runtime, 'streams-a-then-b'), async (sb) => {
      const r = expectKind(await sb.invoke({}), 'success');
      expect(r.streamed).toBe(true);
      expect(r.raw.toString()).toBe('ab');
      expect(r.payload).toBe('ab');
      expect(r.headers['lambda-runtime-function-response-mode']).toBe('streaming');
      // The first byte is seen when it was written, not when the stream ended 150 ms later (with a
      // wide margin: on a busy machine the sandbox may notice the first byte late).
      expect(r.timing.responseAt as number).toBeGreaterThanOrEqual((r.timing.firstByteAt as number) + 50);
      expectKind(await sb.invoke({}), 'success');
    });
  });

  it('receives a mid-stream error from the trailers', async () => {
    await withSandbox(opts(runtime, 'streams-then-throws'), async (sb) => {
      const r = expectKind(await sb.invoke({}), 'error');
      expect(r.streamed).toBe(true);
      expect(r.errorType).toBe('TypeError');
      expect(r.errorMessage).toBe('mid-stream');
      expect(r.raw.toString()).toBe('partial');
    });
  });

  it('reports a missing module as Runtime.ImportModuleError, at start and on every invoke', async () => {
    const sb = await Sandbox.start({ runtime, taskRoot: functionFixture('answers-1', { 'other.js': 'index.js' }), handler: 'index.handler' });
    try {
      expect(sb.initError).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
      expect(sb.exit).toBeDefined();
      expect(sb.pid).toBeUndefined();
      const r = expectKind(await sb.invoke({}), 'init-error');
      expect(r.errorType).toBe('Runtime.ImportModuleError');
      expect(sb.inits).toHaveLength(2);
    } finally {
      await sb.shutdown();
    }
  });

  it('reports a missing function as Runtime.HandlerNotFound', async () => {
    await withSandbox(opts(runtime, 'exports-other-name'), async (sb) => {
      expect(sb.initError).toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
      expectKind(await sb.invoke({}), 'init-error');
    });
  });

  it('reports a missing wrapper as an exit 127 init failure', async () => {
    await withSandbox(opts(runtime, 'answers-1', { wrapper: '/nonexistent/wrapper' }), async (sb) => {
      expect(sb.exit).toEqual({ exitCode: 127, signal: null });
      const r = expectKind(await sb.invoke({}), 'init-error');
      expect(r.errorType).toBe('Runtime.ExitError');
    });
  });

  it('times out a slow handler, kills it, and re-inits for the next invocation', async () => {
    await withSandbox(opts(runtime, 'sleeps-when-asked', { timeoutMs: 500 }), async (sb) => {
      const first = sb.pid as number;
      const t = await sb.invoke({ sleep: true });
      expectKind(t, 'timeout');
      expect(processState(first)).toBeUndefined();
      const r = expectKind(await sb.invoke({}), 'success');
      expect(r.coldStart).toBe(true);
      expect(r.payload).toMatchObject({ n: 1 });
      expect(sb.inits).toHaveLength(2);
      expect(sb.pid).not.toBe(first);
    });
  });

  it('reports a crash and re-inits', async () => {
    await withSandbox(opts(runtime, 'exits-when-asked'), async (sb) => {
      const c = expectKind(await sb.invoke({ die: true }), 'crash');
      expect(c.exitCode).toBe(3);
      expectKind(await sb.invoke({}), 'success');
    });
  });

  it('passes the invocation data through /next headers', async () => {
    await withSandbox(opts(runtime, 'reports-invocation-data', { timeoutMs: 2000 }), async (sb) => {
      const r = expectKind(await sb.invoke({}, { requestId: 'req-1', clientContext: JSON.stringify({ custom: { k: 'v' } }) }), 'success');
      expect(r.requestId).toBe('req-1');
      const p = r.payload as Record<string, unknown>;
      expect(p.id).toBe('req-1');
      expect(p.arn).toBe('arn:aws:lambda:us-east-1:123456789012:function:test-fn');
      expect(p.cc).toMatchObject({ custom: { k: 'v' } });
      expect(p.left).toBeGreaterThan(1000);
      expect(p.left).toBeLessThanOrEqual(2000);
      expect(p.env).toBe(`AWS_Lambda_${runtime}`);
    });
  });

  it('lets a handler use the runtime-provided AWS SDK from NODE_PATH, but not OpenTelemetry', async () => {
    await withSandbox(opts(runtime, 'requires-runtime-sdk'), async (sb) => {
      expect(expectKind(await sb.invoke({}), 'success').payload).toEqual({ s3: 'function', otel: false });
    });
  });

  it('waits for an in-process internal extension before freezing, and SIGTERMs it at shutdown', async () => {
    const sb = await Sandbox.start(opts(runtime, 'extension-polls-events'));
    try {
      expect(sb.initError).toBeUndefined();
      expect(sb.extensions.map((e) => [e.name, e.events])).toEqual([['in-process', ['INVOKE']]]);
      const r1 = expectKind(await sb.invoke({}), 'success');
      const p1 = r1.payload as Record<string, unknown>;
      expect(p1.info).toEqual({ functionName: 'test-fn', functionVersion: '$LATEST', handler: 'index.handler' });
      expect(p1.refused).toEqual([400, 'Extension.InvalidEventType']);
      // The freeze waited for the extension's 150 ms of post-response work.
      expect((r1.timing.frozenAt as number) - (r1.timing.responseAt as number)).toBeGreaterThanOrEqual(140);
      expect(processState(sb.pid as number)).toBe('T');
      const r2 = expectKind(await sb.invoke({}), 'success');
      // The extension got invoke 1 and did its work before the freeze; invoke 2 reaches it concurrently with the handler.
      expect(r2.payload).toMatchObject({ workDone: 1 });
      expect((r2.payload as { events: string[] }).events.slice(0, 1)).toEqual(['INVOKE']);
      const down = await sb.shutdown();
      expect(down.sigtermSent).toBe(true);
      expect(down.signal).toBe('SIGTERM'); // no SIGTERM listener: the default action ends it
    } finally {
      await sb.shutdown();
    }
  });

  it('refuses registration after the first /next', async () => {
    await withSandbox(opts(runtime, 'registers-late'), async (sb) => {
      expect(expectKind(await sb.invoke({}), 'success').payload).toEqual([403, 'Extension.RegistrationClosed']);
      expect(sb.extensions).toEqual([]);
    });
  });

  it('SIGKILLs at shutdown when no extension registered, and SIGKILLs a SIGTERM-ignoring one after 500 ms', async () => {
    const plain = await Sandbox.start(opts(runtime, 'answers-1'));
    await plain.invoke({});
    const down = await plain.shutdown();
    expect(down).toMatchObject({ sigtermSent: false, signal: 'SIGKILL' });

    const sb = await Sandbox.start(opts(runtime, 'ignores-sigterm'));
    await sb.invoke({});
    const res = await sb.shutdown();
    expect(res.sigtermSent).toBe(true);
    expect(res.signal).toBe('SIGKILL');
    expect(res.durationMs).toBeGreaterThanOrEqual(490);
    expect(sb.logs()).toContain('got SIGTERM');
  });
});

describe('sandbox on nodejs22.x only', () => {
  it('answers a callback handler', async () => {
    await withSandbox(opts('nodejs22.x', 'callback-answers-42'), async (sb) => {
      expect(expectKind(await sb.invoke({}), 'success').payload).toBe(42);
    });
  });
});

describe('the environment the runtime gets', () => {
  const NAMES = ['OTEL_LOG_LEVEL', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', '_HANDLER', 'GREETING'];
  const run = async (extra: Partial<SandboxOptions>): Promise<unknown> =>
    withSandbox({ runtime: 'nodejs24.x', taskRoot: functionFixture('env-echo'), handler: 'index.handler', ...extra }, async (sb) =>
      expectKind(await sb.invoke({ names: NAMES }), 'success').payload,
    );

  it('is only the sandbox\'s own by default, with fake credentials', async () => {
    expect(await run({})).toEqual({
      OTEL_LOG_LEVEL: null,
      AWS_PROFILE: null,
      AWS_ACCESS_KEY_ID: 'ASIAXXXXSANDBOXXXXXX',
      AWS_SESSION_TOKEN: 'sandbox-session-token-not-real',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'test-fn',
      _HANDLER: 'index.handler',
      GREETING: null,
    });
  });

  it('takes pass-through variables over its defaults, credentials as a set, but never over what makes it Lambda', async () => {
    const passThrough = { OTEL_LOG_LEVEL: 'debug', AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: 'AKIAUSERKEY', AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'mine', _HANDLER: 'other.handler' };
    expect(await run({ passThrough, env: { GREETING: 'hello' } })).toEqual({
      OTEL_LOG_LEVEL: 'debug',
      AWS_PROFILE: 'dev',
      AWS_ACCESS_KEY_ID: 'AKIAUSERKEY',
      AWS_SESSION_TOKEN: null,
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'test-fn',
      _HANDLER: 'index.handler',
      GREETING: 'hello',
    });
  });
});

describe('sandbox on nodejs24.x only', () => {
  it('refuses a callback handler at init', async () => {
    await withSandbox(opts('nodejs24.x', 'callback-answers-42'), async (sb) => {
      expect(sb.initError?.errorType).toBe('Runtime.CallbackHandlerDeprecated');
    });
  });
});

describe('sandbox on nodejs24.x as Lambda Managed Instances', () => {
  const options = (fixture: string): SandboxOptions => ({
    runtime: 'nodejs24.x',
    taskRoot: linkOtelApi(functionFixture(fixture)),
    handler: 'index.handler',
    maxConcurrency: 8,
    workerCount: 2,
  });

  it('runs invocations concurrently in worker threads, never frozen', async () => {
    await withSandbox(options('concurrent'), async (sb) => {
      // Init ends with the first worker's /next; on a busy machine the second may still be loading.
      await sb.api.until(() => sb.api.runtimeWaitingCount >= 2, 10_000, 'both workers to poll');
      const results = await Promise.all(Array.from({ length: 8 }, (_, n) => sb.invoke({ n, sleepMs: 300 })));
      const payloads = results.map((r) => expectKind(r, 'success').payload as { n: number; threadId: number });
      expect(payloads.map((p) => p.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      // Two worker threads (ids 1 and 2), the main thread (0) runs none.
      expect(new Set(payloads.map((p) => p.threadId))).toEqual(new Set([1, 2]));
      // Eight 300 ms invocations at once: far less than the 2.4 s they would take one by one.
      const first = Math.min(...results.map((r) => r.timing.invokeStart));
      const last = Math.max(...results.map((r) => r.timing.responseAt ?? Infinity));
      expect(last - first).toBeLessThan(1800);
      expect(results.every((r) => r.timing.frozenAt === undefined)).toBe(true);
      expect(sb.frozen).toBe(false);
      expect(sb.environment()).toMatchObject({ AWS_LAMBDA_MAX_CONCURRENCY: '8', AWS_LAMBDA_INITIALIZATION_TYPE: 'lambda-managed-instances' });
    });
  });

  it('lets internal extensions register without events only, and shuts down with SIGTERM first', async () => {
    const sb = await Sandbox.start(options('registers-extension'));
    const payload = expectKind(await sb.invoke({}), 'success').payload;
    // Each of the two workers registers; the answers are the same in both.
    expect(payload).toEqual({ withInvoke: { status: 400, errorType: 'Extension.InvalidEventType' }, withoutEvents: { status: 200 } });
    const shutdown = await sb.shutdown();
    expect(shutdown.sigtermSent).toBe(true);
  });
});
