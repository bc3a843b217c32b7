import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent } from '../../../src/triggers/sqs';
import { loadEvent } from '../../helpers/events';

describe('sqs', () => {
  it('describes a batch as a CONSUMER process span named after the queue', () => {
    const trigger = describeEvent(loadEvent('sqs'));
    expect(trigger).toMatchObject({
      source: 'sqs',
      trigger: 'pubsub',
      kind: SpanKind.CONSUMER,
      spanName: 'process orders',
    });
    expect(trigger.parentCarrier).toBeUndefined();
    expect(trigger.attributes).toEqual({
      'faas.trigger': 'pubsub',
      'messaging.system': 'aws_sqs',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'orders',
      'messaging.batch.message_count': 3,
    });
  });

  it('collects W3C message attributes and AWSTraceHeader, one carrier per record that has any', () => {
    expect(describeEvent(loadEvent('sqs')).linkCarriers).toEqual([
      { traceparent: '00-8bf92f3577b34da6a3ce929d0e0e4736-40f067aa0ba902b7-01', tracestate: 'vendor=producer' },
      { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' },
    ]);
  });

  it('sets the message id, not the count, for a single message', () => {
    const event = loadEvent('sqs');
    event.Records = (event.Records as unknown[]).slice(0, 1);
    const attributes = describeEvent(event).attributes;
    expect(attributes['messaging.message.id']).toBe('059f36b4-87a3-44ab-83d2-661975830a7d');
    expect(attributes['messaging.batch.message_count']).toBeUndefined();
  });

  it('drops the destination when the batch mixes queues', () => {
    const event = loadEvent('sqs');
    const records = event.Records as Record<string, unknown>[];
    records[2].eventSourceARN = 'arn:aws:sqs:us-east-2:123456789012:refunds';
    const trigger = describeEvent(event);
    expect(trigger.spanName).toBe('process');
    expect(trigger.attributes['messaging.destination.name']).toBeUndefined();
  });
});
