/**
 * Decoded spans as the receiver gives them, shaped like the demo's: an API request that finds its
 * order and sends a message (a cold start), one whose DynamoDB call fails, and the consumer of that
 * message, linked to its producer; plus an init span of no known parent, as any new kind of span
 * the layer may add. For the trace views' tests.
 */
import type { ReceivedSpan, SpanKindName } from './sandbox/otlp-decode';

export const SAMPLE = {
  api: { traceId: 'a'.repeat(32), server: 'a1'.repeat(8), get: 'a2'.repeat(8), send: 'a3'.repeat(8) },
  failing: { traceId: 'b'.repeat(32), server: 'b1'.repeat(8), get: 'b2'.repeat(8) },
  worker: { traceId: 'c'.repeat(32), consumer: 'c1'.repeat(8), put: 'c2'.repeat(8), init: 'c3'.repeat(8) },
  requestId: 'fake-aws-request-4711',
  errorMessage: 'The provided key element does not match the schema',
} as const;

const T0 = 1_764_600_000_000_000_000n;
const ms = (n: number): bigint => T0 + BigInt(Math.round(n * 1e6));

function span(fields: {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKindName;
  start: number;
  end: number;
  service: string;
  attributes?: Record<string, unknown>;
  error?: string;
  links?: ReceivedSpan['links'];
}): ReceivedSpan {
  return {
    traceId: fields.traceId,
    spanId: fields.spanId,
    parentSpanId: fields.parentSpanId ?? '',
    traceState: '',
    name: fields.name,
    kind: fields.kind,
    startTimeUnixNano: ms(fields.start),
    endTimeUnixNano: ms(fields.end),
    attributes: fields.attributes ?? {},
    resource: { 'service.name': fields.service, 'cloud.provider': 'aws', 'telemetry.distro.name': 'lambda-otel-preload' },
    scope: { name: 'lambda-otel-preload', version: '' },
    status: fields.error === undefined ? { code: 'UNSET', message: '' } : { code: 'ERROR', message: fields.error },
    events:
      fields.error === undefined
        ? []
        : [{ name: 'exception', timeUnixNano: ms(fields.end), attributes: { 'exception.type': 'ValidationException', 'exception.message': fields.error } }],
    links: fields.links ?? [],
    droppedAttributesCount: 0,
    flags: 1,
  };
}

export function sampleSpans(): ReceivedSpan[] {
  const { api, failing, worker } = SAMPLE;
  return [
    span({ traceId: api.traceId, spanId: api.server, name: 'GET /orders/{id}', kind: 'SERVER', start: 0, end: 72, service: 'orders-api', attributes: { 'faas.coldstart': true, 'http.route': '/orders/{id}' } }),
    span({ traceId: api.traceId, spanId: api.get, parentSpanId: api.server, name: 'DynamoDB.GetItem', kind: 'CLIENT', start: 5, end: 60, service: 'orders-api', attributes: { 'aws.request_id': SAMPLE.requestId, 'rpc.method': 'GetItem' } }),
    span({ traceId: api.traceId, spanId: api.send, parentSpanId: api.server, name: 'shipments send', kind: 'PRODUCER', start: 62, end: 70, service: 'orders-api' }),
    span({ traceId: failing.traceId, spanId: failing.server, name: 'GET /orders/{id}', kind: 'SERVER', start: 200, end: 210, service: 'orders-api', error: SAMPLE.errorMessage, attributes: { 'faas.coldstart': false } }),
    span({ traceId: failing.traceId, spanId: failing.get, parentSpanId: failing.server, name: 'DynamoDB.GetItem', kind: 'CLIENT', start: 200.5, end: 209, service: 'orders-api', error: SAMPLE.errorMessage }),
    span({ traceId: worker.traceId, spanId: worker.init, parentSpanId: 'd0'.repeat(8), name: 'init', kind: 'INTERNAL', start: 300, end: 340, service: 'order-worker' }),
    span({ traceId: worker.traceId, spanId: worker.consumer, name: 'process shipments', kind: 'CONSUMER', start: 350, end: 380, service: 'order-worker', attributes: { 'faas.coldstart': true }, links: [{ traceId: api.traceId, spanId: api.send, attributes: {} }] }),
    span({ traceId: worker.traceId, spanId: worker.put, parentSpanId: worker.consumer, name: 'DynamoDB.PutItem', kind: 'CLIENT', start: 352, end: 378, service: 'order-worker' }),
  ];
}
