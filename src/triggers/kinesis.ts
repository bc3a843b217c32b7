import { stringField } from '../read';
import { MESSAGING_SYSTEM_VALUE_AWS_KINESIS } from '../semconv';
import { arnResourceName } from './arn';
import { describeMessageBatch } from './messaging';
import { recordsFrom } from './records';
import type { EventObject, Trigger, TriggerDetector } from './types';

/**
 * Kinesis Data Streams event source mappings: `Records[]` with `eventSource: 'aws:kinesis'`; the
 * stream name comes from `eventSourceARN` (`…:stream/<name>`). Payloads are base64 data with no
 * metadata channel, so there is no trace context to link without decoding every record.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
export const SOURCE_KINESIS = 'kinesis';

const EVENT_SOURCE = 'aws:kinesis';
const ARN_RESOURCE_TYPE = 'stream';

export function matches(event: unknown): boolean {
  return recordsFrom(event, 'eventSource', EVENT_SOURCE) !== undefined;
}

export function describe(event: EventObject): Trigger {
  const records = recordsFrom(event, 'eventSource', EVENT_SOURCE) ?? [];
  const firstArn = stringField(records[0], 'eventSourceARN');
  const sameStream = records.every((record) => stringField(record, 'eventSourceARN') === firstArn);
  return describeMessageBatch({
    source: SOURCE_KINESIS,
    system: MESSAGING_SYSTEM_VALUE_AWS_KINESIS,
    destination: sameStream ? arnResourceName(firstArn, ARN_RESOURCE_TYPE) : undefined,
    count: records.length,
    // `shardId-…:<sequence number>`: unique within the stream, unlike the sequence number alone.
    messageId: stringField(records[0], 'eventID'),
    linkCarriers: [],
  });
}

export const kinesis: TriggerDetector = { source: SOURCE_KINESIS, matches, describe };
