/**
 * `npm run demo`: the local command (local/) run on a small application of two functions, in the
 * local Lambda sandbox, against a local stand-in for DynamoDB and SQS:
 *   orders-api (API Gateway, ES module)  GET /orders/{id}: reads the order from DynamoDB, sends
 *                                        it to the shipments queue
 *   order-worker (SQS, CommonJS)         gets that message as SQS would deliver it, records the
 *                                        shipment in DynamoDB
 * Three invocations: a cold start that finds its order, a warm one whose DynamoDB call fails,
 * and the worker's, whose trace is linked to the request that sent its message. Your OTEL_* and
 * LAMBDA_OTEL_* variables reach both functions, as with `npm run local`.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsEndpoint, sentMessages } from '../test/helpers/sandbox/aws-endpoint';
import { OtlpReceiver } from '../test/helpers/sandbox/otlp-receiver';
import { functionEnvironment } from '../local/environment';
import { renderHtmlPage } from '../local/html-page';
import { ensureLayerBuilt } from '../local/layer';
import { runFunction, type FunctionRun } from '../local/run-function';
import { paintFor, renderWaterfall } from '../local/waterfall';

const REGION = 'us-east-1';
const ORDERS_TABLE = 'orders';
const SHIPMENTS_TABLE = 'shipments';
const SHIPMENTS_QUEUE = 'shipments';
const ORDER_ID = 'o-1001';

/** An API Gateway HTTP API request for GET /orders/{id}; without an id, the route's bug. */
function getOrder(id: string | undefined): Record<string, unknown> {
  const path = `/orders/${id ?? ''}`;
  return {
    version: '2.0',
    routeKey: 'GET /orders/{id}',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com', 'user-agent': 'demo-client/1.0', 'x-forwarded-proto': 'https' },
    ...(id === undefined ? {} : { pathParameters: { id } }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'demo',
      domainName: 'api.example.com',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'demo-client/1.0' },
      requestId: `demo-${id ?? 'none'}`,
      routeKey: 'GET /orders/{id}',
      stage: '$default',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

/** The messages sent to the queue, as an SQS event source mapping hands them to a function. */
function sqsEvent(aws: AwsEndpoint): Record<string, unknown> {
  const Records = aws
    .requests()
    .filter((exchange) => exchange.service === 'sqs')
    .flatMap((exchange) => sentMessages(exchange).map((message) => ({ message, answer: exchange.answer as { MessageId?: string } })))
    .map(({ message, answer }) => ({
      messageId: answer.MessageId,
      receiptHandle: 'demo-receipt-handle',
      body: message.body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
      messageAttributes: Object.fromEntries(
        Object.entries(message.attributes).map(([name, value]) => [
          name,
          { stringValue: value.StringValue, stringListValues: [], binaryListValues: [], dataType: value.DataType },
        ]),
      ),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:123456789012:${SHIPMENTS_QUEUE}`,
      awsRegion: REGION,
    }));
  return { Records };
}

async function main(): Promise<void> {
  const paint = paintFor(process.stdout, process.env);
  const print = (line: string): void => console.log(line);
  ensureLayerBuilt();
  const receiver = await OtlpReceiver.start();
  const aws = await AwsEndpoint.start();
  try {
    await new DynamoDBClient({ region: REGION, endpoint: aws.url, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } }).send(
      new PutItemCommand({ TableName: ORDERS_TABLE, Item: { id: { S: ORDER_ID }, item: { S: 'espresso cups' }, quantity: { N: '6' } } }),
    );
    aws.reset();
    const environment = functionEnvironment({ userEnv: process.env, overrides: [], endpoint: receiver.url, endpointIsReceiver: true });
    for (const note of environment.notes) print(paint.yellow(`note: ${note}`));
    const app = (name: string, handler: string, events: FunctionRun['events']): FunctionRun => ({
      taskRoot: join(__dirname, name),
      handler,
      functionName: name,
      runtime: 'nodejs24.x',
      timeoutMs: 10_000,
      region: REGION,
      passThrough: environment.passThrough,
      env: {
        ...environment.env,
        // Shown in the demo; off by default (it costs every console line, see the README).
        LAMBDA_OTEL_LOG_CORRELATION: 'true',
        AWS_ENDPOINT_URL: aws.url,
        ORDERS_TABLE,
        SHIPMENTS_TABLE,
        SHIPMENTS_QUEUE_URL: aws.queueUrl(SHIPMENTS_QUEUE),
      },
      events,
    });

    print(paint.bold(`The demo: orders-api (API Gateway) reads DynamoDB and sends to SQS; order-worker (SQS) consumes it.\n`));
    await runFunction(
      app('orders-api', 'index.handler', [
        { label: `GET /orders/${ORDER_ID}`, event: getOrder(ORDER_ID) },
        { label: 'GET /orders/ (no id: a failing request)', event: getOrder(undefined) },
      ]),
      print,
      paint,
    );
    await runFunction(app('order-worker', 'index.handler', [{ label: 'the SQS message orders-api sent', event: sqsEvent(aws) }]), print, paint);

    const spans = receiver.spans();
    print(`\nWhat the OTLP receiver got: ${spans.length} spans\n`);
    print(renderWaterfall(spans, paint));
    const file = join(mkdtempSync(join(tmpdir(), 'lambda-otel-demo-')), 'demo-traces.html');
    writeFileSync(file, renderHtmlPage(spans, { title: 'lambda-otel-preload demo', subtitle: `npm run demo, ${new Date().toISOString()}` }));
    print(`\nHTML page of these traces: ${file}`);
    print(paint.dim('Your own function: npm run local -- <task-root> <module.handler> --event-kind <kind> (see the README).'));
  } finally {
    await receiver.close();
    await aws.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
