import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent } from '../../../src/triggers/s3';
import { loadEvent } from '../../helpers/events';

describe('s3', () => {
  it('describes a put as a datasource insert with the decoded key', () => {
    expect(describeEvent(loadEvent('s3-put'))).toEqual({
      source: 's3',
      trigger: 'datasource',
      kind: SpanKind.SERVER,
      attributes: {
        'faas.trigger': 'datasource',
        'faas.document.collection': 'lambda-artifacts-deafc19498e3f2df',
        'faas.document.operation': 'insert',
        'faas.document.name': 'reports/my report(1).csv',
        'faas.document.time': '2019-09-03T19:37:27.192Z',
      },
      linkCarriers: [],
    });
  });

  it.each([
    ['ObjectCreated:CompleteMultipartUpload', 'insert'],
    ['ObjectRemoved:Delete', 'delete'],
    ['ObjectRemoved:DeleteMarkerCreated', 'delete'],
    ['LifecycleExpiration:Delete', 'delete'],
    ['ObjectTagging:Put', 'edit'],
    ['ObjectRestore:Completed', 'edit'],
    ['Replication:OperationFailedReplication', undefined],
  ])('maps %s to %s', (eventName, operation) => {
    const event = loadEvent('s3-put');
    (event.Records as Record<string, unknown>[])[0].eventName = eventName;
    expect(describeEvent(event).attributes['faas.document.operation']).toBe(operation);
  });

  it('keeps a key that does not decode as it is', () => {
    const event = loadEvent('s3-put');
    const record = (event.Records as Record<string, Record<string, Record<string, unknown>>>[])[0];
    record.s3.object = { key: 'bad%E0%A4%A' };
    expect(describeEvent(event).attributes['faas.document.name']).toBe('bad%E0%A4%A');
  });
});
