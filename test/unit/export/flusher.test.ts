import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config/load';
import { createDiag } from '../../../src/diag';
import { Flusher } from '../../../src/export/flusher';
import { destinationOf, sinkOpener } from '../../../src/export/open-sink';
import { SpanBuffer } from '../../../src/export/span-buffer';

/** `reset-reused`: kills a kept-alive connection on its second request, as a stale socket fails after a freeze. */
type Behaviour = 'ok' | 'fail' | 'hang' | 'reset-reused';

async function backend(behaviour: Behaviour): Promise<{ server: Server; url: string; bodies: Buffer[] }> {
  const bodies: Buffer[] = [];
  const served = new WeakSet<object>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (behaviour === 'reset-reused' && served.has(req.socket)) {
        req.socket.resetAndDestroy();
        return;
      }
      served.add(req.socket);
      bodies.push(Buffer.concat(chunks));
      if (behaviour === 'hang') return;
      res.writeHead(behaviour === 'fail' ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

function flusherFor(endpoint: string) {
  const lines: string[] = [];
  const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, () => {});
  const buffer = new SpanBuffer(10);
  const flusher = new Flusher(buffer, sinkOpener(config), destinationOf(config), createDiag('info', (l) => lines.push(l)));
  const tracer = new BasicTracerProvider({ spanProcessors: [buffer] }).getTracer('t');
  const endSpans = (count: number) => {
    for (let i = 0; i < count; i++) tracer.startSpan(`s${i}`).end();
  };
  return { flusher, buffer, endSpans, lines };
}

const servers: Server[] = [];
afterAll(() =>
  servers.forEach((server) => {
    server.closeAllConnections();
    server.close();
  }),
);

describe('Flusher', () => {
  it('posts the buffered spans as OTLP protobuf and empties the buffer', async () => {
    const { server, url, bodies } = await backend('ok');
    servers.push(server);
    const { flusher, buffer, endSpans, lines } = flusherFor(url);
    endSpans(3);
    await flusher.flush(1000);
    expect(bodies).toHaveLength(1);
    expect(bodies[0].includes(Buffer.from('s2'))).toBe(true);
    expect(buffer.size).toBe(0);
    expect(lines).toEqual([]);
  });

  it('gives up on a hanging backend at the bound, says so once, and backs off', async () => {
    const { server, url, bodies } = await backend('hang');
    servers.push(server);
    const { flusher, buffer, endSpans, lines } = flusherFor(url);
    for (let i = 0; i < 3; i++) {
      endSpans(1);
      const started = Date.now();
      await flusher.flush(150);
      expect(Date.now() - started).toBeLessThan(400);
    }
    expect(lines).toEqual([expect.stringContaining('no answer within 150 ms')]);
    expect(lines[0]).toContain('1 spans dropped');
    // Backing off: no new request, the later spans wait in the buffer for the next attempt.
    expect(bodies).toHaveLength(1);
    expect(buffer.size).toBe(2);
  });

  it('retries once on a fresh connection when a kept-alive one went stale', async () => {
    const { server, url, bodies } = await backend('reset-reused');
    servers.push(server);
    const { flusher, endSpans, lines } = flusherFor(url);
    endSpans(1);
    await flusher.flush(1000);
    endSpans(1);
    await flusher.flush(1000);
    expect(bodies).toHaveLength(2);
    expect(lines).toEqual([]);
  });

  it('reports a refused connection and an error status once each, never throwing', async () => {
    const dead = await backend('ok');
    const deadUrl = dead.url;
    await new Promise((resolve) => dead.server.close(resolve));
    const failing = await backend('fail');
    servers.push(failing.server);

    const refused = flusherFor(deadUrl);
    refused.endSpans(1);
    await refused.flusher.flush(500);
    refused.endSpans(1);
    await refused.flusher.flush(500);
    expect(refused.lines).toEqual([expect.stringContaining('(ECONNREFUSED)')]);

    const rejected = flusherFor(failing.url);
    rejected.endSpans(1);
    await rejected.flusher.flush(500);
    expect(rejected.lines).toEqual([expect.stringContaining('(HTTP 503)')]);
  });

  it('drops spans past the buffer limit and says how many', async () => {
    const { server, url, bodies } = await backend('ok');
    servers.push(server);
    const { flusher, endSpans, lines } = flusherFor(url);
    endSpans(12);
    await flusher.flush(1000);
    expect(bodies).toHaveLength(1);
    expect(lines).toEqual([expect.stringContaining('2 spans dropped')]);
  });
});
