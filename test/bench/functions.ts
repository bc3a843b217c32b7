/** The benchmarked functions (task roots) and the event they get. */
import { makeTaskRoot } from '../sandbox/task-root';

const HANDLER_BODY = `
export const handler = async (event) => {
  const id = event.pathParameters?.id ?? 'unknown';
  const order = { id, items: [{ sku: 'A-1', qty: 2 }, { sku: 'B-7', qty: 1 }], currency: 'EUR' };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...order, total: order.items.reduce((n, i) => n + i.qty * 9.5, 0) }),
  };
};
`;

export type FunctionName = 'plain' | 'aws-sdk';

/** An ES module handler (index.mjs), as most new functions are; "aws-sdk" loads the runtime's SDK at init. */
export function makeFunction(name: FunctionName): string {
  const sdk =
    name === 'aws-sdk'
      ? `import { createRequire } from 'node:module';
// The runtime's SDK is on NODE_PATH, which only require() honours.
const { DynamoDBClient } = createRequire(import.meta.url)('@aws-sdk/client-dynamodb');
const ddb = new DynamoDBClient({});
void ddb;
`
      : '';
  return makeTaskRoot({ 'index.mjs': sdk + HANDLER_BODY });
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
