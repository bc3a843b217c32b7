/**
 * The export's reliability mechanics against a real OTLP receiver on loopback: what is retried
 * within the bound, what is kept for the next export, what is dropped and counted, and that a
 * failing backend never costs more than the bound.
 */
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { loadConfig, type Env } from '../../../src/config/load';
import { createDiag } from '../../../src/diag';
import { Flusher, type FlusherOptions } from '../../../src/export/flusher';
import { destinationOf, sinkOpener } from '../../../src/export/open-sink';
import type { SpanSink } from '../../../src/export/sink';
import { SpanBuffer } from '../../../src/export/span-buffer';
import { LoopbackProxy } from '../../helpers/sandbox/http-proxy';
import { OtlpReceiver, type ReceiverBehaviour, type ReceiverTls } from '../../helpers/sandbox/otlp-receiver';
import { testCertificates } from '../../helpers/tls-certs';

const NO_DROPS = { 'over-budget': 0, 'buffer-full': 0, 'export-failed': 0, shutdown: 0, 'sampled-out': 0 };

interface Setup {
  readonly endpoint: string;
  readonly env?: Env;
  readonly options?: FlusherOptions;
  /** Wraps the sink the configuration opens, e.g. to make opening it slow. */
  readonly openSink?: (open: () => SpanSink) => () => SpanSink;
}

function flusherFor({ endpoint, env = {}, options, openSink = (open) => open }: Setup) {
  const lines: string[] = [];
  const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, ...env }, () => {});
  const buffer = new SpanBuffer(10);
  const diag = createDiag('info', (line) => lines.push(line));
  const flusher = new Flusher(buffer, openSink(sinkOpener(config)), destinationOf(config), diag, options);
  const tracer = new BasicTracerProvider({ spanProcessors: [buffer] }).getTracer('t');
  let made = 0;
  /** Ends `count` spans named s0, s1, ... in the order made. */
  const endSpans = (count: number): void => {
    for (let i = 0; i < count; i++) tracer.startSpan(`s${made++}`).end();
  };
  return { flusher, buffer, endSpans, lines };
}

// The first export loads the serialiser, which takes ts-jest long on a busy machine: not what these tests time.
beforeAll(() => import('../../../src/export/otlp-sink'));

const receivers: OtlpReceiver[] = [];
afterAll(() => Promise.all(receivers.map((r) => r.close())));

async function receiver(behaviour: ReceiverBehaviour = {}, tls?: ReceiverTls): Promise<OtlpReceiver> {
  const started = await OtlpReceiver.start(behaviour, { tls });
  receivers.push(started);
  return started;
}

const names = (r: OtlpReceiver): string[] => r.spans().map((s) => s.name).sort();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` and returns how long it took, in ms. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

describe('Flusher', () => {
  it('posts the buffered spans as OTLP protobuf and empties the buffer', async () => {
    const backend = await receiver();
    const { flusher, buffer, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(3);
    await flusher.flush(1000);
    expect(names(backend)).toEqual(['s0', 's1', 's2']);
    expect(backend.requests()).toHaveLength(1);
    expect(buffer.size).toBe(0);
    expect(lines).toEqual([]);
    expect(flusher.takeDropped()).toBeUndefined();
    expect(flusher.totals()).toEqual({ exported: 3, waiting: 0, dropped: NO_DROPS });
  });

  it('loses nothing to a rolling deploy that answers the first three requests 503: retried within the bound', async () => {
    const backend = await receiver({ answers: (n) => (n < 3 ? { status: 503 } : {}) });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(2);
    const took = await timed(() => flusher.flush(500)); // LAMBDA_OTEL_FLUSH_TIMEOUT_MS's default
    expect(names(backend)).toEqual(['s0', 's1']);
    expect(backend.requests().map((r) => r.accepted)).toEqual([false, false, false, true]);
    // Three waits of 25, 50 and 100 ms (±20 %) between the four attempts.
    expect(took).toBeGreaterThanOrEqual(0.8 * 175 - 5);
    expect(took).toBeLessThan(500);
    expect(lines).toEqual([]);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i', async (status) => {
    const backend = await receiver({ answers: (n) => (n === 0 ? { status } : {}) });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    await flusher.flush(1000);
    expect(backend.requests().map((r) => r.accepted)).toEqual([false, true]);
    expect(names(backend)).toEqual(['s0']);
    expect(lines).toEqual([]);
  });

  it.each([400, 401, 403, 404, 413])('does not retry HTTP %i: drops the spans, counts them and says so once', async (status) => {
    const backend = await receiver({ status });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(2);
    await flusher.flush(1000);
    expect(backend.requests()).toHaveLength(1);
    expect(lines).toEqual([expect.stringContaining(`WARN export to ${backend.tracesUrl} failed (HTTP ${status}); 2 spans dropped.`)]);
    expect(flusher.takeDropped()).toEqual({ ...NO_DROPS, 'export-failed': 2 });
    expect(flusher.takeDropped()).toBeUndefined();
  });

  it('quotes what the backend said when it refuses in text', async () => {
    const backend = await receiver({ status: 400, message: 'span has no name' });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    await flusher.flush(1000);
    expect(lines).toEqual([expect.stringContaining('failed (HTTP 400: {"code":3,"message":"span has no name"}); 1 spans dropped')]);
  });

  it('loses nothing to a backend that fails every other request, and says nothing', async () => {
    const backend = await receiver({ answers: (n) => (n % 2 === 0 ? { status: 503 } : {}) });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    for (let n = 0; n < 3; n++) {
      endSpans(2);
      await flusher.flush(1000);
    }
    expect(names(backend)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
    expect(lines).toEqual([]);
  });

  it('waits as long as Retry-After asks (seconds or an HTTP date) when that fits in the bound', async () => {
    for (const retryAfter of ['1', () => new Date(Date.now() + 2000).toUTCString()]) {
      const backend = await receiver({ answers: (n) => (n === 0 ? { status: 429, retryAfter: typeof retryAfter === 'string' ? retryAfter : retryAfter() } : {}) });
      const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
      endSpans(1);
      await flusher.flush(3000);
      const [refused, accepted] = backend.requests();
      expect(accepted?.accepted).toBe(true);
      // One second at least (an HTTP date counts in whole seconds); our own back-off would be 25 ms.
      expect(accepted.startedAt - refused.receivedAt).toBeGreaterThanOrEqual(950);
      expect(lines).toEqual([]);
    }
  });

  it('skips the backend for as long as a Retry-After that does not fit asks, then sends the kept spans', async () => {
    const backend = await receiver({ answers: (n) => (n === 0 ? { status: 503, retryAfter: '3' } : {}) });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    const took = await timed(() => flusher.flush(300));
    // No waiting for a retry that could not happen in time.
    expect(took).toBeLessThan(250);
    expect(lines).toEqual([expect.stringContaining('failed (HTTP 503); 1 spans kept for the export after a 3 s pause.')]);
    await sleep(2200); // past our own 2 s pause, not past the backend's 3 s
    endSpans(1);
    await flusher.flush(300);
    expect(backend.requests()).toHaveLength(1);
    await sleep(1000);
    await flusher.flush(300);
    expect(backend.requests()).toHaveLength(2);
    expect(names(backend)).toEqual(['s0', 's1']);
  });

  it('gives up on a hanging backend at the bound, keeps the spans, skips it for 2 s, then sends them all', async () => {
    const backend = await receiver({ hang: true });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    const first = await timed(() => flusher.flush(150));
    expect(first).toBeGreaterThanOrEqual(140); // a timer may fire up to 1 ms early against performance.now()
    expect(first).toBeLessThan(400);
    expect(lines).toEqual([expect.stringContaining('failed (no answer within 150 ms); 1 spans kept for the export after a 2 s pause.')]);
    // Skipping: the next flushes cost nothing and send nothing; their spans wait in the buffer.
    for (let n = 0; n < 2; n++) {
      endSpans(1);
      expect(await timed(() => flusher.flush(150))).toBeLessThan(50);
    }
    expect(backend.requests()).toHaveLength(1);
    expect(flusher.totals()).toEqual({ exported: 0, waiting: 3, dropped: NO_DROPS });
    backend.setBehaviour({});
    await sleep(2000);
    await flusher.flush(1000);
    expect(names(backend)).toEqual(['s0', 's1', 's2']);
    expect(flusher.totals()).toEqual({ exported: 3, waiting: 0, dropped: NO_DROPS });
  });

  it('names the bound it was given in its diagnostic, however long opening the sink took', async () => {
    // The flake this replaces: the bound was recomputed from Date.now() after an await, and read
    // "149 ms" whenever the millisecond ticked over in between.
    const backend = await receiver({ hang: true });
    const slowOpen = (open: () => SpanSink) => () => {
      const until = performance.now() + 5;
      while (performance.now() < until);
      return open();
    };
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url, openSink: slowOpen });
    endSpans(1);
    await flusher.flush(150);
    expect(lines).toEqual([expect.stringContaining('(no answer within 150 ms)')]);
  });

  it('sends spans whose send got no answer once more at most: a backend answering in 2 s gets each span twice at most', async () => {
    const backend = await receiver({ delayMs: 2000 }); // records the spans, then answers too late
    const { flusher, endSpans } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    await flusher.flush(100);
    endSpans(1);
    await flusher.flushBeforeExit(100); // the pause does not apply to the last flush
    expect(backend.spans().map((s) => s.name)).toEqual(['s0', 's0', 's1']);
    // s0 went twice unanswered: dropped; s1 once: still waiting when the flush ended.
    expect(flusher.totals()).toEqual({ exported: 0, waiting: 0, dropped: { ...NO_DROPS, 'export-failed': 1, shutdown: 1 } });
  });

  it('takes an answer cut short after a 200 status as delivered', async () => {
    const backend = await receiver({ answers: (n) => (n === 0 ? { cutShort: true } : {}) });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    await flusher.flush(1000);
    endSpans(1);
    await flusher.flush(1000);
    expect(backend.spans().map((s) => s.name)).toEqual(['s0', 's1']);
    expect(backend.requests()).toHaveLength(2);
    expect(lines).toEqual([]);
  });

  it('retries a connection closed without an answer', async () => {
    const backend = await receiver({ answers: (n) => (n === 0 ? { reset: true } : {}) });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    await flusher.flush(1000);
    expect(backend.requests().map((r) => r.accepted)).toEqual([false, true]);
    expect(names(backend)).toEqual(['s0']);
    expect(lines).toEqual([]);
  });

  it('retries at once on a fresh connection when a kept-alive one went stale', async () => {
    // The second request meets a socket that dies before answering, as one does after a long freeze.
    const backend = await receiver({ answers: (n) => (n === 1 ? { reset: true } : {}) });
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    await flusher.flush(1000);
    endSpans(1);
    await flusher.flush(1000);
    expect(backend.requests().map((r) => r.accepted)).toEqual([true, false, true]);
    expect(names(backend)).toEqual(['s0', 's1']);
    expect(lines).toEqual([]);
  });

  it.each([
    ['a refused connection', 'http://127.0.0.1:9', '(ECONNREFUSED) after'],
    ['a name that does not resolve', 'http://otlp.invalid:4318', '(ENOTFOUND) after'],
  ])('keeps the spans over %s, within the bound, and says so once', async (_name, endpoint, reason) => {
    const { flusher, endSpans, lines } = flusherFor({ endpoint });
    endSpans(1);
    expect(await timed(() => flusher.flush(300))).toBeLessThan(300 + 100);
    endSpans(1);
    expect(await timed(() => flusher.flush(300))).toBeLessThan(50);
    expect(lines).toEqual([expect.stringContaining(reason)]);
    expect(lines[0]).toContain('1 spans kept');
    expect(flusher.totals()).toEqual({ exported: 0, waiting: 2, dropped: NO_DROPS });
  });

  it('does not retry a certificate it cannot trust, and names the problem', async () => {
    const backend = await receiver({}, testCertificates().untrusted);
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    await flusher.flush(1000);
    expect(backend.requests()).toEqual([]);
    expect(lines).toEqual([
      expect.stringContaining(
        `export to ${backend.tracesUrl} failed (TLS handshake failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate; ` +
          'a private CA is trusted through NODE_EXTRA_CA_CERTS); 1 spans dropped.',
      ),
    ]);
    expect(flusher.takeDropped()).toEqual({ ...NO_DROPS, 'export-failed': 1 });
  });

  it('keeps at most the configured spans and bytes, dropping the oldest, and counts what it dropped', async () => {
    for (const options of [{ maxKeptSpans: 3 }, { maxKeptBytes: 600 }]) {
      const backend = await receiver({ status: 503 });
      const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url, options });
      endSpans(8);
      await flusher.flush(300);
      const kept = flusher.totals().waiting;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThanOrEqual(options.maxKeptSpans ?? 7);
      expect(flusher.takeDropped()).toEqual({ ...NO_DROPS, 'buffer-full': 8 - kept });
      expect(lines).toEqual([
        expect.stringContaining(`${8 - kept} spans dropped: more spans were waiting for export than the layer keeps.`),
        expect.stringContaining('spans kept for the export after a 2 s pause'),
      ]);
      // The newest were kept.
      backend.setBehaviour({});
      await flusher.flushBeforeExit(1000);
      expect(names(backend)).toEqual(Array.from({ length: kept }, (_, i) => `s${8 - kept + i}`).sort());
    }
  });

  it('counts the spans ended while the buffer was full', async () => {
    const backend = await receiver();
    const { flusher, endSpans, lines } = flusherFor({ endpoint: backend.url });
    endSpans(12);
    expect(flusher.takeDropped()).toEqual({ ...NO_DROPS, 'buffer-full': 2 });
    await flusher.flush(1000);
    expect(backend.spans()).toHaveLength(10);
    expect(lines).toEqual([expect.stringContaining('2 spans dropped: more spans were waiting for export than the layer keeps.')]);
    expect(flusher.totals()).toEqual({ exported: 10, waiting: 0, dropped: { ...NO_DROPS, 'buffer-full': 2 } });
  });

  it('at shutdown tries a backend it was skipping, and counts what it could not send', async () => {
    const backend = await receiver({ status: 503 });
    const { flusher, endSpans } = flusherFor({ endpoint: backend.url });
    endSpans(2);
    await flusher.flush(100);
    endSpans(1);
    expect(await timed(() => flusher.flushBeforeExit(200))).toBeLessThan(200 + 100);
    // Retried within the budget: the first flush's one request, then several.
    expect(backend.requests().length).toBeGreaterThan(2);
    expect(flusher.totals()).toEqual({ exported: 0, waiting: 0, dropped: { ...NO_DROPS, shutdown: 3 } });
  });

  it('lets a flush that finds another running wait for it, within its own bound', async () => {
    const backend = await receiver({ delayMs: 100 });
    const { flusher, endSpans } = flusherFor({ endpoint: backend.url });
    endSpans(1);
    const first = flusher.flush(1000);
    endSpans(1);
    const second = flusher.flush(1000);
    expect(await timed(() => flusher.flush(20))).toBeLessThan(80); // gives up waiting at its bound
    await Promise.all([first, second]);
    expect(names(backend)).toEqual(['s0', 's1']);
    expect(backend.requests()).toHaveLength(2);
  });

  describe('through a proxy', () => {
    let proxy: LoopbackProxy;
    beforeAll(async () => {
      proxy = await LoopbackProxy.start();
    });
    afterAll(() => proxy.close());

    it('exports through http_proxy, and directly for hosts in no_proxy', async () => {
      const backend = await receiver();
      const through = flusherFor({ endpoint: backend.url, env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' } });
      through.endSpans(1);
      await through.flusher.flush(1000);
      expect(proxy.requests()).toEqual([{ method: 'POST', target: backend.tracesUrl, proxyAuthorization: undefined }]);
      const direct = flusherFor({ endpoint: backend.url, env: { http_proxy: proxy.url, no_proxy: '127.0.0.1' } });
      direct.endSpans(1);
      await direct.flusher.flush(1000);
      expect(proxy.requests()).toHaveLength(1);
      expect(backend.spans()).toHaveLength(2);
      expect([...through.lines, ...direct.lines]).toEqual([]);
    });

    it('refuses a proxy it cannot use with one line that names the variable, not its value', async () => {
      const backend = await receiver();
      const { flusher, endSpans, lines } = flusherFor({
        endpoint: backend.url,
        env: { http_proxy: 'https://user:secret@proxy.internal', HTTP_PROXY: 'http://ignored:3128' },
      });
      endSpans(1);
      await flusher.flush(1000);
      expect(lines).toEqual([
        expect.stringContaining('failed (http_proxy: the proxy URL is https://…; only http:// proxies are supported); 1 spans dropped.'),
      ]);
      expect(lines[0]).not.toContain('secret');
    });
  });
});
