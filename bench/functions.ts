/** The benchmarked functions (task roots) and the event they get. */
import { makeTaskRoot } from '../test/helpers/sandbox/task-root';

const ORDER_BODY = `
  const id = event.pathParameters?.id ?? 'unknown';
  const order = { id, items: [{ sku: 'A-1', qty: 2 }, { sku: 'B-7', qty: 1 }], currency: 'EUR' };`;

const ANSWER = `
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...order, total: order.items.reduce((n, i) => n + i.qty * 9.5, 0) }),
  };`;

// The runtime's SDK is on NODE_PATH, which only require() honours.
const SDK_CLIENT = `import { createRequire } from 'node:module';
const { DynamoDBClient, GetItemCommand } = createRequire(import.meta.url)('@aws-sdk/client-dynamodb');
const ddb = new DynamoDBClient({ endpoint: process.env.FAKE_AWS_ENDPOINT });
`;

export type FunctionName = 'plain' | 'aws-sdk' | 'aws-sdk-call';

/**
 * ES module handlers (index.mjs), as most new functions are:
 * - plain: answers an API Gateway request from memory;
 * - aws-sdk: the same, but loads the runtime's DynamoDB client at init (a cold-start figure);
 * - aws-sdk-call: also reads the order with one DynamoDB GetItem per invocation (the loopback
 *   AWS endpoint), so the SDK span's per-invocation cost shows.
 */
export function makeFunction(name: FunctionName): string {
  if (name === 'plain') return makeTaskRoot({ 'index.mjs': `export const handler = async (event) => {${ORDER_BODY}${ANSWER}\n};\n` });
  if (name === 'aws-sdk') return makeTaskRoot({ 'index.mjs': `${SDK_CLIENT}void ddb;\nexport const handler = async (event) => {${ORDER_BODY}${ANSWER}\n};\n` });
  return makeTaskRoot({
    'index.mjs': `${SDK_CLIENT}export const handler = async (event) => {${ORDER_BODY}
  await ddb.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: id } } }));${ANSWER}
};
`,
  });
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
