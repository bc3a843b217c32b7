/**
 * Issue #10: context never leaks between invocations. Baggage and trace context of one warm
 * invocation are gone in the next, including over connections kept alive from one to the next;
 * work the first invocation left behind (a timer) keeps the first invocation's context, as
 * AsyncLocalStorage means it to.
 */
import { loadEvent } from '../helpers/events';
import { linkOtelApi, useReceiver, withLayer } from '../helpers/layer';
import { Downstream } from '../helpers/sandbox/downstream';
import { runtimes } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

interface Seen {
  readonly traceId: string | undefined;
  readonly baggage: string[];
}

const FIRST_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** An API Gateway request to the function, with or without the caller's trace context and baggage. */
function request(downstream: string, n: number, withContext: boolean): Record<string, unknown> {
  const event = loadEvent('api-gateway-v2');
  const headers = { ...(event.headers as Record<string, string>) };
  if (!withContext) {
    delete headers.traceparent;
    delete headers.tracestate;
    delete headers.baggage;
  }
  return { ...event, headers, queryStringParameters: { downstream, n: String(n) } };
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();
  let downstream: Downstream;
  beforeAll(async () => (downstream = await Downstream.start({ status: 200 })));
  afterAll(() => downstream.close());
  beforeEach(() => downstream.reset());

  it('starts every invocation from its own context only', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url };
    const bodies = await withLayer({ runtime, taskRoot: linkOtelApi(functionFixture('no-leaks')), handler: 'index.handler', env }, async (sandbox) => {
      const out: { now: Seen; leftover?: Seen }[] = [];
      for (const [n, withContext] of [[1, true], [2, false], [3, false]] as const) {
        const result = await sandbox.invoke(request(downstream.url(''), n, withContext));
        if (result.kind !== 'success') throw new Error(`invocation ${n}: ${result.kind}`);
        out.push(JSON.parse((result.payload as { body: string }).body) as { now: Seen; leftover?: Seen });
        // Frozen past the first invocation's 50 ms timer: it fires when the next one thaws.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return out;
    });

    // The first invocation continues its caller's trace and sees its baggage.
    expect(bodies[0].now).toEqual({ traceId: FIRST_TRACE, baggage: ['tenant=acme'] });
    // The next ones start clean: their own trace, no baggage.
    for (const body of bodies.slice(1)) {
      expect(body.now.baggage).toEqual([]);
      expect(body.now.traceId).not.toBe(FIRST_TRACE);
      expect(body.now.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(bodies[1].now.traceId).not.toBe(bodies[2].now.traceId);
    // What the first invocation left behind keeps its own context, as AsyncLocalStorage means it to.
    expect(bodies[2].leftover).toEqual({ traceId: FIRST_TRACE, baggage: ['user=alice'] });

    // Downstream, over kept-alive connections: each call carries its own invocation's context only.
    for (const [n, body] of bodies.entries()) {
      for (const client of ['fetch', 'http']) {
        const seen = downstream.requests().find((r) => r.path === `/${client}/${n + 1}`);
        expect(String(seen?.headers.traceparent)).toContain(body.now.traceId ?? 'none');
        expect(seen?.headers.baggage).toBe(n === 0 ? 'tenant=acme' : undefined);
      }
    }
    const spans = await receiver().waitForSpans(9);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(3);
  });
});
