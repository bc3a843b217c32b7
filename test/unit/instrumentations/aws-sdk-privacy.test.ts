import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { preRequestHook, responseHook } from '../../../src/instrumentations/aws-sdk-privacy';

function span(attributes: Record<string, string>) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const started = provider.getTracer('test').startSpan('call', { attributes });
  return { span: started, attributes: () => (started.end(), exporter.getFinishedSpans()[0].attributes) };
}

describe('the AWS SDK instrumentation hooks', () => {
  it('SNS Publish to a phone number: the number is not the destination', () => {
    // What the SNS service extension wrote before the hook runs.
    const { span: s, attributes } = span({ 'messaging.destination': '+15550100', 'messaging.destination.name': '+15550100' });
    preRequestHook(s, { request: { serviceName: 'SNS', commandName: 'Publish', commandInput: { PhoneNumber: '+15550100', Message: 'hi' } } });
    expect(attributes()).toEqual({ 'messaging.destination': 'phone_number', 'messaging.destination.name': 'phone_number' });
  });

  it('SNS Publish to a topic, and other calls: unchanged', () => {
    const { span: s, attributes } = span({ 'messaging.destination': 'orders', 'messaging.destination.name': 'arn:aws:sns:us-east-1:1:orders' });
    preRequestHook(s, { request: { serviceName: 'SNS', commandName: 'Publish', commandInput: { TopicArn: 'arn:aws:sns:us-east-1:1:orders' } } });
    preRequestHook(s, { request: { serviceName: 'SQS', commandName: 'SendMessage', commandInput: { PhoneNumber: 'x' } } });
    expect(attributes()).toEqual({ 'messaging.destination': 'orders', 'messaging.destination.name': 'arn:aws:sns:us-east-1:1:orders' });
  });

  it('DynamoDB item collection metrics keep their sizes, not the partition key value', () => {
    const metrics = { ItemCollectionKey: { pk: { S: 'customer-4711' } }, SizeEstimateRangeGB: [0, 1] };
    for (const data of [{ ItemCollectionMetrics: metrics }, { ItemCollectionMetrics: [metrics, metrics] }]) {
      const { span: s, attributes } = span({ 'aws.dynamodb.item_collection_metrics': JSON.stringify(metrics) });
      responseHook(s, { response: { data, request: { serviceName: 'DynamoDB', commandName: 'PutItem' } } });
      const recorded = attributes()['aws.dynamodb.item_collection_metrics'] as string[];
      expect(recorded.join()).not.toContain('customer-4711');
      expect(JSON.parse(recorded[0])).toEqual({ ItemCollectionKey: 'REDACTED', SizeEstimateRangeGB: [0, 1] });
    }
  });

  it('DynamoDB responses without metrics, and other services: nothing set', () => {
    const { span: s, attributes } = span({});
    responseHook(s, { response: { data: { Item: { id: { S: 'x' } } }, request: { serviceName: 'DynamoDB', commandName: 'GetItem' } } });
    responseHook(s, { response: { data: { ItemCollectionMetrics: {} }, request: { serviceName: 'S3', commandName: 'PutObject' } } });
    expect(attributes()).toEqual({});
  });
});
