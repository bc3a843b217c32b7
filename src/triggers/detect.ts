import { SpanKind } from '@opentelemetry/api';
import { ATTR_FAAS_TRIGGER, FAAS_TRIGGER_VALUE_OTHER } from '../semconv';
import { isObject } from '../read';
import { alb } from './alb';
import { apiGatewayV1 } from './api-gateway-v1';
import { apiGatewayV2 } from './api-gateway-v2';
import { cloudwatchLogs } from './cloudwatch-logs';
import { dynamodbStreams } from './dynamodb-streams';
import { eventBridge } from './eventbridge';
import { functionUrl } from './function-url';
import { kinesis } from './kinesis';
import { s3 } from './s3';
import { sns } from './sns';
import { sqs } from './sqs';
import type { Trigger, TriggerDetector, TriggerOptions } from './types';

export const SOURCE_UNKNOWN = 'unknown';

/**
 * Every detector, in the order they are tried; the first match wins. The shapes do not overlap
 * (a test checks each sample event against all of them), so the order only puts the common
 * sources first: HTTP, then queues, then the rest.
 */
export const DETECTORS: readonly TriggerDetector[] = [
  apiGatewayV2,
  functionUrl,
  apiGatewayV1,
  alb,
  sqs,
  sns,
  eventBridge,
  s3,
  dynamodbStreams,
  kinesis,
  cloudwatchLogs,
];

/**
 * Says what triggered an invocation from its event's shape. Cheap (property reads, no
 * serialisation) and total: odd events, and any failure while reading one, give `unknown`.
 */
export function detectTrigger(event: unknown, options: TriggerOptions): Trigger {
  // Every source sends a JSON object; direct invocations with strings, arrays or null are `other`.
  if (!isObject(event)) return unknownTrigger();
  try {
    for (const detector of DETECTORS) {
      if (detector.matches(event)) return detector.describe(event, options);
    }
  } catch {
    // A getter or proxy in a hand-built event threw: tracing must not fail the invocation.
  }
  return unknownTrigger();
}

/** A fresh object each time: callers may add to the attributes. */
export function unknownTrigger(): Trigger {
  return {
    source: SOURCE_UNKNOWN,
    trigger: FAAS_TRIGGER_VALUE_OTHER,
    kind: SpanKind.SERVER,
    attributes: { [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_OTHER },
    linkCarriers: [],
  };
}
