/**
 * Issue #4, connected traces: the calls a function makes (the AWS SDK v3 Lambda provides, one in
 * the function's own node_modules, fetch, node:http and node:https) show up as client spans inside
 * the invocation span, and carry the trace onward (SQS / SNS message attributes, HTTP headers),
 * while the layer's own traffic (exports, the Runtime API) is never traced.
 */
import { createHash } from 'node:crypto';
import { AwsEndpoint, sentMessages, type AwsExchange } from '../helpers/sandbox/aws-endpoint';
import { Downstream, makeSelfSignedCert, type DownstreamRequest, type TlsFiles } from '../helpers/sandbox/downstream';
import { installOwnSdk } from '../helpers/sandbox/function-sdk';
import type { ReceivedSpan } from '../helpers/sandbox/otlp-receiver';
import { runtimes, withSandbox, type InvokeResult } from '../helpers/sandbox/sandbox';
import { bundledFixture, functionFixture } from '../helpers/sandbox/task-root';
import { comparable, useReceiver, withLayer } from '../helpers/layer';
import { parseTraceparent } from '../helpers/trace-ids';

const QUEUE = 'orders';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:order-events';
const TABLE = 'orders';
const BUCKET = 'invoices';

interface Step {
  readonly op: 'dynamodb' | 's3' | 'sqs' | 'sqsBatch' | 'sns' | 'fetch' | 'https' | 'http';
  readonly attributes?: number;
  readonly queueUrl?: string;
  readonly url?: string;
}

/** The invocation's span (by request id) and every other span of its trace. */
function traceOf(spans: readonly ReceivedSpan[], result: InvokeResult): { invocation: ReceivedSpan; others: ReceivedSpan[] } {
  const invocation = spans.find((s) => s.attributes['faas.invocation_id'] === result.requestId);
  if (invocation === undefined) throw new Error(`no invocation span for ${result.requestId} among ${spans.map((s) => s.name).join(', ')}`);
  return { invocation, others: spans.filter((s) => s.traceId === invocation.traceId && s.spanId !== invocation.spanId) };
}

function exchangeFor(exchanges: readonly AwsExchange[], operation: string): AwsExchange {
  const found = exchanges.filter((e) => e.operation === operation);
  if (found.length !== 1) throw new Error(`expected one ${operation} at the endpoint, got ${found.length}`);
  return found[0];
}

function spanNamed(spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span named ${name}, got [${spans.map((s) => s.name).join(', ')}]`);
  return found[0];
}

/**
 * What every AWS call's span carries. instrumentation-aws-sdk 0.77 writes the request id as
 * `aws.request.id`; the layer adds the semantic conventions' `aws.request_id` beside it.
 */
function awsCallAttributes(service: string, method: string, exchange: AwsExchange): Record<string, unknown> {
  return {
    'rpc.system': 'aws-api',
    'rpc.service': service,
    'rpc.method': method,
    'cloud.region': 'us-east-1',
    'aws.request.id': exchange.requestId,
    'aws.request_id': exchange.requestId,
    'http.response.status_code': 200,
  };
}

function stepsOf(...steps: Step[]): { steps: Step[] } {
  return { steps };
}

function md5Hex(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();
  let aws: AwsEndpoint;
  let tls: TlsFiles;
  let plain: Downstream;
  let secure: Downstream;

  beforeAll(async () => {
    tls = makeSelfSignedCert();
    [aws, plain, secure] = await Promise.all([AwsEndpoint.start(), Downstream.start({ status: 202 }), Downstream.start({ status: 203, tls })]);
  });
  afterAll(() => Promise.all([aws.close(), plain.close(), secure.close()]));
  beforeEach(() => {
    aws.reset();
    plain.reset();
    secure.reset();
  });

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url,
    FAKE_AWS_ENDPOINT: aws.url,
    NODE_EXTRA_CA_CERTS: tls.certPath,
    ...extra,
  });

  /**
   * Runs the clients function once with the layer; returns its answer, every span exported and
   * the invocation's trace. `spans` is how many to wait for (default: one per step, plus the
   * invocation's).
   */
  async function traced(event: { steps: Step[] }, options: { env?: Record<string, string>; spans?: number } = {}) {
    const { result, logs } = await withLayer(
      { runtime, taskRoot: functionFixture('aws-and-http-clients'), handler: 'index.handler', env: env(options.env) },
      async (sandbox) => ({ result: await sandbox.invoke(event), logs: sandbox.logs() }),
    );
    expect(comparable(result)).toMatchObject({ kind: 'success' });
    const spans = await receiver().waitForSpans(options.spans ?? 1 + event.steps.length);
    return { result, spans, logs, ...traceOf(spans, result) };
  }

  /** Spans of plain HTTP requests to the AWS endpoint, in any trace: there must be none under SDK spans. */
  const httpSpansToAws = (spans: readonly ReceivedSpan[]): ReceivedSpan[] => spans.filter((s) => s.attributes['server.port'] === aws.port);

  /** The same event without the layer: the answer a traced function must still give. */
  async function untraced(event: { steps: Step[] }): Promise<InvokeResult> {
    return withSandbox({ runtime, taskRoot: functionFixture('aws-and-http-clients'), handler: 'index.handler', env: env() }, (sandbox) => sandbox.invoke(event));
  }

  it('DynamoDB: one client span per call, inside the invocation span, with the table and request id', async () => {
    const { spans, invocation, others } = await traced(stepsOf({ op: 'dynamodb' }));
    const exchanges = aws.requests();
    expect(others.map((s) => s.name)).toEqual(['DynamoDB.PutItem', 'DynamoDB.GetItem', 'DynamoDB.Query']);
    expect(httpSpansToAws(spans)).toEqual([]);
    for (const span of others) {
      const method = String(span.attributes['rpc.method']);
      expect(span).toMatchObject({ kind: 'CLIENT', parentSpanId: invocation.spanId, status: { code: 'UNSET' } });
      expect(span.scope.name).toBe('@opentelemetry/instrumentation-aws-sdk');
      expect(span.attributes).toMatchObject({
        ...awsCallAttributes('DynamoDB', method, exchangeFor(exchanges, method)),
        'db.system.name': 'dynamodb',
        'db.namespace': TABLE,
        'db.operation.name': method,
        'aws.dynamodb.table_names': [TABLE],
      });
    }
    expect(spanNamed(others, 'DynamoDB.GetItem').attributes['aws.dynamodb.consistent_read']).toBe(true);
    expect(spanNamed(others, 'DynamoDB.Query').attributes).toMatchObject({ 'aws.dynamodb.count': 1, 'aws.dynamodb.scanned_count': 1 });
  });

  it('S3: one client span per call with the bucket and both request ids', async () => {
    const { spans, invocation, others } = await traced(stepsOf({ op: 's3' }));
    const exchanges = aws.requests();
    expect(others.map((s) => s.name)).toEqual(['S3.PutObject', 'S3.GetObject']);
    expect(httpSpansToAws(spans)).toEqual([]);
    for (const span of others) {
      const method = String(span.attributes['rpc.method']);
      const exchange = exchangeFor(exchanges, method);
      expect(span).toMatchObject({ kind: 'CLIENT', parentSpanId: invocation.spanId });
      expect(span.attributes).toMatchObject({
        ...awsCallAttributes('S3', method, exchange),
        'aws.s3.bucket': BUCKET,
        'aws.request.extended_id': exchange.extendedRequestId,
      });
    }
  });

  it('SQS: SendMessage and SendMessageBatch are producer spans whose ids travel in a traceparent attribute', async () => {
    const queueUrl = aws.queueUrl(QUEUE);
    const { result, invocation, others } = await traced(stepsOf({ op: 'sqs', attributes: 2, queueUrl }, { op: 'sqsBatch', attributes: 2, queueUrl }));
    const send = exchangeFor(aws.requests(), 'SendMessage');
    const batch = exchangeFor(aws.requests(), 'SendMessageBatch');
    expect(result.kind === 'success' && result.payload).toEqual([
      { MD5OfMessageBody: md5Hex('order o-1'), MD5OfMessageAttributes: (send.answer as { MD5OfMessageAttributes: string }).MD5OfMessageAttributes },
      { successful: ['a', 'b'], failed: [] },
    ]);
    // instrumentation-aws-sdk names sends `<queue> send` and makes them PRODUCER spans, not CLIENT.
    expect(others.map((s) => [s.name, s.kind, s.parentSpanId])).toEqual([
      [`${QUEUE} send`, 'PRODUCER', invocation.spanId],
      [`${QUEUE} send`, 'PRODUCER', invocation.spanId],
    ]);
    const [sendSpan, batchSpan] = others;
    const messaging = { 'messaging.system': 'aws_sqs', 'messaging.destination.name': QUEUE, 'url.full': queueUrl };
    expect(sendSpan.attributes).toMatchObject({
      ...awsCallAttributes('SQS', 'SendMessage', send),
      ...messaging,
      'messaging.message.id': (send.answer as { MessageId: string }).MessageId,
    });
    expect(batchSpan.attributes).toMatchObject({ ...awsCallAttributes('SQS', 'SendMessageBatch', batch), ...messaging });

    const [message] = sentMessages(send);
    expect(Object.keys(message.attributes).sort()).toEqual(['attr0', 'attr1', 'traceparent']);
    expect(parseTraceparent(message.attributes.traceparent.StringValue)).toEqual({ traceId: invocation.traceId, spanId: sendSpan.spanId });
    for (const entry of sentMessages(batch)) {
      expect(parseTraceparent(entry.attributes.traceparent?.StringValue)).toEqual({ traceId: invocation.traceId, spanId: batchSpan.spanId });
    }
  });

  it('SNS: Publish is a producer span whose id travels in a traceparent attribute', async () => {
    const { invocation, others } = await traced(stepsOf({ op: 'sns', attributes: 2 }));
    const publish = exchangeFor(aws.requests(), 'Publish');
    const [span] = others;
    expect(others).toHaveLength(1);
    expect(span).toMatchObject({ name: 'order-events send', kind: 'PRODUCER', parentSpanId: invocation.spanId });
    expect(span.attributes).toMatchObject({
      ...awsCallAttributes('SNS', 'Publish', publish),
      'messaging.system': 'aws.sns',
      'messaging.destination.name': TOPIC_ARN,
      'messaging.destination': 'order-events',
      'messaging.destination_kind': 'topic',
      'aws.sns.topic.arn': TOPIC_ARN,
    });
    const [message] = sentMessages(publish);
    expect(Object.keys(message.attributes).sort()).toEqual(['attr0', 'attr1', 'traceparent']);
    expect(parseTraceparent(message.attributes.traceparent.StringValue)).toEqual({ traceId: invocation.traceId, spanId: span.spanId });
  });

  it('SQS and SNS with 10 attributes already: the sends succeed unchanged, answer as without the layer, no traceparent', async () => {
    const event = stepsOf({ op: 'sqs', attributes: 10, queueUrl: aws.queueUrl(QUEUE) }, { op: 'sqsBatch', attributes: 10, queueUrl: aws.queueUrl(QUEUE) }, { op: 'sns', attributes: 10 });
    const without = await untraced(event);
    const untracedMessages = aws.requests().flatMap(sentMessages);
    aws.reset();
    const { result, others, logs } = await traced(event);
    expect(comparable(result)).toEqual(comparable(without));
    // The instrumentation warns on every such send; the layer passes its warnings on once.
    expect(logs.split('\n').filter((line) => line.includes('[lambda-otel-preload]'))).toEqual([
      expect.stringContaining('WARN aws-sdk instrumentation: cannot set context propagation on SQS/SNS message'),
    ]);
    expect(result.kind === 'success' && result.payload).toEqual([
      { MD5OfMessageBody: md5Hex('order o-1'), MD5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/) },
      { successful: ['a', 'b'], failed: [] },
      { published: true },
    ]);
    const messages = aws.requests().flatMap(sentMessages);
    expect(messages).toEqual(untracedMessages);
    expect(messages.map((m) => Object.keys(m.attributes).length)).toEqual([10, 10, 10, 10]);
    expect(aws.requests().every((e) => e.status === 200)).toBe(true);
    // The calls are still traced; only the propagation is left out.
    expect(others.map((s) => s.attributes['rpc.method'])).toEqual(['SendMessage', 'SendMessageBatch', 'Publish']);
  });

  describe.each([
    { op: 'fetch' as const, scope: '@opentelemetry/instrumentation-undici', server: (): Downstream => secure },
    { op: 'https' as const, scope: '@opentelemetry/instrumentation-http', server: (): Downstream => secure },
    { op: 'http' as const, scope: '@opentelemetry/instrumentation-http', server: (): Downstream => plain },
  ])('$op', ({ op, scope, server }) => {
    it('is a client span inside the invocation span, and the server receives its id in traceparent', async () => {
      const url = server().url(`/orders/o-1?via=${op}`);
      const { result, invocation, others } = await traced(stepsOf({ op, url }));
      expect(result.kind === 'success' && result.payload).toEqual([{ status: server().status, body: `answered GET /orders/o-1?via=${op}` }]);
      const [span] = others;
      expect(others).toHaveLength(1);
      expect(span).toMatchObject({ name: 'GET', kind: 'CLIENT', parentSpanId: invocation.spanId, scope: { name: scope } });
      expect(span.attributes).toMatchObject({
        'http.request.method': 'GET',
        // Query values are user data: redacted unless LAMBDA_OTEL_CAPTURE_URL_QUERY is on.
        'url.full': server().url('/orders/o-1?via=REDACTED'),
        'server.address': '127.0.0.1',
        'server.port': server().port,
        'http.response.status_code': server().status,
      });
      const [request] = server().requests();
      expect(parseTraceparent(request.headers.traceparent)).toEqual({ traceId: invocation.traceId, spanId: span.spanId });
    });
  });

  it.each([
    ['a promise handler', 'fetch-status'],
    ['a streaming handler (4.x streams its answer to the Runtime API over node:http)', 'fetch-status-streaming'],
  ])('never traces its own exports nor the Runtime API: %s', async (_name, fixture) => {
    const url = plain.url('/ping');
    const runtimeApiPort = await withLayer({ runtime, taskRoot: functionFixture(fixture), handler: 'index.handler', env: env() }, async (sandbox) => {
      // Several invocations: exports then reuse kept-alive sockets, and the extension polls each time.
      for (let n = 0; n < 3; n++) expect(comparable(await sandbox.invoke({ url }))).toMatchObject({ kind: 'success' });
      return Number(sandbox.api.address.split(':')[1]);
    });
    const spans = await receiver().waitForSpans(6);
    expect(spans.filter((s) => s.kind === 'CLIENT').map((s) => s.attributes['server.port'])).toEqual([plain.port, plain.port, plain.port]);
    const layerOwn = spans.filter((s) => [receiver().port, runtimeApiPort].includes(Number(s.attributes['server.port'])));
    expect(layerOwn).toEqual([]);
    expect(spans).toHaveLength(6);
  });

  it("instruments an SDK in the function's own node_modules, not only the runtime's copy", async () => {
    const taskRoot = functionFixture('own-sdk-cjs');
    installOwnSdk(taskRoot, ['@aws-sdk/client-dynamodb']);
    const result = await withLayer({ runtime, taskRoot, handler: 'index.handler', env: env() }, (sandbox) => sandbox.invoke({}));
    // The precondition: every SDK module that ran is the task root's copy (real paths, not symlinks).
    const payload = (result.kind === 'success' ? result.payload : {}) as { resolved?: string; sdkFiles?: string[] };
    expect(payload.resolved?.startsWith(`${taskRoot}/node_modules/`)).toBe(true);
    expect(payload.sdkFiles?.length).toBeGreaterThan(0);
    expect(payload.sdkFiles?.filter((file) => !file.startsWith(`${taskRoot}/node_modules/`))).toEqual([]);

    const { invocation, others } = traceOf(await receiver().waitForSpans(2), result);
    expect(others).toHaveLength(1);
    expect(others[0]).toMatchObject({ name: 'DynamoDB.PutItem', kind: 'CLIENT', parentSpanId: invocation.spanId });
    expect(others[0].attributes).toMatchObject(awsCallAttributes('DynamoDB', 'PutItem', exchangeFor(aws.requests(), 'PutItem')));
  });

  it("instruments an SDK that an ES module handler imports statically from its own node_modules", async () => {
    // import, not require: the client package is CommonJS, so Node loads it through the CommonJS
    // loader, and the @smithy modules it requires pass the require hook.
    const taskRoot = functionFixture('own-sdk-esm');
    installOwnSdk(taskRoot, ['@aws-sdk/client-dynamodb']);
    const result = await withLayer({ runtime, taskRoot, handler: 'index.handler', env: env() }, (sandbox) => sandbox.invoke({}));
    expect(result).toMatchObject({ kind: 'success', payload: { resolved: expect.stringMatching(`^${taskRoot}/node_modules/`) } });
    const { invocation, others } = traceOf(await receiver().waitForSpans(2), result);
    expect(others).toMatchObject([{ name: 'DynamoDB.PutItem', kind: 'CLIENT', parentSpanId: invocation.spanId, scope: { name: '@opentelemetry/instrumentation-aws-sdk' } }]);
  });

  it('with OTEL_NODE_DISABLED_INSTRUMENTATIONS=aws-sdk, AWS calls are HTTP client spans named as AWS calls, and messages carry no traceparent', async () => {
    const queueUrl = aws.queueUrl(QUEUE);
    // DynamoDB and SQS name the operation in X-Amz-Target; SNS (query protocol) only in its form body.
    const { invocation, others } = await traced(stepsOf({ op: 'dynamodb' }, { op: 'sqs', attributes: 2, queueUrl }, { op: 'sns', attributes: 2 }), {
      env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'aws-sdk' },
      spans: 6,
    });
    const exchanges = aws.requests();
    expect(exchanges.map((e) => e.operation)).toEqual(['PutItem', 'GetItem', 'Query', 'SendMessage', 'Publish']);
    expect(others).toHaveLength(exchanges.length);
    const serviceOf: Record<string, string> = { SendMessage: 'SQS', Publish: 'SNS' };
    others.forEach((span, i) => {
      const service = serviceOf[exchanges[i].operation] ?? 'DynamoDB';
      // Only the HTTP instrumentation saw the call; the layer recognised the signed request as an AWS call.
      expect(span).toMatchObject({
        name: `${service}.${exchanges[i].operation}`,
        kind: 'CLIENT',
        parentSpanId: invocation.spanId,
        scope: { name: '@opentelemetry/instrumentation-http' },
      });
      expect(span.attributes).toMatchObject({
        ...awsCallAttributes(service, exchanges[i].operation, exchanges[i]),
        'http.request.method': 'POST',
        'url.full': `${aws.url}/`,
        'server.port': aws.port,
      });
      // The HTTP instrumentation propagates in the request headers instead.
      expect(parseTraceparent(exchanges[i].headers.traceparent)).toEqual({ traceId: invocation.traceId, spanId: span.spanId });
    });
    expect(Object.keys(sentMessages(exchangeFor(exchanges, 'SendMessage'))[0].attributes).sort()).toEqual(['attr0', 'attr1']);
    expect(Object.keys(sentMessages(exchangeFor(exchanges, 'Publish'))[0].attributes).sort()).toEqual(['attr0', 'attr1']);
  });

  it('with OTEL_NODE_DISABLED_INSTRUMENTATIONS=http,undici, fetch and node:http(s) make no spans and propagate nothing', async () => {
    const { invocation, others } = await traced(
      stepsOf({ op: 'fetch', url: secure.url('/a') }, { op: 'https', url: secure.url('/b') }, { op: 'http', url: plain.url('/c') }, { op: 'dynamodb' }),
      { env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,undici' }, spans: 4 },
    );
    expect(others.map((s) => [s.name, s.parentSpanId])).toEqual([
      ['DynamoDB.PutItem', invocation.spanId],
      ['DynamoDB.GetItem', invocation.spanId],
      ['DynamoDB.Query', invocation.spanId],
    ]);
    const received: DownstreamRequest[] = [...secure.requests(), ...plain.requests()];
    expect(received.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
    expect(received.map((r) => r.headers.traceparent)).toEqual([undefined, undefined, undefined]);
  });
});

describe.each(runtimes.map((r) => r.name))('%s: a function that bundles its own AWS SDK', (runtime) => {
  const receiver = useReceiver();
  let aws: AwsEndpoint;
  /** A handler with the SDK compiled in, as `esbuild --bundle` ships it: no SDK module exists to hook by name. */
  let taskRoot: string;
  beforeAll(async () => {
    aws = await AwsEndpoint.start();
    taskRoot = bundledFixture('bundles-own-sdk', 'index.mjs', { target: 'node22', logLevel: 'silent' });
  });
  afterAll(() => aws.close());

  it('shows the call as one DynamoDB.PutItem client span with the AWS and HTTP attributes', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, FAKE_AWS_ENDPOINT: aws.url };
    const result = await withLayer({ runtime, taskRoot, handler: 'index.handler', env }, (sandbox) => sandbox.invoke({}));
    const put = exchangeFor(aws.requests(), 'PutItem');
    // The precondition: the call succeeded and no SDK module was loaded by name.
    expect(comparable(result)).toMatchObject({ kind: 'success', payload: { requestId: put.requestId, sdkModules: [] } });

    const { invocation, others } = traceOf(await receiver().waitForSpans(2), result);
    // One assertion over the whole trace, so a failure shows every difference at once.
    expect(others).toMatchObject([
      {
        name: 'DynamoDB.PutItem',
        kind: 'CLIENT',
        parentSpanId: invocation.spanId,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': 'DynamoDB',
          'rpc.method': 'PutItem',
          'cloud.region': 'us-east-1',
          'aws.request_id': put.requestId,
          'aws.request.id': put.requestId,
          'http.request.method': 'POST',
          'url.full': `${aws.url}/`,
          'server.address': '127.0.0.1',
          'server.port': aws.port,
          'http.response.status_code': 200,
        },
      },
    ]);
  });
});
