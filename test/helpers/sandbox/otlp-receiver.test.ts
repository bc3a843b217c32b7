/**
 * The OTLP receiver decodes what OpenTelemetry JS' own serializers produce (protobuf and JSON,
 * plain and gzip), and answers as told (delay, error status, hang).
 */
import { gzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { nowMs } from './clock';
import { OtlpReceiver } from './otlp-receiver';

function makeSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'svc', 'cloud.provider': 'aws' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('scope-a', '1.2.3');
  const parent = tracer.startSpan('parent', {
    kind: SpanKind.SERVER,
    attributes: { str: 's', int: 42, dbl: 1.5, bool: true, arr: ['x', 'y'], zero: 0 },
    startTime: [1700000000, 123456789],
  });
  parent.addEvent('evt', { k: 'v' });
  parent.setStatus({ code: SpanStatusCode.ERROR, message: 'bad' });
  const child = tracer.startSpan('child', { kind: SpanKind.CLIENT, links: [{ context: parent.spanContext(), attributes: { l: 1 } }] }, trace.setSpan(context.active(), parent));
  child.end();
  parent.end([1700000001, 0]);
  return exporter.getFinishedSpans();
}

async function post(receiver: OtlpReceiver, body: Uint8Array, contentType: string, gzip = false, signal?: AbortSignal): Promise<number> {
  const res = await fetch(receiver.tracesUrl, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) },
    body: gzip ? gzipSync(body) : body,
    signal,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('OtlpReceiver', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.reset();
    receiver.setBehaviour({});
  });

  const encodings = [
    ['protobuf', 'application/x-protobuf', ProtobufTraceSerializer],
    ['JSON', 'application/json', JsonTraceSerializer],
  ] as const;

  it.each(encodings.flatMap(([name, type, ser]) => [[name, type, ser, false] as const, [`${name} gzip`, type, ser, true] as const]))(
    'decodes %s',
    async (_name, contentType, serializer, gzip) => {
      const spans = makeSpans();
      const body = serializer.serializeRequest(spans) as Uint8Array;
      const before = nowMs();
      expect(await post(receiver, body, contentType, gzip)).toBe(200);
      const got = await receiver.waitForSpans(2, 2000);
      const parent = got.find((s) => s.name === 'parent');
      const child = got.find((s) => s.name === 'child');
      if (parent === undefined || child === undefined) throw new Error('spans missing');
      const original = spans.find((s) => s.name === 'parent') as ReadableSpan;
      expect(parent.traceId).toBe(original.spanContext().traceId);
      expect(parent.spanId).toBe(original.spanContext().spanId);
      expect(parent.parentSpanId).toBe('');
      expect(child.parentSpanId).toBe(parent.spanId);
      expect(child.traceId).toBe(parent.traceId);
      expect(parent.kind).toBe('SERVER');
      expect(child.kind).toBe('CLIENT');
      expect(parent.startTimeUnixNano).toBe(1700000000123456789n);
      expect(parent.endTimeUnixNano).toBe(1700000001000000000n);
      expect(parent.attributes).toEqual({ str: 's', int: 42, dbl: 1.5, bool: true, arr: ['x', 'y'], zero: 0 });
      expect(parent.resource).toMatchObject({ 'service.name': 'svc', 'cloud.provider': 'aws' });
      expect(parent.scope).toEqual({ name: 'scope-a', version: '1.2.3' });
      expect(parent.status).toEqual({ code: 'ERROR', message: 'bad' });
      expect(child.status.code).toBe('UNSET');
      expect(parent.events).toEqual([expect.objectContaining({ name: 'evt', attributes: { k: 'v' } })]);
      expect(child.links).toEqual([{ traceId: parent.traceId, spanId: parent.spanId, attributes: { l: 1 } }]);

      const [request] = receiver.requests();
      expect(request).toMatchObject({ path: '/v1/traces', contentType, contentEncoding: gzip ? 'gzip' : '', spanCount: 2, accepted: true });
      expect(request.receivedAt).toBeGreaterThanOrEqual(before);
    },
  );

  it('decodes hand-made OTLP/JSON with integer enums and string nanos', async () => {
    const json = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hand' } }] },
          scopeSpans: [
            {
              scope: { name: 'manual' },
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  parentSpanId: 'eee19b7ec3c1b173',
                  name: 'op',
                  kind: 5,
                  startTimeUnixNano: '1544712660000000000',
                  endTimeUnixNano: '1544712661000000000',
                  attributes: [
                    { key: 'n', value: { intValue: '7' } },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: false } }] } } },
                  ],
                  status: { code: 1 },
                },
              ],
            },
          ],
        },
      ],
    };
    expect(await post(receiver, Buffer.from(JSON.stringify(json)), 'application/json')).toBe(200);
    const [span] = await receiver.waitForSpans(1, 2000);
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      kind: 'CONSUMER',
      startTimeUnixNano: 1544712660000000000n,
      attributes: { n: 7, kv: { a: false } },
      resource: { 'service.name': 'hand' },
      scope: { name: 'manual', version: '' },
      status: { code: 'OK', message: '' },
    });
  });

  it('answers with the configured status and delay, and records refused requests without their spans', async () => {
    const body = ProtobufTraceSerializer.serializeRequest(makeSpans()) as Uint8Array;
    receiver.setBehaviour({ status: 503 });
    expect(await post(receiver, body, 'application/x-protobuf')).toBe(503);
    expect(receiver.spans()).toEqual([]);
    expect(receiver.requests()).toEqual([expect.objectContaining({ accepted: false, spanCount: 2 })]);

    receiver.setBehaviour({ delayMs: 150 });
    const start = nowMs();
    expect(await post(receiver, body, 'application/x-protobuf')).toBe(200);
    expect(nowMs() - start).toBeGreaterThanOrEqual(140);
    expect(receiver.spans()).toHaveLength(2);
  });

  it('can hang without answering', async () => {
    receiver.setBehaviour({ hang: true });
    const abort = new AbortController();
    const pending = post(receiver, ProtobufTraceSerializer.serializeRequest(makeSpans()) as Uint8Array, 'application/x-protobuf', false, abort.signal);
    await receiver.waitForRequests(1, 2000);
    abort.abort();
    await expect(pending).rejects.toThrow();
    expect(receiver.spans()).toEqual([]);
  });

  it('rejects undecodable bodies with 400', async () => {
    expect(await post(receiver, Buffer.from([0xff, 0xff, 0xff]), 'application/x-protobuf')).toBe(400);
    expect(receiver.requests()[0].error).toBeDefined();
  });
});
