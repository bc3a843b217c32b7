/**
 * Issue #4, the receiving side: each event source's sample event, run through the real runtime
 * with the layer, gives an invocation span that says what triggered it (kind, name, attributes),
 * continues the caller's trace for HTTP requests with a W3C traceparent, links the records that
 * carry trace context, and reflects the HTTP answer, while the function answers exactly as it
 * does without the layer. One sandbox per runtime takes every event in turn.
 */
import type { ReceivedSpan, SpanKindName, StatusCodeName } from '../helpers/sandbox/otlp-decode';
import { runtimes, withSandbox, type InvokeResult, type Sandbox } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { loadEvent } from '../helpers/events';
import { comparable, useReceiver, withLayer } from '../helpers/layer';
import { parseTraceparent, parseXrayHeader, type TraceIds } from '../helpers/trace-ids';

const FUNCTION_NAME = 'test-fn';
const ACCOUNT = '123456789012';

interface TriggerCase {
  readonly name: string;
  readonly event: Record<string, unknown>;
  readonly kind: SpanKindName;
  readonly spanName: string;
  /** Everything the trigger (and the answer) put on the span, beyond the per-invocation attributes. */
  readonly attributes: Record<string, unknown>;
  /** The remote parent named by the request's W3C headers. */
  readonly parent?: TraceIds & { readonly traceState: string };
  readonly links: readonly (TraceIds | undefined)[];
  readonly status: StatusCodeName;
}

/** Walks plain JSON: `at(event, 'Records', 0, 'Sns')`. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let node = value;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

function withStatusQuery(event: Record<string, unknown>, status: number): Record<string, unknown> {
  return { ...event, queryStringParameters: { status: String(status) }, multiValueQueryStringParameters: undefined, rawQueryString: `status=${status}` };
}

function remoteParent(traceparent: unknown, tracestate: unknown = ''): TraceIds & { traceState: string } {
  const ids = parseTraceparent(traceparent);
  if (ids === undefined) throw new Error(`fixture has no valid traceparent: ${String(traceparent)}`);
  return { ...ids, traceState: typeof tracestate === 'string' ? tracestate : '' };
}

function cases(): TriggerCase[] {
  const v1 = loadEvent('api-gateway-v1');
  const v2 = loadEvent('api-gateway-v2');
  const v2Failing = withStatusQuery(loadEvent('api-gateway-v2'), 503);
  const functionUrl = loadEvent('function-url');
  const alb = withStatusQuery(loadEvent('alb'), 404);
  const albMulti = loadEvent('alb-multi-value');
  const sqs = loadEvent('sqs');
  const sns = loadEvent('sns');
  const custom = loadEvent('eventbridge-custom');
  const v2Attributes = {
    'faas.trigger': 'http',
    'http.request.method': 'GET',
    'http.route': '/orders/{id}',
    'url.path': '/orders/123',
    'url.scheme': 'https',
    'server.address': 'r3pmxmplak.execute-api.us-east-2.amazonaws.com',
    'server.port': 443,
    'client.address': '205.255.255.176',
    'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
    'network.protocol.version': '1.1',
  };
  return [
    {
      name: 'API Gateway REST API (payload 1.0)',
      event: v1,
      kind: 'SERVER',
      spanName: 'GET /orders/{id}',
      attributes: {
        'faas.trigger': 'http',
        'http.request.method': 'GET',
        'http.route': '/orders/{id}',
        'url.path': '/orders/123',
        'url.scheme': 'https',
        'server.address': '1234567890.execute-api.us-east-1.amazonaws.com',
        'server.port': 443,
        'client.address': '198.51.100.7',
        'user_agent.original': 'curl/8.5.0',
        'network.protocol.version': '1.1',
        'http.response.status_code': 200,
      },
      parent: remoteParent(at(v1, 'headers', 'traceparent')),
      links: [],
      status: 'UNSET',
    },
    {
      name: 'API Gateway HTTP API (payload 2.0)',
      event: v2,
      kind: 'SERVER',
      spanName: 'GET /orders/{id}',
      attributes: { ...v2Attributes, 'http.response.status_code': 200 },
      parent: remoteParent(at(v2, 'headers', 'traceparent'), at(v2, 'headers', 'tracestate')),
      links: [],
      status: 'UNSET',
    },
    {
      name: 'API Gateway HTTP API answering 503',
      event: v2Failing,
      kind: 'SERVER',
      spanName: 'GET /orders/{id}',
      attributes: { ...v2Attributes, 'http.response.status_code': 503 },
      parent: remoteParent(at(v2Failing, 'headers', 'traceparent'), at(v2Failing, 'headers', 'tracestate')),
      links: [],
      status: 'ERROR',
    },
    {
      name: 'function URL (no traceparent: a new trace)',
      event: functionUrl,
      kind: 'SERVER',
      spanName: 'POST',
      attributes: {
        'faas.trigger': 'http',
        'http.request.method': 'POST',
        'url.path': '/my/path',
        'url.scheme': 'https',
        'server.address': 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.us-west-2.on.aws',
        'client.address': '123.123.123.123',
        'user_agent.original': 'agent',
        'network.protocol.version': '1.1',
        'http.response.status_code': 200,
      },
      links: [],
      status: 'UNSET',
    },
    {
      name: 'ALB answering 404 (a client error leaves the status unset)',
      event: alb,
      kind: 'SERVER',
      spanName: 'GET',
      attributes: {
        'faas.trigger': 'http',
        'http.request.method': 'GET',
        'url.path': '/lambda',
        'url.scheme': 'http',
        'server.address': 'lambda-alb-123578498.us-east-2.elb.amazonaws.com',
        'server.port': 80,
        'client.address': '72.12.164.125',
        'user_agent.original': String(at(alb, 'headers', 'user-agent')),
        'http.response.status_code': 404,
      },
      parent: remoteParent(at(alb, 'headers', 'traceparent')),
      links: [],
      status: 'UNSET',
    },
    {
      name: 'ALB with multi-value headers (the first traceparent wins)',
      event: albMulti,
      kind: 'SERVER',
      spanName: 'POST',
      attributes: {
        'faas.trigger': 'http',
        'http.request.method': 'POST',
        'url.path': '/lambda/items',
        'url.scheme': 'https',
        'server.address': 'lambda-alb-123578498.us-east-2.elb.amazonaws.com',
        'server.port': 443,
        'client.address': '72.12.164.125',
        'user_agent.original': 'python-requests/2.31.0',
        'http.response.status_code': 200,
      },
      parent: remoteParent(at(albMulti, 'multiValueHeaders', 'Traceparent', 0)),
      links: [],
      status: 'UNSET',
    },
    {
      name: 'SQS batch (links: a traceparent attribute and an AWSTraceHeader)',
      event: sqs,
      kind: 'CONSUMER',
      spanName: 'process orders',
      attributes: {
        'faas.trigger': 'pubsub',
        'messaging.system': 'aws_sqs',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': 'orders',
        'messaging.batch.message_count': 3,
      },
      links: [
        parseTraceparent(at(sqs, 'Records', 0, 'messageAttributes', 'traceparent', 'stringValue')),
        parseXrayHeader(at(sqs, 'Records', 1, 'attributes', 'AWSTraceHeader')),
      ],
      status: 'UNSET',
    },
    {
      name: 'SNS notification (link: its traceparent attribute)',
      event: sns,
      kind: 'CONSUMER',
      spanName: 'process sns-lambda',
      attributes: {
        'faas.trigger': 'pubsub',
        'messaging.system': 'aws.sns',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': 'sns-lambda',
        'messaging.message.id': String(at(sns, 'Records', 0, 'Sns', 'MessageId')),
        'aws.sns.topic.arn': String(at(sns, 'Records', 0, 'Sns', 'TopicArn')),
      },
      links: [parseTraceparent(at(sns, 'Records', 0, 'Sns', 'MessageAttributes', 'traceparent', 'Value'))],
      status: 'UNSET',
    },
    {
      name: 'EventBridge custom event (link: detail.traceparent)',
      event: custom,
      kind: 'CONSUMER',
      spanName: FUNCTION_NAME,
      attributes: {
        'faas.trigger': 'pubsub',
        'cloudevents.event_id': String(custom.id),
        'cloudevents.event_source': 'com.example.orders',
        'cloudevents.event_type': 'OrderPlaced',
      },
      links: [parseTraceparent(at(custom, 'detail', 'traceparent'))],
      status: 'UNSET',
    },
    {
      name: 'EventBridge schedule',
      event: loadEvent('eventbridge-scheduled'),
      kind: 'SERVER',
      spanName: FUNCTION_NAME,
      attributes: { 'faas.trigger': 'timer', 'faas.time': '2015-10-08T16:53:06Z' },
      links: [],
      status: 'UNSET',
    },
    {
      name: 'S3 put',
      event: loadEvent('s3-put'),
      kind: 'SERVER',
      spanName: FUNCTION_NAME,
      attributes: {
        'faas.trigger': 'datasource',
        'faas.document.collection': 'lambda-artifacts-deafc19498e3f2df',
        'faas.document.operation': 'insert',
        'faas.document.name': 'reports/my report(1).csv',
        'faas.document.time': '2019-09-03T19:37:27.192Z',
      },
      links: [],
      status: 'UNSET',
    },
    {
      name: 'DynamoDB Streams (mixed operations: none recorded)',
      event: loadEvent('dynamodb-streams'),
      kind: 'SERVER',
      spanName: FUNCTION_NAME,
      attributes: {
        'faas.trigger': 'datasource',
        'faas.document.collection': 'TestTable',
        'faas.document.time': new Date(1479499740 * 1000).toISOString(),
      },
      links: [],
      status: 'UNSET',
    },
    {
      name: 'Kinesis batch',
      event: loadEvent('kinesis'),
      kind: 'CONSUMER',
      spanName: 'process lambda-stream',
      attributes: {
        'faas.trigger': 'pubsub',
        'messaging.system': 'aws.kinesis',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': 'lambda-stream',
        'messaging.batch.message_count': 2,
      },
      links: [],
      status: 'UNSET',
    },
    {
      name: 'CloudWatch Logs subscription',
      event: loadEvent('cloudwatch-logs'),
      kind: 'CONSUMER',
      spanName: FUNCTION_NAME,
      attributes: { 'faas.trigger': 'pubsub' },
      links: [],
      status: 'UNSET',
    },
  ];
}

const CASES = cases();

/** Every event in turn. No Lambda X-Ray header: links must come from the records alone. */
async function invokeAll(sandbox: Sandbox): Promise<InvokeResult[]> {
  const results: InvokeResult[] = [];
  for (const c of CASES) results.push(await sandbox.invoke(c.event, { traceId: null }));
  return results;
}

function invocationAttributes(result: InvokeResult, coldStart: boolean): Record<string, unknown> {
  return {
    'faas.invocation_id': result.requestId,
    'faas.coldstart': coldStart,
    'cloud.account.id': ACCOUNT,
    'cloud.resource_id': `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${FUNCTION_NAME}`,
    // The first invocation says how the environment was initialised.
    ...(coldStart ? { 'aws.lambda.init_type': 'on-demand' } : {}),
  };
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();
  let traced: InvokeResult[] = [];
  let untraced: InvokeResult[] = [];
  let spans: ReceivedSpan[] = [];

  beforeAll(async () => {
    const taskRoot = functionFixture('http-echo');
    untraced = await withSandbox({ runtime, taskRoot, handler: 'index.handler' }, invokeAll);
    traced = await withLayer({ runtime, taskRoot, handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url } }, invokeAll);
    // Kept here: the receiver is emptied before each test.
    spans = await receiver().waitForSpans(CASES.length);
  });

  it('answers every event exactly as without the layer, one span per invocation', () => {
    expect(traced.map(comparable)).toEqual(untraced.map(comparable));
    expect(traced.map((r) => r.kind)).toEqual(CASES.map(() => 'success'));
    expect(spans.map((s) => s.attributes['faas.invocation_id'])).toEqual(traced.map((r) => r.requestId));
  });

  it.each(CASES.map((c, index) => [c.name, c, index] as const))('%s', (_name, c, index) => {
    const result = traced[index];
    const span = spans.find((s) => s.attributes['faas.invocation_id'] === result.requestId);
    expect(span).toMatchObject({ kind: c.kind, name: c.spanName, status: { code: c.status } });
    expect(span?.attributes).toEqual({ ...c.attributes, ...invocationAttributes(result, index === 0) });
    expect(span?.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId }))).toEqual(c.links);
    if (c.parent === undefined) {
      expect(span?.parentSpanId).toBe('');
    } else {
      expect(span).toMatchObject({ traceId: c.parent.traceId, parentSpanId: c.parent.spanId, traceState: c.parent.traceState });
    }
  });
});
