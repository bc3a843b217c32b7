/**
 * The fake AWS endpoint answers the real SDK v3 clients well enough for them to succeed (they
 * check SQS body digests and parse each protocol's errors), refuses an 11th message attribute as
 * SQS and SNS do, and records each request with the request id the SDK reports.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AwsEndpoint, sentMessages } from './aws-endpoint';

const credentials = { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' };
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';

/** String attributes: a type both the SDK's input and the endpoint's record accept. */
function attributes(count: number): Record<string, { DataType: string; StringValue: string }> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: `v${i}` }]));
}

describe('AwsEndpoint', () => {
  let endpoint: AwsEndpoint;
  const config = (): { region: string; endpoint: string; credentials: typeof credentials } => ({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials,
  });

  beforeAll(async () => {
    endpoint = await AwsEndpoint.start({ tableKeys: { events: ['pk', 'sk'] } });
  });
  afterAll(() => endpoint.close());
  beforeEach(() => endpoint.reset());

  it('stores and reads DynamoDB items, and queries by key equality', async () => {
    const client = new DynamoDBClient(config());
    const put = await client.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'o1' }, sk: { N: '1' }, v: { S: 'x' } } }));
    await client.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'o1' }, sk: { N: '2' } } }));
    await client.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'o2' }, sk: { N: '1' } } }));
    const got = await client.send(new GetItemCommand({ TableName: 'events', Key: { pk: { S: 'o1' }, sk: { N: '1' } } }));
    const query = await client.send(
      new QueryCommand({ TableName: 'events', KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': 'pk' }, ExpressionAttributeValues: { ':p': { S: 'o1' } } }),
    );
    expect(got.Item).toEqual({ pk: { S: 'o1' }, sk: { N: '1' }, v: { S: 'x' } });
    expect(query.Count).toBe(2);
    expect(query.Items?.map((item) => item.sk)).toEqual([{ N: '1' }, { N: '2' }]);
    const [first] = endpoint.requests();
    expect(first).toMatchObject({ service: 'dynamodb', operation: 'PutItem', method: 'POST', path: '/', status: 200 });
    expect(put.$metadata.requestId).toBe(first.requestId);
    await expect(client.send(new GetItemCommand({ TableName: 'events', Key: { pk: { S: 'o1' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    client.destroy();
  });

  it('answers SQS sends with the digests the SDK checks, and refuses an 11th attribute', async () => {
    const client = new SQSClient(config());
    const QueueUrl = endpoint.queueUrl('orders');
    const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'héllo', MessageAttributes: attributes(2) }));
    expect(sent.MessageId).toEqual(expect.any(String));
    const batch = await client.send(
      new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two', MessageAttributes: attributes(10) }] }),
    );
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['a', 'b']);
    await expect(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: attributes(11) }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Number of message attributes [11] exceeds the allowed maximum [10].',
      $metadata: { httpStatusCode: 400 },
    });
    const [send, sendBatch, refused] = endpoint.requests();
    expect(sent.$metadata.requestId).toBe(send.requestId);
    expect(sentMessages(send)).toEqual([{ body: 'héllo', attributes: attributes(2) }]);
    expect(sentMessages(sendBatch).map((m) => Object.keys(m.attributes).length)).toEqual([0, 10]);
    expect(refused.status).toBe(400);
    client.destroy();
  });

  it('computes MD5OfMessageAttributes with SQS\' encoding', async () => {
    const client = new SQSClient(config());
    const MessageAttributes = { timestamp: { DataType: 'Number', StringValue: '1493147359900' } };
    const sent = await client.send(new SendMessageCommand({ QueueUrl: endpoint.queueUrl('orders'), MessageBody: 'x', MessageAttributes }));
    // A published known-answer pair (LocalStack's SQS tests), so the encoding is checked, not echoed.
    expect(sent.MD5OfMessageAttributes).toBe('235c5c510d26fb653d073faed50ae77c');
    client.destroy();
  });

  it('reports a batch entry with too many attributes as failed, as SQS does', async () => {
    const client = new SQSClient(config());
    const batch = await client.send(
      new SendMessageBatchCommand({ QueueUrl: endpoint.queueUrl('orders'), Entries: [{ Id: 'ok', MessageBody: 'one' }, { Id: 'bad', MessageBody: 'two', MessageAttributes: attributes(11) }] }),
    );
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['ok']);
    expect(batch.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue' })]);
    client.destroy();
  });

  it('publishes to SNS over the query protocol, and refuses an 11th attribute', async () => {
    const client = new SNSClient(config());
    const published = await client.send(new PublishCommand({ TopicArn: TOPIC, Message: 'hi & bye', MessageAttributes: attributes(2) }));
    expect(published.MessageId).toEqual(expect.any(String));
    await expect(client.send(new PublishCommand({ TopicArn: TOPIC, Message: 'x', MessageAttributes: attributes(11) }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      $metadata: { httpStatusCode: 400 },
    });
    const [publish] = endpoint.requests();
    expect(publish).toMatchObject({ service: 'sns', operation: 'Publish', status: 200 });
    expect(published.$metadata.requestId).toBe(publish.requestId);
    expect(sentMessages(publish)).toEqual([{ body: 'hi & bye', attributes: attributes(2) }]);
    client.destroy();
  });

  it('puts and gets S3 objects path-style, with both request ids', async () => {
    const client = new S3Client({ ...config(), forcePathStyle: true });
    const put = await client.send(new PutObjectCommand({ Bucket: 'reports', Key: 'daily/a b.csv', Body: 'x,y', ContentType: 'text/csv' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'reports', Key: 'daily/a b.csv' }));
    expect(await got.Body?.transformToString()).toBe('x,y');
    expect(got.ContentType).toBe('text/csv');
    await expect(client.send(new GetObjectCommand({ Bucket: 'reports', Key: 'missing' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    const [putRequest] = endpoint.requests();
    expect(putRequest).toMatchObject({ service: 's3', operation: 'PutObject', method: 'PUT', path: '/reports/daily/a%20b.csv' });
    expect(put.$metadata).toMatchObject({ requestId: putRequest.requestId, extendedRequestId: putRequest.extendedRequestId });
    client.destroy();
  });
});
