/**
 * Client instrumentations load on the function's first use of what they patch, not at start-up:
 * a function that makes no requests never loads one, and one that does gets its very first call
 * traced, whether it reaches HTTP through require, an ES module import (default or named) or fetch.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceivedSpan } from '../helpers/sandbox/otlp-receiver';
import { runtimes } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { useReceiver, withLayer } from '../helpers/layer';

const LOADED = /instrumentation (\S+) loaded on first use/g;

/** A downstream service on loopback that records the trace context each request carried. */
function useDownstream(): () => { url: string; traceparents: (string | undefined)[] } {
  let server: Server | undefined;
  const traceparents: (string | undefined)[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      traceparents.push(headerValue(req.headers, 'traceparent'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  });
  beforeEach(() => (traceparents.length = 0));
  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });
  return () => ({ url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}`, traceparents });
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `traceparent` = 00-<trace id>-<span id>-<flags> */
function expectCarried(traceparent: string | undefined, span: ReceivedSpan | undefined): void {
  expect(span).toBeDefined();
  expect(traceparent?.split('-').slice(1, 3)).toEqual([span?.traceId, span?.spanId]);
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();
  const downstream = useDownstream();

  async function run(taskRoot: string, env: Record<string, string> = {}, invocations = 2) {
    return withLayer(
      {
        runtime,
        taskRoot,
        handler: 'index.handler',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_LOG_LEVEL: 'debug', DOWNSTREAM_URL: downstream().url, ...env },
      },
      async (sandbox) => {
        const results = [];
        for (let n = 0; n < invocations; n++) results.push(await sandbox.invoke({ n }));
        return { results, loaded: [...sandbox.logs().matchAll(LOADED)].map((m) => m[1]) };
      },
    );
  }

  it('loads no instrumentation for a function that makes no requests, its exports included', async () => {
    const { results, loaded } = await run(functionFixture('makes-no-requests'), {}, 3);
    expect(results.map((r) => r.kind)).toEqual(['success', 'success', 'success']);
    expect(loaded).toEqual([]);
    const spans = await receiver().waitForSpans(3);
    expect(spans.map((s) => s.kind)).toEqual(['SERVER', 'SERVER', 'SERVER']);
  });

  it('loads the HTTP instrumentation when the function requires http, and traces its first request', async () => {
    const { results, loaded } = await run(functionFixture('http-get-cjs'));
    expect(results).toMatchObject([{ kind: 'success', payload: 200 }, { kind: 'success', payload: 200 }]);
    expect(loaded).toEqual(['http']);
    const spans = await receiver().waitForSpans(4);
    const invocations = spans.filter((s) => s.kind === 'SERVER');
    const clients = spans.filter((s) => s.kind === 'CLIENT');
    expect(clients).toHaveLength(2);
    clients.forEach((client, i) => {
      expect(client.parentSpanId).toBe(invocations[i].spanId);
      expect(client.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
      expectCarried(downstream().traceparents[i], client);
    });
  });

  it('loads the HTTP instrumentation when the function takes http from process.getBuiltinModule', async () => {
    const { results, loaded } = await run(functionFixture('http-get-builtin-module'), {}, 1);
    expect(results).toMatchObject([{ kind: 'success', payload: 200 }]);
    expect(loaded).toEqual(['http']);
    const clients = (await receiver().waitForSpans(2)).filter((s) => s.kind === 'CLIENT');
    expect(clients).toHaveLength(1);
    expectCarried(downstream().traceparents[0], clients[0]);
  });

  it('traces an ES module\'s node:http imports, default and named, from the first call', async () => {
    // The handler alone: early.mjs is the next test's.
    const { results, loaded } = await run(functionFixture('http-request-esm', { 'index.mjs': 'index.mjs' }), {}, 1);
    expect(results).toMatchObject([{ kind: 'success', payload: [200, 200] }]);
    expect(loaded).toEqual(['http']);
    const spans = await receiver().waitForSpans(3);
    const invocation = spans.find((s) => s.kind === 'SERVER');
    const clients = spans.filter((s) => s.kind === 'CLIENT');
    expect(clients).toHaveLength(2);
    for (const [i, client] of clients.entries()) {
      expect(client.parentSpanId).toBe(invocation?.spanId);
      expectCarried(downstream().traceparents[i], client);
    }
  });

  it('traces named node:http imports even when another preload imported node:http before the layer', async () => {
    // The user's own --import runs first and builds node:http's ES module facade, unpatched.
    const taskRoot = functionFixture('http-request-esm');
    const results = await withLayer(
      {
        runtime,
        taskRoot,
        handler: 'index.handler',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, DOWNSTREAM_URL: downstream().url, NODE_OPTIONS: `--import ${taskRoot}/early.mjs` },
      },
      async (sandbox) => [await sandbox.invoke({})],
    );
    expect(results).toMatchObject([{ kind: 'success', payload: [200, 200] }]);
    const clients = (await receiver().waitForSpans(3)).filter((s) => s.kind === 'CLIENT');
    expect(clients).toHaveLength(2);
    clients.forEach((client, i) => expectCarried(downstream().traceparents[i], client));
  });

  it('loads the fetch instrumentation on the first fetch, traces that call, and gives fetch back untouched', async () => {
    const { results, loaded } = await run(functionFixture('fetches-json'));
    expect(results).toMatchObject([
      { kind: 'success', payload: { status: 200, name: 'fetch', restored: true } },
      { kind: 'success', payload: { status: 200, name: 'fetch', restored: true } },
    ]);
    expect(loaded).toEqual(['undici']);
    const spans = await receiver().waitForSpans(4);
    const clients = spans.filter((s) => s.kind === 'CLIENT');
    expect(clients).toHaveLength(2);
    clients.forEach((client, i) => expectCarried(downstream().traceparents[i], client));
  });

  it('loads only what OTEL_NODE_ENABLED_INSTRUMENTATIONS names', async () => {
    const { results, loaded } = await run(functionFixture('http-get-cjs'), { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'undici' }, 1);
    expect(results).toMatchObject([{ kind: 'success', payload: 200 }]);
    expect(loaded).toEqual([]);
    const spans = await receiver().waitForSpans(1);
    expect(spans.map((s) => s.kind)).toEqual(['SERVER']);
    expect(downstream().traceparents).toEqual([undefined]);
  });
});
