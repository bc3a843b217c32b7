// The demo's sample function: an order lookup that reads the order from DynamoDB (the AWS SDK
// Lambda provides, on NODE_PATH) and asks an inventory service for its stock.
import { createRequire } from 'node:module';

const { DynamoDBClient, GetItemCommand } = createRequire(import.meta.url)('@aws-sdk/client-dynamodb');
const ddb = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });

export const handler = async (event) => {
  const id = event.pathParameters?.id ?? 'unknown';
  const order = await ddb.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: id } } }));
  const response = await fetch(`${process.env.INVENTORY_URL}/stock/${id}`);
  const stock = await response.json();
  return { statusCode: 200, body: JSON.stringify({ id, found: order.Item !== undefined, inStock: stock.count > 0 }) };
};
