import { SpanKind } from '@opentelemetry/api';
import { ATTR_FAAS_TRIGGER, FAAS_TRIGGER_VALUE_PUBSUB } from '../semconv';
import { objectField, stringField } from '../read';
import type { Trigger, TriggerDetector } from './types';

/**
 * CloudWatch Logs subscription filters: `{ awslogs: { data } }`, where `data` is gzipped,
 * base64-encoded JSON. The log group is inside it; decompressing every invocation's payload to
 * name a span is not worth the time, so only the trigger is recorded.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchlogs.html
 */
export const SOURCE_CLOUDWATCH_LOGS = 'cloudwatch-logs';

export function matches(event: unknown): boolean {
  return stringField(objectField(event, 'awslogs'), 'data') !== undefined;
}

export function describe(): Trigger {
  return {
    source: SOURCE_CLOUDWATCH_LOGS,
    trigger: FAAS_TRIGGER_VALUE_PUBSUB,
    kind: SpanKind.CONSUMER,
    attributes: { [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_PUBSUB },
    linkCarriers: [],
  };
}

export const cloudwatchLogs: TriggerDetector = { source: SOURCE_CLOUDWATCH_LOGS, matches, describe };
