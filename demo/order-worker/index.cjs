// @ts-check
// The demo's worker: triggered by SQS with the orders to ship, it records a shipment for each in
// DynamoDB. A CommonJS module, as many functions still are.
// The cast keeps tsc (module: preserve) from reading this require as an ES module import.
const { DynamoDBClient, PutItemCommand } = /** @type {typeof import('@aws-sdk/client-dynamodb')} */ (require('@aws-sdk/client-dynamodb'));

const dynamodb = new DynamoDBClient({});

/** @param {{ Records: { messageId: string, body: string }[] }} event */
exports.handler = async (event) => {
  for (const record of event.Records) {
    const order = JSON.parse(record.body);
    await dynamodb.send(
      new PutItemCommand({
        TableName: process.env.SHIPMENTS_TABLE,
        Item: { id: { S: `shipment-${order.id}` }, orderId: { S: order.id }, status: { S: 'packing' } },
      }),
    );
    console.log(`shipment for order ${order.id} recorded`);
  }
  return { batchItemFailures: [] };
};
