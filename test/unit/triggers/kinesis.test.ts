import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent } from '../../../src/triggers/kinesis';
import { loadEvent } from '../../helpers/events';

describe('kinesis', () => {
  it('describes a batch as a CONSUMER process span named after the stream', () => {
    expect(describeEvent(loadEvent('kinesis'))).toEqual({
      source: 'kinesis',
      trigger: 'pubsub',
      kind: SpanKind.CONSUMER,
      spanName: 'process lambda-stream',
      attributes: {
        'faas.trigger': 'pubsub',
        'messaging.system': 'aws.kinesis',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': 'lambda-stream',
        'messaging.batch.message_count': 2,
      },
      linkCarriers: [],
    });
  });

  it('uses the event id as the message id of a single record', () => {
    const event = loadEvent('kinesis');
    event.Records = (event.Records as unknown[]).slice(1);
    expect(describeEvent(event).attributes['messaging.message.id']).toBe(
      'shardId-000000000006:49590338271490256608559692540925702759324208523137515618',
    );
  });
});
