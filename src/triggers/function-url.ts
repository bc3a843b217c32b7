import { describePayloadV2, isFunctionUrl, isPayloadV2 } from './api-gateway-v2';
import type { EventObject, Trigger, TriggerDetector, TriggerOptions } from './types';

/**
 * Lambda function URLs: the HTTP API 2.0 payload with routeKey `$default` from a
 * `*.lambda-url.*` domain. There is no route template, so the span is named by the method alone.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 */
export const SOURCE_FUNCTION_URL = 'function-url';

export function matches(event: unknown): boolean {
  return isPayloadV2(event) && isFunctionUrl(event);
}

export function describe(event: EventObject, options: TriggerOptions): Trigger {
  return describePayloadV2(SOURCE_FUNCTION_URL, event, undefined, options);
}

export const functionUrl: TriggerDetector = { source: SOURCE_FUNCTION_URL, matches, describe };
