/** The benchmarked functions (task roots) and the event they get. */
import { linkOtelApi } from '../test/helpers/layer';
import { installOwnSdk } from '../test/helpers/sandbox/function-sdk';
import { functionFixture } from '../test/helpers/sandbox/task-root';

export type FunctionName = 'plain' | 'aws-sdk' | 'aws-sdk-call' | 'client-spans' | 'logs' | 'heavy';

/** Read by the client-spans function: how many client spans it makes per invocation. */
export const CLIENT_SPANS_ENV = 'BENCH_CLIENT_SPANS';

/** Lines the `logs` function writes per invocation; it reads the number from this variable. */
export const LOG_LINES_PER_INVOCATION = 1000;
export const LOG_LINES_ENV = 'BENCH_LOG_LINES';

/** What the heavy function loads from its own node_modules, as a function bundling its dependencies does. */
const HEAVY_CLIENTS = ['@aws-sdk/client-s3', '@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/client-sns'];

/**
 * ES module handlers (index.mjs), as most new functions are, from
 * test/fixtures/functions/bench-orders/<name>.mjs, each answering through orders.mjs:
 * - plain: answers an API Gateway request from memory;
 * - aws-sdk: the same, but loads the runtime's DynamoDB client at init (a cold-start figure);
 * - aws-sdk-call: also reads the order with one DynamoDB GetItem per invocation (the loopback
 *   AWS endpoint), so the SDK span's per-invocation cost shows;
 * - client-spans: the plain function plus `BENCH_CLIENT_SPANS` client spans of its own, made with
 *   its own @opentelemetry/api (no-ops without a layer): what spans cost, without a network call's noise.
 * - logs: the plain function plus LOG_LINES_PER_INVOCATION `console.log` lines, for the cost of
 *   log correlation per line.
 * - heavy: the same answer, after loading four SDK clients (S3, DynamoDB, SQS, SNS) from its own
 *   node_modules at init: many modules, so module spans cost what they can (a cold-start figure).
 */
export function makeFunction(name: FunctionName): string {
  const taskRoot = functionFixture('bench-orders', { 'index.mjs': `${name}.mjs`, 'orders.mjs': 'orders.mjs' });
  if (name === 'heavy') installOwnSdk(taskRoot, HEAVY_CLIENTS);
  return name === 'client-spans' ? linkOtelApi(taskRoot) : taskRoot;
}

/** An API Gateway HTTP API (payload 2.0) request. */
export function apiGatewayEvent(id: string): unknown {
  return {
    version: '2.0',
    routeKey: 'GET /orders/{id}',
    rawPath: `/orders/${id}`,
    rawQueryString: '',
    headers: { host: 'api.example.com', 'user-agent': 'bench-client/1.0', 'x-forwarded-proto': 'https', accept: 'application/json' },
    pathParameters: { id },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'api.example.com',
      http: { method: 'GET', path: `/orders/${id}`, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench-client/1.0' },
      requestId: `req-${id}`,
      routeKey: 'GET /orders/{id}',
      stage: '$default',
      time: '01/Jan/2025:00:00:00 +0000',
      timeEpoch: 1735689600000,
    },
    isBase64Encoded: false,
  };
}

/**
 * An SQS batch of about 100 KB: ten messages, each a JSON order of about 10 KB, the shape payload
 * capture has the most work with (each body is parsed to be redacted).
 */
export function sqsBatchEvent(n: number): unknown {
  const order = (i: number) =>
    JSON.stringify({ orderId: `o-${n}-${i}`, customer: { id: `c-${i}`, token: 'tok' }, items: Array.from({ length: 90 }, (_, k) => ({ sku: `SKU-${k}`, qty: k % 4, note: 'x'.repeat(60) })) });
  return {
    Records: Array.from({ length: 10 }, (_, i) => ({
      messageId: `m-${n}-${i}`,
      receiptHandle: 'AQEB'.padEnd(200, 'x'),
      body: order(i),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1735689600000' },
      messageAttributes: {},
      md5OfBody: '0'.repeat(32),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders',
      awsRegion: 'us-east-1',
    })),
  };
}
