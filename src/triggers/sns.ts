import { objectField, stringField } from '../read';
import { ATTR_AWS_SNS_TOPIC_ARN, MESSAGING_SYSTEM_VALUE_AWS_SNS } from '../semconv';
import { arnResourceName } from './arn';
import { CARRIER_TRACEPARENT, CARRIER_TRACESTATE, traceCarrier } from './carriers';
import { describeMessageBatch } from './messaging';
import { recordsFrom } from './records';
import { MAX_LINK_CARRIERS, type Carrier, type EventObject, type Trigger, type TriggerDetector } from './types';

/**
 * SNS subscriptions: `Records[]` with `EventSource: 'aws:sns'` (capitalised, unlike SQS) and the
 * message under `Sns`. SNS delivers one message per invocation, but the loop does not rely on it.
 * A `traceparent` message attribute (`{ Type, Value }`) becomes a link carrier.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 */
export const SOURCE_SNS = 'sns';

const EVENT_SOURCE = 'aws:sns';

export function matches(event: unknown): boolean {
  return recordsFrom(event, 'EventSource', EVENT_SOURCE) !== undefined;
}

export function describe(event: EventObject): Trigger {
  const records = recordsFrom(event, 'EventSource', EVENT_SOURCE) ?? [];
  const first = objectField(records[0], 'Sns');
  const topicArn = stringField(first, 'TopicArn');
  let sameTopic = true;
  const linkCarriers: Carrier[] = [];
  for (const record of records) {
    const message = objectField(record, 'Sns');
    if (sameTopic && stringField(message, 'TopicArn') !== topicArn) sameTopic = false;
    if (linkCarriers.length < MAX_LINK_CARRIERS) {
      const attributes = objectField(message, 'MessageAttributes');
      const carrier = traceCarrier(
        stringField(objectField(attributes, CARRIER_TRACEPARENT), 'Value'),
        stringField(objectField(attributes, CARRIER_TRACESTATE), 'Value'),
        undefined,
      );
      if (carrier !== undefined) linkCarriers.push(carrier);
    }
  }
  return describeMessageBatch({
    source: SOURCE_SNS,
    system: MESSAGING_SYSTEM_VALUE_AWS_SNS,
    destination: sameTopic ? arnResourceName(topicArn) : undefined,
    count: records.length,
    messageId: stringField(first, 'MessageId'),
    linkCarriers,
    extra: sameTopic && topicArn !== undefined ? { [ATTR_AWS_SNS_TOPIC_ARN]: topicArn } : undefined,
  });
}

export const sns: TriggerDetector = { source: SOURCE_SNS, matches, describe };
