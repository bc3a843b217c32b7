// @ts-check
// The demo's API: GET /orders/{id} behind API Gateway. It reads the order from DynamoDB and, when
// it finds it, asks the order worker (over SQS) to ship it. The AWS SDK is the one Lambda
// provides (on NODE_PATH); AWS_ENDPOINT_URL points it at the demo's local stand-in for AWS.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const dynamodb = new DynamoDBClient({});
const sqs = new SQSClient({});

/** @param {{ pathParameters?: { id?: string } }} event */
export const handler = async (event) => {
  const id = event.pathParameters?.id;
  // A request without an id sends DynamoDB a key that does not match the table: the call fails,
  // and so does the invocation (a bug the trace makes plain).
  /** @type {Record<string, { S: string }>} */
  const key = id === undefined ? {} : { id: { S: id } };
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: process.env.ORDERS_TABLE, Key: key }));
  if (Item === undefined) return { statusCode: 404, body: JSON.stringify({ error: `no order ${id}` }) };
  const order = { id, item: Item.item?.S, quantity: Number(Item.quantity?.N) };
  console.log(`order ${id} found: ${order.quantity} x ${order.item}; asking for its shipment`);
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.SHIPMENTS_QUEUE_URL, MessageBody: JSON.stringify(order) }));
  return { statusCode: 200, body: JSON.stringify({ order, shipping: true }) };
};
