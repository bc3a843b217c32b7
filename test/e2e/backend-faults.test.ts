/**
 * Issue #10, the OTLP backend's faults, end to end on both runtimes (after-response export, the
 * default): whatever the backend does, the function answers the same and as fast, the
 * environment is frozen no later than the flush bound after the answer, what can be delivered
 * arrives once, and a fault the layer cannot get past prints one line.
 */
import { comparable, LAYER_WRAPPER, withLayer } from '../helpers/layer';
import { LoopbackProxy } from '../helpers/sandbox/http-proxy';
import { OtlpReceiver, type ReceiverBehaviour, type ReceiverTls } from '../helpers/sandbox/otlp-receiver';
import { runtimes, Sandbox, type InvokeResult, type RuntimeName } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { testCertificates } from '../helpers/tls-certs';

/** LAMBDA_OTEL_FLUSH_TIMEOUT_MS's default. */
const BOUND_MS = 500;
/** What a loaded 2-core machine may add to a step of the sandbox (freeze detection, scheduling). */
const MARGIN_MS = 300;
/** Our back-off after a failed export: the next flushes skip the backend this long. */
const PAUSE_MS = 2000;

/** The caller's view is that of the function alone; the export after the answer kept within its bound. */
function expectUnaffected(result: InvokeResult, n: number, boundMs: number): void {
  expect(comparable(result)).toMatchObject({ kind: 'success', payload: { echo: { n } } });
  const { invokeStart, responseAt, frozenAt } = result.timing;
  expect((responseAt ?? Infinity) - invokeStart).toBeLessThan(MARGIN_MS);
  expect((frozenAt ?? Infinity) - (responseAt ?? Infinity)).toBeLessThan(boundMs + MARGIN_MS);
}

/** How long the environment stayed thawed after the answer. */
const afterAnswer = (result: InvokeResult): number => (result.timing.frozenAt ?? Infinity) - (result.timing.responseAt ?? Infinity);

const ourLines = (sandbox: Sandbox): string[] => sandbox.logs().split('\n').filter((line) => line.includes('[lambda-otel-preload]'));

/** Request ids of the invocation spans the receiver got, sorted, repeats included. */
const deliveredIds = (receiver: OtlpReceiver): string[] =>
  receiver
    .spans()
    .map((s) => String(s.attributes['faas.invocation_id']))
    .sort();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Run {
  readonly runtime: RuntimeName;
  readonly receiver: OtlpReceiver;
  readonly env?: Record<string, string>;
  /** Default: the receiver's URL. */
  readonly endpoint?: string;
  /** LAMBDA_OTEL_FLUSH_TIMEOUT_MS; its default by default. */
  readonly boundMs?: number;
}

/** Invokes the echo function `count` times, with `between` run after each invocation; `check` sees the sandbox before its shutdown. */
async function invokeEcho(
  { runtime, receiver, env = {}, endpoint = receiver.url, boundMs = BOUND_MS }: Run,
  count: number,
  check: (sandbox: Sandbox, results: InvokeResult[]) => Promise<void> | void,
  between: (n: number) => Promise<void> | void = () => undefined,
): Promise<InvokeResult[]> {
  return withLayer(
    {
      runtime,
      taskRoot: functionFixture('echo-cjs'),
      handler: 'index.handler',
      // No init spans: the counts below are of the invocations' spans (the init has its own tests).
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, LAMBDA_OTEL_FLUSH_TIMEOUT_MS: String(boundMs), LAMBDA_OTEL_INIT_SPANS: 'off', ...env },
    },
    async (sandbox) => {
      const results: InvokeResult[] = [];
      for (let n = 0; n < count; n++) {
        const result = await sandbox.invoke({ n });
        expectUnaffected(result, n, boundMs);
        results.push(result);
        await between(n);
      }
      await check(sandbox, results);
      return results;
    },
  );
}

describe.each(runtimes.map((r) => r.name))('%s, OTLP backend faults', (runtime) => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
  });
  afterAll(() => receiver.close());
  const useBehaviour = (behaviour: ReceiverBehaviour): void => {
    receiver.reset();
    receiver.setBehaviour(behaviour);
  };

  it.each([
    ['a refused connection', 'http://127.0.0.1:9', '(ECONNREFUSED)'],
    ['a name that does not resolve', 'http://otlp.invalid:4318', '(ENOTFOUND)'],
  ])('%s: one line, the bound once, then skipped', async (_fault, endpoint, reason) => {
    await invokeEcho({ runtime, receiver, endpoint }, 3, (sandbox, results) => {
      // The first export retries within the bound; the next ones skip the backend for a while.
      expect(afterAnswer(results[1])).toBeLessThan(150);
      expect(afterAnswer(results[2])).toBeLessThan(150);
      expect(ourLines(sandbox)).toEqual([expect.stringContaining(`export to ${endpoint}/v1/traces failed ${reason} after`)]);
    });
  });

  it.each([
    ['503 to the first three requests (a rolling deploy)', (n: number) => (n < 3 ? { status: 503 } : {})],
    ['500 to the first request', (n: number) => (n === 0 ? { status: 500 } : {})],
    ['429 with Retry-After: 0 to the first request', (n: number) => (n === 0 ? { status: 429, retryAfter: '0' } : {})],
    ['503 to every other request', (n: number) => (n % 2 === 0 ? { status: 503 } : {})],
    ['a connection cut mid-answer, after its 200 status', () => ({ cutShort: true })],
    ['a connection closed without an answer, every other request', (n: number) => (n % 2 === 0 ? { reset: true } : {})],
  ])('%s: nothing lost, nothing said', async (_fault, answers) => {
    useBehaviour({ answers });
    // Retries share the bound; the default's 500 ms fit four attempts (test/unit/export/flusher.test.ts),
    // but a busy machine can take half of that to load the serialiser at the first export.
    const results = await invokeEcho({ runtime, receiver, boundMs: 1000 }, 4, (sandbox) => expect(ourLines(sandbox)).toEqual([]));
    expect(deliveredIds(receiver)).toEqual(results.map((r) => r.requestId).sort());
  });

  it('a refusal (HTTP 400): the spans are dropped, and the count is on the next invocation span', async () => {
    useBehaviour({ answers: (n) => (n === 0 ? { status: 400 } : {}) });
    const results = await invokeEcho({ runtime, receiver }, 2, (sandbox) => {
      expect(ourLines(sandbox)).toEqual([expect.stringContaining('failed (HTTP 400); 1 spans dropped.')]);
    });
    const [second] = receiver.spans();
    expect(second.attributes['faas.invocation_id']).toBe(results[1].requestId);
    expect(second.attributes['lambda_otel.spans_dropped.export_failed']).toBe(1);
  });

  it('at shutdown, one line accounts for the environment: exported, and dropped by reason', async () => {
    useBehaviour({ answers: (n) => (n === 0 ? { status: 400 } : {}) });
    const sandbox = await Sandbox.start({
      runtime,
      taskRoot: functionFixture('echo-cjs'),
      handler: 'index.handler',
      wrapper: LAYER_WRAPPER,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, LAMBDA_OTEL_INIT_SPANS: 'off' },
    });
    for (let n = 0; n < 3; n++) expectUnaffected(await sandbox.invoke({ n }), n, BOUND_MS);
    await sandbox.shutdown();
    expect(ourLines(sandbox).at(-1)).toMatch(/WARN shutdown flush took \d+ ms; this environment exported 2 spans and dropped 1 export-failed$/);
  });

  it('429 with a Retry-After longer than the bound: kept, the backend left alone that long, then sent', async () => {
    useBehaviour({ answers: (n) => (n === 0 ? { status: 429, retryAfter: '3' } : {}) });
    const results = await invokeEcho({ runtime, receiver }, 3, (sandbox) => {
      expect(ourLines(sandbox)).toEqual([expect.stringContaining('failed (HTTP 429); 1 spans kept for the export after a 3 s pause.')]);
    }, (n) => sleep(n === 0 ? 2500 : 1000));
    // Refused at the first invocation; the second, 2.5 s later (past our own 2 s pause), left the
    // backend alone; the third, 3.5 s later, sent all three.
    expect(receiver.requests().map((r) => r.spanCount)).toEqual([1, 3]);
    expect(afterAnswer(results[0])).toBeLessThan(150); // no retry waited for: it could not fit
    expect(deliveredIds(receiver)).toEqual(results.map((r) => r.requestId).sort());
  });

  it('hangs for ever: the bound once, skipped while paused, everything sent once it answers again', async () => {
    useBehaviour({ hang: true });
    const results = await invokeEcho({ runtime, receiver }, 3, (sandbox) => {
      expect(ourLines(sandbox)).toEqual([expect.stringContaining(`failed (no answer within ${BOUND_MS} ms); 1 spans kept`)]);
    }, (n) => {
      if (n === 1) {
        receiver.setBehaviour({});
        return sleep(PAUSE_MS);
      }
    });
    expect(afterAnswer(results[0])).toBeGreaterThanOrEqual(BOUND_MS - 50);
    expect(afterAnswer(results[1])).toBeLessThan(150);
    expect(deliveredIds(receiver)).toEqual(results.map((r) => r.requestId).sort());
  });

  it('answers in 2 s: the bound now and then, and every span arrives, twice at most', async () => {
    useBehaviour({ delayMs: 2000 }); // takes the spans, answers too late
    const results = await invokeEcho({ runtime, receiver }, 3, (sandbox) => {
      expect(ourLines(sandbox)).toEqual([expect.stringContaining(`failed (no answer within ${BOUND_MS} ms)`)]);
    }, (n) => (n === 0 ? sleep(PAUSE_MS) : undefined));
    expect(afterAnswer(results[1])).toBeGreaterThanOrEqual(BOUND_MS - 50); // the pause was over: tried again
    expect(afterAnswer(results[2])).toBeLessThan(150); // paused again
    const ids = deliveredIds(receiver);
    for (const { requestId } of results.slice(0, 2)) {
      const copies = ids.filter((id) => id === requestId).length;
      expect(copies).toBeGreaterThanOrEqual(1);
      expect(copies).toBeLessThanOrEqual(2);
    }
  });
});

describe.each(runtimes.map((r) => r.name))('%s, OTLP over TLS', (runtime) => {
  const certs = testCertificates();
  const trustTestCa = { NODE_EXTRA_CA_CERTS: certs.caFile };
  // The first export loads the serialiser and makes a TLS handshake (through a tunnel, for the
  // proxy): on a busy 2-core machine that alone can take most of the default 500 ms bound.
  const TLS_BOUND_MS = 1000;

  async function withTlsReceiver(tls: ReceiverTls, fn: (receiver: OtlpReceiver) => Promise<void>): Promise<void> {
    const receiver = await OtlpReceiver.start({}, { tls });
    try {
      await fn(receiver);
    } finally {
      await receiver.close();
    }
  }

  it('exports to a certificate from a CA in NODE_EXTRA_CA_CERTS, sends SNI, and resumes the session after a freeze', async () => {
    await withTlsReceiver(certs.localhost, async (receiver) => {
      // After each invocation the backend drops the idle connection, as one does over a long freeze.
      const results = await invokeEcho({ runtime, receiver, env: trustTestCa, boundMs: TLS_BOUND_MS }, 3, (sandbox) => expect(ourLines(sandbox)).toEqual([]), () => {
        receiver.dropIdleConnections();
      });
      expect(deliveredIds(receiver)).toEqual(results.map((r) => r.requestId).sort());
      expect(receiver.requests().map((r) => r.tls)).toEqual([
        { servername: 'localhost', sessionReused: false },
        { servername: 'localhost', sessionReused: true },
        { servername: 'localhost', sessionReused: true },
      ]);
    });
  });

  it.each([
    ['a certificate for another name', certs.otherHost, "(TLS handshake failed: ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:otlp.example.com)"],
    [
      'a certificate from a CA nobody trusts',
      certs.untrusted,
      '(TLS handshake failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate; a private CA is trusted through NODE_EXTRA_CA_CERTS)',
    ],
  ])('refuses %s: nothing sent, one line', async (_name, tls, reason) => {
    await withTlsReceiver(tls, async (receiver) => {
      await invokeEcho({ runtime, receiver, env: trustTestCa }, 2, (sandbox) => {
        expect(ourLines(sandbox)).toEqual([expect.stringContaining(`export to ${receiver.tracesUrl} failed ${reason}; 1 spans dropped.`)]);
      });
      expect(receiver.requests()).toEqual([]);
    });
  });

  it('goes through the proxy in HTTPS_PROXY with a CONNECT tunnel', async () => {
    const proxy = await LoopbackProxy.start();
    try {
      await withTlsReceiver(certs.localhost, async (receiver) => {
        const env = { ...trustTestCa, HTTPS_PROXY: proxy.url };
        const results = await invokeEcho({ runtime, receiver, env, boundMs: TLS_BOUND_MS }, 2, (sandbox) => expect(ourLines(sandbox)).toEqual([]));
        expect(deliveredIds(receiver)).toEqual(results.map((r) => r.requestId).sort());
        // One tunnel, kept alive across the freeze.
        expect(proxy.requests()).toEqual([{ method: 'CONNECT', target: `localhost:${receiver.port}`, proxyAuthorization: undefined }]);
      });
    } finally {
      await proxy.close();
    }
  });
});
