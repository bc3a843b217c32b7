import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config/load';
import { destinationOf, sinkOpener } from '../../../src/export/open-sink';

let server: Server;
let url: string;
let status = 200;
const bodies: Buffer[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const within = (ms: number) => ({ at: performance.now() + ms, ms });

function spans(): ReadableSpan[] {
  const ended: ReadableSpan[] = [];
  const tracer = new BasicTracerProvider({
    spanProcessors: [{ onStart: () => {}, onEnd: (span) => ended.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
  }).getTracer('t');
  tracer.startSpan('checkout').end();
  return ended;
}

describe('OTEL_TRACES_EXPORTER=otlp,console', () => {
  const config = () => loadConfig({ OTEL_TRACES_EXPORTER: 'otlp,console', OTEL_EXPORTER_OTLP_ENDPOINT: url }, () => {});

  it('sends every span to each exporter', async () => {
    const printed = jest.spyOn(console, 'dir').mockImplementation(() => {});
    try {
      bodies.length = 0;
      status = 200;
      const sink = await sinkOpener(config())();
      expect(await sink.send(spans(), within(1000))).toEqual({ ok: true });
      expect(bodies).toHaveLength(1);
      expect(bodies[0].includes(Buffer.from('checkout'))).toBe(true);
      expect(printed).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(printed.mock.calls[0][0])).toContain('checkout');
    } finally {
      printed.mockRestore();
    }
  });

  it('fails when one exporter fails, naming it', async () => {
    const printed = jest.spyOn(console, 'dir').mockImplementation(() => {});
    try {
      status = 503;
      const result = await (await sinkOpener(config())()).send(spans(), within(100));
      // Retried within the bound, then kept for a later export: a 503 may pass later.
      expect(result).toMatchObject({ ok: false, retryable: true });
      expect(!result.ok && result.reason).toMatch(/^otlp: HTTP 503$/);
      expect(printed).toHaveBeenCalledTimes(1);
    } finally {
      printed.mockRestore();
    }
  });

  it('names both destinations', () => {
    expect(destinationOf(config())).toBe(`${url}/v1/traces and the console`);
  });
});
