/**
 * `npm run demo`: a traced sample function in the local Lambda sandbox, its trace printed as a
 * waterfall. The function (demo/function) reads an order from DynamoDB (a loopback AWS
 * endpoint) and looks up its stock with fetch().
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LAYER_WRAPPER } from '../test/helpers/layer';
import { AwsEndpoint } from '../test/helpers/sandbox/aws-endpoint';
import { OtlpReceiver } from '../test/helpers/sandbox/otlp-receiver';
import { Sandbox } from '../test/helpers/sandbox/sandbox';
import { renderWaterfall } from './waterfall';

const apiGatewayEvent = (id: string) => ({
  version: '2.0',
  routeKey: 'GET /orders/{id}',
  rawPath: `/orders/${id}`,
  rawQueryString: '',
  headers: { host: 'api.example.com', 'user-agent': 'demo-client/1.0', 'x-forwarded-proto': 'https' },
  pathParameters: { id },
  requestContext: {
    domainName: 'api.example.com',
    http: { method: 'GET', path: `/orders/${id}`, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'demo-client/1.0' },
    routeKey: 'GET /orders/{id}',
    stage: '$default',
  },
  isBase64Encoded: false,
});

async function main(): Promise<void> {
  const inventory = createServer((_req, res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"count":3}'), 15);
  });
  await new Promise<void>((resolve) => inventory.listen(0, '127.0.0.1', resolve));
  const receiver = await OtlpReceiver.start();
  const aws = await AwsEndpoint.start();
  const sandbox = await Sandbox.start({
    runtime: 'nodejs24.x',
    taskRoot: join(__dirname, 'function'),
    handler: 'index.handler',
    functionName: 'orders-api',
    wrapper: LAYER_WRAPPER,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      AWS_ENDPOINT_URL_DYNAMODB: aws.url,
      INVENTORY_URL: `http://127.0.0.1:${(inventory.address() as AddressInfo).port}`,
    },
  });
  try {
    console.log('Invoking orders-api (nodejs24.x, with the layer) twice: a cold start, then a warm one.\n');
    for (const id of ['42', '43']) {
      const result = await sandbox.invoke(apiGatewayEvent(id));
      const { invokeStart, responseAt, frozenAt } = result.timing;
      const answer = result.kind === 'success' ? JSON.stringify(result.payload) : `${result.kind}`;
      console.log(`GET /orders/${id} -> ${answer}`);
      console.log(
        `  caller waited ${((responseAt ?? invokeStart) - invokeStart).toFixed(1)} ms; ` +
          `export after the response took ${((frozenAt ?? 0) - (responseAt ?? 0)).toFixed(1)} ms before the freeze\n`,
      );
    }
    const spans = await receiver.waitForSpans(6, 5000);
    console.log('What the OTLP receiver got:\n');
    console.log(renderWaterfall(spans));
    const server = spans.find((s) => s.kind === 'SERVER');
    if (server) {
      console.log('\nInvocation span attributes (first):');
      for (const [key, value] of Object.entries(server.attributes)) console.log(`  ${key} = ${JSON.stringify(value)}`);
      console.log('Resource:');
      for (const [key, value] of Object.entries(server.resource)) console.log(`  ${key} = ${JSON.stringify(value)}`);
    }
  } finally {
    await sandbox.shutdown();
    await receiver.close();
    await aws.close();
    inventory.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
