import { objectField, stringField } from '../read';
import { MESSAGING_SYSTEM_VALUE_AWS_SQS } from '../semconv';
import { arnResourceName } from './arn';
import { CARRIER_TRACEPARENT, CARRIER_TRACESTATE, traceCarrier } from './carriers';
import { describeMessageBatch } from './messaging';
import { recordsFrom } from './records';
import { MAX_LINK_CARRIERS, type Carrier, type EventObject, type Trigger, type TriggerDetector } from './types';

/**
 * SQS event source mappings: `Records[]` with `eventSource: 'aws:sqs'`.
 * Trace context comes from two places per record: a `traceparent` message attribute (what
 * OpenTelemetry producers inject) and the `AWSTraceHeader` system attribute (X-Ray's header, set
 * by SQS from the sending request), which the AWS Lambda conventions say to link.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export const SOURCE_SQS = 'sqs';

const EVENT_SOURCE = 'aws:sqs';
const AWS_TRACE_HEADER = 'AWSTraceHeader';

export function matches(event: unknown): boolean {
  return recordsFrom(event, 'eventSource', EVENT_SOURCE) !== undefined;
}

export function describe(event: EventObject): Trigger {
  const records = recordsFrom(event, 'eventSource', EVENT_SOURCE) ?? [];
  const firstArn = stringField(records[0], 'eventSourceARN');
  let sameQueue = true;
  const linkCarriers: Carrier[] = [];
  for (const record of records) {
    if (sameQueue && stringField(record, 'eventSourceARN') !== firstArn) sameQueue = false;
    if (linkCarriers.length < MAX_LINK_CARRIERS) {
      const carrier = recordCarrier(record);
      if (carrier !== undefined) linkCarriers.push(carrier);
    }
  }
  return describeMessageBatch({
    source: SOURCE_SQS,
    system: MESSAGING_SYSTEM_VALUE_AWS_SQS,
    destination: sameQueue ? arnResourceName(firstArn) : undefined,
    count: records.length,
    messageId: stringField(records[0], 'messageId'),
    linkCarriers,
  });
}

function recordCarrier(record: unknown): Carrier | undefined {
  const messageAttributes = objectField(record, 'messageAttributes');
  return traceCarrier(
    stringField(objectField(messageAttributes, CARRIER_TRACEPARENT), 'stringValue'),
    stringField(objectField(messageAttributes, CARRIER_TRACESTATE), 'stringValue'),
    stringField(objectField(record, 'attributes'), AWS_TRACE_HEADER),
  );
}

export const sqs: TriggerDetector = { source: SOURCE_SQS, matches, describe };
