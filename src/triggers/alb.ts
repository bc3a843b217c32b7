import { isObject, objectField, stringField } from '../read';
import { normaliseHeaders } from './headers';
import { describeHttpRequest } from './http';
import { encodeQuery } from './query';
import type { EventObject, Trigger, TriggerDetector, TriggerOptions } from './types';

/**
 * Application Load Balancer targets: `requestContext.elb`, with either `headers` or, when the
 * target group enables multi-value headers, `multiValueHeaders`. ALBs have no route templates.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
 */
export const SOURCE_ALB = 'alb';

export function matches(event: unknown): boolean {
  return isObject(event) && objectField(objectField(event, 'requestContext'), 'elb') !== undefined;
}

export function describe(event: EventObject, options: TriggerOptions): Trigger {
  return describeHttpRequest(
    {
      source: SOURCE_ALB,
      method: stringField(event, 'httpMethod'),
      path: stringField(event, 'path'),
      route: undefined,
      // The ALB passes parameters on as the client encoded them: no second encoding.
      query: () => encodeQuery(event.queryStringParameters, event.multiValueQueryStringParameters, false),
      headers: normaliseHeaders(event.headers, event.multiValueHeaders),
      protocol: undefined,
      sourceIp: undefined,
      domainName: undefined,
      userAgent: undefined,
    },
    options,
  );
}

export const alb: TriggerDetector = { source: SOURCE_ALB, matches, describe };
