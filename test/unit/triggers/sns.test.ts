import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent } from '../../../src/triggers/sns';
import { loadEvent } from '../../helpers/events';

describe('sns', () => {
  it('describes a notification as a CONSUMER process span named after the topic', () => {
    const trigger = describeEvent(loadEvent('sns'));
    expect(trigger).toMatchObject({
      source: 'sns',
      trigger: 'pubsub',
      kind: SpanKind.CONSUMER,
      spanName: 'process sns-lambda',
    });
    expect(trigger.attributes).toEqual({
      'faas.trigger': 'pubsub',
      'messaging.system': 'aws.sns',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'sns-lambda',
      'messaging.message.id': '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
      'aws.sns.topic.arn': 'arn:aws:sns:us-east-1:123456789012:sns-lambda',
    });
  });

  it('links the traceparent message attribute', () => {
    expect(describeEvent(loadEvent('sns')).linkCarriers).toEqual([
      { traceparent: '00-9bf92f3577b34da6a3ce929d0e0e4736-50f067aa0ba902b7-01' },
    ]);
  });

  it('ignores message attributes of the wrong shape', () => {
    const event = loadEvent('sns');
    const sns = (event.Records as Record<string, Record<string, unknown>>[])[0].Sns;
    sns.MessageAttributes = { traceparent: { Type: 'Binary', Value: 42 } };
    expect(describeEvent(event).linkCarriers).toEqual([]);
  });
});
