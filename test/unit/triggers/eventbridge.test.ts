import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent } from '../../../src/triggers/eventbridge';
import { loadEvent } from '../../helpers/events';

describe('eventbridge', () => {
  it('describes a custom event as pubsub with its envelope and a link', () => {
    const trigger = describeEvent(loadEvent('eventbridge-custom'));
    expect(trigger).toEqual({
      source: 'eventbridge',
      trigger: 'pubsub',
      kind: SpanKind.CONSUMER,
      attributes: {
        'faas.trigger': 'pubsub',
        'cloudevents.event_id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
        'cloudevents.event_source': 'com.example.orders',
        'cloudevents.event_type': 'OrderPlaced',
      },
      linkCarriers: [{ traceparent: '00-abf92f3577b34da6a3ce929d0e0e4736-60f067aa0ba902b7-01' }],
    });
  });

  it('describes a schedule as a timer with faas.time and no faas.cron', () => {
    expect(describeEvent(loadEvent('eventbridge-scheduled'))).toEqual({
      source: 'eventbridge',
      trigger: 'timer',
      kind: SpanKind.SERVER,
      attributes: { 'faas.trigger': 'timer', 'faas.time': '2015-10-08T16:53:06Z' },
      linkCarriers: [],
    });
  });

  it('treats EventBridge Scheduler as a timer too, but not a look-alike from another source', () => {
    const event = loadEvent('eventbridge-scheduled');
    event.source = 'aws.scheduler';
    expect(describeEvent(event).trigger).toBe('timer');
    event.source = 'com.example';
    expect(describeEvent(event).trigger).toBe('pubsub');
  });
});
