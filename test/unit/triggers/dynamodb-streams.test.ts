import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent } from '../../../src/triggers/dynamodb-streams';
import { loadEvent } from '../../helpers/events';

describe('dynamodb-streams', () => {
  it('describes a mixed batch by its table, leaving the operation out', () => {
    expect(describeEvent(loadEvent('dynamodb-streams'))).toEqual({
      source: 'dynamodb-streams',
      trigger: 'datasource',
      kind: SpanKind.SERVER,
      attributes: {
        'faas.trigger': 'datasource',
        'faas.document.collection': 'TestTable',
        'faas.document.time': '2016-11-18T20:09:00.000Z',
      },
      linkCarriers: [],
    });
  });

  it.each([
    ['INSERT', 'insert'],
    ['MODIFY', 'edit'],
    ['REMOVE', 'delete'],
  ])('maps a batch of %s records to %s', (eventName, operation) => {
    const event = loadEvent('dynamodb-streams');
    for (const record of event.Records as Record<string, unknown>[]) record.eventName = eventName;
    expect(describeEvent(event).attributes['faas.document.operation']).toBe(operation);
  });

  it('skips a table it cannot read from the ARN', () => {
    const event = loadEvent('dynamodb-streams');
    for (const record of event.Records as Record<string, unknown>[]) record.eventSourceARN = 'not-an-arn';
    expect(describeEvent(event).attributes['faas.document.collection']).toBeUndefined();
  });
});
