import { SpanKind } from '@opentelemetry/api';
import { DETECTORS, detectTrigger } from '../../../src/triggers/detect';
import { MAX_LINK_CARRIERS } from '../../../src/triggers/types';
import { fixtureNames, loadEvent, NO_QUERY } from '../../helpers/events';

/** Every sample event and the one detector that must claim it. */
const EXPECTED_SOURCE: Record<string, string> = {
  'alb-multi-value': 'alb',
  alb: 'alb',
  'api-gateway-v1': 'api-gateway-v1',
  'api-gateway-v2': 'api-gateway-v2',
  'cloudwatch-logs': 'cloudwatch-logs',
  'dynamodb-streams': 'dynamodb-streams',
  'eventbridge-custom': 'eventbridge',
  'eventbridge-scheduled': 'eventbridge',
  'function-url': 'function-url',
  kinesis: 'kinesis',
  's3-put': 's3',
  sns: 'sns',
  sqs: 'sqs',
};

const UNKNOWN = {
  source: 'unknown',
  trigger: 'other',
  kind: SpanKind.SERVER,
  attributes: { 'faas.trigger': 'other' },
  linkCarriers: [],
};

describe('detectTrigger', () => {
  it('has an expected source for every sample event', () => {
    expect(fixtureNames()).toEqual(Object.keys(EXPECTED_SOURCE).sort());
  });

  it('has one detector per source', () => {
    const sources = DETECTORS.map((detector) => detector.source);
    expect(new Set(sources).size).toBe(sources.length);
  });

  it.each(Object.entries(EXPECTED_SOURCE))('%s matches exactly one detector: %s', (name, source) => {
    const event = loadEvent(name);
    const matching = DETECTORS.filter((detector) => detector.matches(event)).map((detector) => detector.source);
    expect(matching).toEqual([source]);
    expect(detectTrigger(event, NO_QUERY).source).toBe(source);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'str'],
    ['an array', []],
    ['an array of records', [{ eventSource: 'aws:sqs' }]],
    ['an empty object', {}],
    ['Records that are not an array', { Records: 'x' }],
    ['an empty Records array', { Records: [] }],
    ['a null record', { Records: [null] }],
    ['a record of another source', { Records: [{ eventSource: 'aws:unknown' }] }],
    ['null headers without a request context', { headers: null, httpMethod: 'GET' }],
    ['a request context that is not an object', { httpMethod: 'GET', resource: '/', requestContext: 'x' }],
    ['a 2.0 payload without http', { version: '2.0', routeKey: '$default', requestContext: {} }],
    ['awslogs without data', { awslogs: {} }],
    ['a detail-type without detail', { 'detail-type': 'X', source: 'y' }],
  ])('treats %s as other', (_label, event) => {
    expect(detectTrigger(event, NO_QUERY)).toEqual(UNKNOWN);
  });

  it('survives events whose reads throw', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(detectTrigger(hostile, NO_QUERY)).toEqual(UNKNOWN);
    const throwingRecord = {
      Records: [
        {
          eventSource: 'aws:sqs',
          get eventSourceARN(): string {
            throw new Error('boom');
          },
        },
      ],
    };
    expect(detectTrigger(throwingRecord, NO_QUERY)).toEqual(UNKNOWN);
  });

  it('describes odd but matching events without throwing', () => {
    const sqs = detectTrigger({ Records: [{ eventSource: 'aws:sqs' }, null, 7, 'x'] }, NO_QUERY);
    expect(sqs.source).toBe('sqs');
    expect(sqs.linkCarriers).toEqual([]);
    const http = detectTrigger({ httpMethod: 'GET', resource: '/', requestContext: {}, headers: null }, NO_QUERY);
    expect(http.source).toBe('api-gateway-v1');
    expect(http.parentCarrier).toEqual({});
  });

  it('returns a fresh unknown trigger each time', () => {
    const first = detectTrigger(null, NO_QUERY);
    (first.attributes as Record<string, unknown>).extra = 1;
    expect(detectTrigger(null, NO_QUERY).attributes).toEqual({ 'faas.trigger': 'other' });
  });

  it('bounds the link carriers of a huge batch', () => {
    const record = loadEvent('sqs').Records as unknown[];
    const records = Array.from({ length: 10_000 }, (_, index) => record[index % 2]);
    const trigger = detectTrigger({ Records: records }, NO_QUERY);
    expect(trigger.attributes['messaging.batch.message_count']).toBe(10_000);
    expect(trigger.linkCarriers).toHaveLength(MAX_LINK_CARRIERS);
  });
});
