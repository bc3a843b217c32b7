import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent, matches } from '../../../src/triggers/cloudwatch-logs';
import { loadEvent } from '../../helpers/events';

describe('cloudwatch-logs', () => {
  it('records the trigger without decompressing the payload', () => {
    expect(matches(loadEvent('cloudwatch-logs'))).toBe(true);
    expect(describeEvent()).toEqual({
      source: 'cloudwatch-logs',
      trigger: 'pubsub',
      kind: SpanKind.CONSUMER,
      attributes: { 'faas.trigger': 'pubsub' },
      linkCarriers: [],
    });
  });
});
